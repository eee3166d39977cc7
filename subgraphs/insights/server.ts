import { baseContext, defineSubgraph } from '../../lib/graphql/subgraph.js';
import type { Runtime } from '../../lib/runtime.js';
import { createLoaders, type InsightsContext } from './context.js';
import { createAnalysisQueue, type AnalysisQueue } from './queue.js';
import { resolvers } from './resolvers/index.js';

export { startAnalysisWorker } from './worker/worker.js';

/** Analysis jobs and the insights they find (anomalies, forecasts, narratives, chart choices). */
export function createInsightsSubgraph(runtime: Runtime) {
  let queue: AnalysisQueue | null = null;
  const openQueue = () => {
    if (!queue) {
      queue = createAnalysisQueue(runtime.config);
      const opened = queue;
      runtime.onClose(() => opened.close());
    }
    return queue;
  };
  return defineSubgraph<InsightsContext>({
    name: 'insights',
    schemaFile: new URL('./schema.graphql', import.meta.url),
    resolvers,
    createContext: (request) => ({ ...baseContext(runtime, request), loaders: createLoaders(runtime.prisma), queue: openQueue }),
  });
}
