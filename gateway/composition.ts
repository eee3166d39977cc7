// Composes the supergraph in-process from the subgraphs' SDLs (no rover): start-up fails with
// every composition error when they do not compose.
import { composeServices } from '@apollo/composition';
import type { DocumentNode } from 'graphql';
import { StartupError } from '../lib/startup.js';

export interface SubgraphDefinition {
  name: string;
  url: string;
  typeDefs: DocumentNode;
}

export function composeSupergraph(subgraphs: SubgraphDefinition[]): string {
  const result = composeServices(subgraphs);
  if (result.errors) {
    throw new StartupError(`the subgraphs do not compose:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
