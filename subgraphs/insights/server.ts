import { baseContext, defineSubgraph } from '../../lib/graphql/subgraph.js';
import { every, type Periodic } from '../../lib/periodic.js';
import type { Runtime } from '../../lib/runtime.js';
import { createLoaders, type InsightsContext } from './context.js';
import { reconcileAnalyses, RECONCILE_SECONDS } from './data/reconcile.js';
import { analysisQueueName, createAnalysisQueue, type AnalysisQueue } from './queue.js';
import { resolvers } from './resolvers/index.js';
import { lazyServedModels } from '../../models/runtime/servedModels.js';

/** Analysis jobs and the insights they find (anomalies, forecasts, narratives, chart choices). */
export function createInsightsSubgraph(runtime: Runtime) {
  // Opened on first use: a replica that never queues an analysis holds no queue connection.
  let queue: AnalysisQueue | null = null;
  const openQueue = () => (queue ??= createAnalysisQueue(runtime.config, runtime.logger));
  let reconciler: Periodic | null = null;
  // Its own inference thread, opened by the first chart suggestion: a replica that never suggests holds none.
  const models = lazyServedModels(runtime);
  return defineSubgraph<InsightsContext>({
    name: 'insights',
    schemaFile: new URL('./schema.graphql', import.meta.url),
    resolvers,
    createContext: (request) =>
      baseContext(runtime, request, { loaders: createLoaders(runtime.prisma, runtime.pool), queue: openQueue, models }),
    start() {
      // Once per period per deployment (its queue names the task): the rows of another deployment
      // sharing this database belong to a queue this one cannot see.
      reconciler = every(runtime, {
        name: `analysis-reconciler:${analysisQueueName(runtime.config)}`,
        seconds: RECONCILE_SECONDS,
        work: () => reconcileAnalyses({ ...runtime, queue: openQueue }),
      });
    },
    async stop() {
      await reconciler?.stop();
      reconciler = null;
      const opened = queue;
      queue = null;
      await opened?.close();
      await models.close();
    },
    ready: async () => {
      await queue?.ready();
    },
  });
}
