import { baseContext, defineSubgraph } from '../../lib/graphql/subgraph.js';
import type { Runtime } from '../../lib/runtime.js';
import { createLoaders, type DatasetsContext } from './context.js';
import { datasetsHttp } from './http.js';
import { resolvers } from './resolvers/index.js';

/** Datasets, their immutable versions (real tables in the `data` schema) and column profiles. */
export function createDatasetsSubgraph(runtime: Runtime) {
  return defineSubgraph<DatasetsContext>({
    name: 'datasets',
    schemaFile: new URL('./schema.graphql', import.meta.url),
    resolvers,
    createContext: (request) => ({ ...baseContext(runtime, request), loaders: createLoaders(runtime.prisma) }),
    http: (identify) => datasetsHttp(runtime, identify),
  });
}
