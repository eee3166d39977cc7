import { baseContext, defineSubgraph } from '../../lib/graphql/subgraph.js';
import type { Runtime } from '../../lib/runtime.js';
import { createLoaders, type TemplatesContext } from './context.js';
import { resolvers } from './resolvers/index.js';

/** Report templates and their versions, users, API keys and persisted operations. */
export function createTemplatesSubgraph(runtime: Runtime) {
  return defineSubgraph<TemplatesContext>({
    name: 'templates',
    schemaFile: new URL('./schema.graphql', import.meta.url),
    resolvers,
    createContext: (request) => ({ ...baseContext(runtime, request), loaders: createLoaders(runtime.prisma) }),
  });
}
