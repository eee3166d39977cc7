import { baseContext, defineSubgraph } from '../../lib/graphql/subgraph.js';
import type { Runtime } from '../../lib/runtime.js';
import { createLoaders, type InsightsContext } from './context.js';
import { resolvers } from './resolvers/index.js';

/** Analysis jobs and the insights they find (anomalies, forecasts, narratives, chart choices). */
export function createInsightsSubgraph(runtime: Runtime) {
  return defineSubgraph<InsightsContext>({
    name: 'insights',
    schemaFile: new URL('./schema.graphql', import.meta.url),
    resolvers,
    createContext: (request) => ({ ...baseContext(runtime, request), loaders: createLoaders(runtime.prisma) }),
  });
}
