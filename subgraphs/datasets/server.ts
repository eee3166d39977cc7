import { baseContext, defineSubgraph } from '../../lib/graphql/subgraph.js';
import { profilePendingVersions } from '../../lib/datasets/tables.js';
import type { Runtime } from '../../lib/runtime.js';
import { createLoaders, type DatasetsContext } from './context.js';
import { datasetsHttp } from './http.js';
import { resolvers } from './resolvers/index.js';

/** Datasets, their immutable versions (real tables in the `data` schema) and column profiles. */
export function createDatasetsSubgraph(runtime: Runtime) {
  // Versions whose profile a stopped process did not finish: profile them now, in the background.
  profilePendingVersions(runtime.pool).catch((err) => runtime.logger.error({ err }, 'profiling pending dataset versions failed'));
  return defineSubgraph<DatasetsContext>({
    name: 'datasets',
    schemaFile: new URL('./schema.graphql', import.meta.url),
    resolvers,
    createContext: (request) => ({ ...baseContext(runtime, request), loaders: createLoaders(runtime.prisma) }),
    http: (identify) => datasetsHttp(runtime, identify),
  });
}
