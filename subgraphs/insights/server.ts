import { baseContext, defineSubgraph } from '../../lib/graphql/subgraph.js';
import type { Runtime } from '../../lib/runtime.js';
import { createLoaders, type InsightsContext } from './context.js';
import { createAnalysisQueue, type AnalysisQueue } from './queue.js';
import { resolvers } from './resolvers/index.js';

/** Analysis jobs and the insights they find (anomalies, forecasts, narratives, chart choices). */
export function createInsightsSubgraph(runtime: Runtime) {
  // Opened on first use: a replica that never queues an analysis holds no queue connection.
  let queue: AnalysisQueue | null = null;
  const openQueue = () => (queue ??= createAnalysisQueue(runtime.config, runtime.logger));
  return defineSubgraph<InsightsContext>({
    name: 'insights',
    schemaFile: new URL('./schema.graphql', import.meta.url),
    resolvers,
    createContext: (request) => ({ ...baseContext(runtime, request), loaders: createLoaders(runtime.prisma), queue: openQueue }),
    async stop() {
      const opened = queue;
      queue = null;
      await opened?.close();
    },
    ready: async () => {
      await queue?.ready();
    },
  });
}
