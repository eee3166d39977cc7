import { baseContext, defineSubgraph } from '../../lib/graphql/subgraph.js';
import type { Runtime } from '../../lib/runtime.js';
import { createLoaders, type TemplatesContext } from './context.js';
import { createReportHeads } from './data/reportHeads.js';
import { runDueSchedules } from './data/reports.js';
import { resolvers } from './resolvers/index.js';

/** Report templates and their versions, users, API keys and persisted operations. */
export function createTemplatesSubgraph(runtime: Runtime) {
  runtime.every(runtime.config.reportSchedulerIntervalSeconds, 'running report schedules', () => runDueSchedules(runtime, runtime.logger));
  const reportHeads = createReportHeads(runtime.pool, runtime.config.databaseUrl, runtime.logger);
  runtime.onClose(() => reportHeads.close());
  return defineSubgraph<TemplatesContext>({
    name: 'templates',
    schemaFile: new URL('./schema.graphql', import.meta.url),
    resolvers,
    createContext: (request) => ({ ...baseContext(runtime, request), loaders: createLoaders(runtime.prisma), reportHeads }),
  });
}
