// The id the gateway knows an operation by: the sha256 of its document, which GraphQL Code
// Generator wrote into each generated document (`__meta__.hash`, as `sha256:<hex>`) and into the
// persisted-query manifest the gateway loads. The app sends this id, never the document.
import type { DocumentNode } from 'graphql';

export function documentId(document: DocumentNode): string {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash) throw new Error('an operation without a persisted id: run npm run codegen');
  return hash.replace(/^sha256:/, '');
}
