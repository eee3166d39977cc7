import { profilePendingVersions } from '../../lib/datasets/tables.js';
import { baseContext, defineSubgraph } from '../../lib/graphql/subgraph.js';
import type { Runtime } from '../../lib/runtime.js';
import { createLoaders, type DatasetsContext } from './context.js';
import { datasetsHttp } from './http.js';
import { resolvers } from './resolvers/index.js';

/** Datasets, their immutable versions (real tables in the `data` schema) and column profiles. */
export function createDatasetsSubgraph(runtime: Runtime) {
  let pending: Promise<unknown> | null = null;
  return defineSubgraph<DatasetsContext>({
    name: 'datasets',
    schemaFile: new URL('./schema.graphql', import.meta.url),
    resolvers,
    createContext: (request) => baseContext(runtime, request, { loaders: createLoaders(runtime.prisma, runtime.pool) }),
    http: (identify) => datasetsHttp(runtime, identify),
    start() {
      // Versions whose profile a stopped process did not finish: profiled now, in the background
      // (each claimed by one replica: SKIP LOCKED).
      pending = profilePendingVersions(runtime.pool)
        .then((n) => n && runtime.logger.info({ versions: n }, 'profiled dataset versions left unprofiled'))
        .catch((err) => runtime.logger.error({ err }, 'profiling pending dataset versions failed'));
    },
    async stop() {
      await pending;
    },
  });
}
