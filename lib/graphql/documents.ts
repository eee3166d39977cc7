// Documents parsed and validated once per text, for servers that see few distinct ones (the
// gateway's clients, a subgraph's gateway): the least recently used text is dropped past `size`.
// A text that does not parse or validate is remembered as null — left to Apollo Server, which
// explains why.
import { parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';

export function createDocumentCache<T>(
  schema: GraphQLSchema,
  { maxTokens, size }: { maxTokens: number; size: number },
  prepare: (document: DocumentNode, text: string) => T,
): (text: string) => T | null {
  const documents = new Map<string, T | null>();
  return (text) => {
    let prepared = documents.get(text);
    if (prepared !== undefined) {
      // The most recently used last: the map's order is the eviction order.
      documents.delete(text);
      documents.set(text, prepared);
      return prepared;
    }
    try {
      const document = parse(text, { maxTokens });
      prepared = validate(schema, document).length ? null : prepare(document, text);
    } catch {
      prepared = null;
    }
    if (documents.size >= size) documents.delete(documents.keys().next().value!);
    documents.set(text, prepared);
    return prepared;
  };
}
