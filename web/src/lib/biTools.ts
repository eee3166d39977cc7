// What a BI tool needs to pull a persisted operation: its URL (GET, by id) and a ready curl line
// asking for CSV with an API key. Variables are placed as JSON in the query string.

export function persistedUrl(origin: string, id: string, variables: Record<string, unknown> | null = null): string {
  const query = new URLSearchParams({ documentId: id });
  if (variables && Object.keys(variables).length) query.set('variables', JSON.stringify(variables));
  return `${origin}/graphql?${query}`;
}

/** A shell line; the key stays in an environment variable, never in the history. */
export function curlCommand(origin: string, id: string, variables: Record<string, unknown> | null = null): string {
  return `curl -H "X-API-Key: $REPORTGRAPH_API_KEY" -H 'Accept: text/csv' '${persistedUrl(origin, id, variables).replace(/'/g, "'\\''")}'`;
}

/** The variables a document declares, with a placeholder per type, for the copied URL. */
export function variablePlaceholders(document: string): Record<string, unknown> {
  const operation = /^\s*(?:query|mutation|subscription)\s*\w*\s*\(([^)]*)\)/.exec(document);
  if (!operation) return {};
  const placeholders: Record<string, unknown> = {};
  for (const m of operation[1]!.matchAll(/\$(\w+)\s*:\s*\[?\s*(\w+)/g)) {
    const type = m[2]!;
    placeholders[m[1]!] = type === 'Int' || type === 'Float' ? 0 : type === 'Boolean' ? false : `<${type}>`;
  }
  return placeholders;
}
