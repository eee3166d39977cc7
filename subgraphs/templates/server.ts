import { baseContext, defineSubgraph } from '../../lib/graphql/subgraph.js';
import { every, type Periodic } from '../../lib/periodic.js';
import type { Runtime } from '../../lib/runtime.js';
import { createLoaders, type TemplatesContext } from './context.js';
import { createReportHeads } from './data/reportHeads.js';
import { runDueSchedules, sweepStuckRuns, SWEEP_SECONDS } from './data/reports.js';
import { resolvers } from './resolvers/index.js';
import { lazyServedModels } from '../../models/runtime/servedModels.js';

/** Report templates and their versions, users, API keys and persisted operations. */
export function createTemplatesSubgraph(runtime: Runtime) {
  const reportHeads = createReportHeads(runtime.pool, runtime.config.databaseUrl, runtime.logger);
  // CHART sections run the chart model here (see models/runtime/chartAdvisor.ts for why), on an
  // inference thread opened by the first chart rendered.
  const models = lazyServedModels(runtime);
  const deps = { ...runtime, models };
  let timers: Periodic[] = [];
  return defineSubgraph<TemplatesContext>({
    name: 'templates',
    schemaFile: new URL('./schema.graphql', import.meta.url),
    resolvers,
    createContext: (request) => ({ ...baseContext(runtime, request), loaders: createLoaders(runtime.prisma), reportHeads, models }),
    start() {
      reportHeads.listen();
      timers = [
        // Every replica polls: each due occurrence is claimed by one of them (SKIP LOCKED).
        every(runtime, {
          name: 'report-schedules',
          seconds: runtime.config.reportSchedulerIntervalSeconds,
          scope: 'process',
          work: () => runDueSchedules(deps, runtime.logger),
        }),
        // Once per period in the cluster: runs a crashed replica left RUNNING are retried or ended.
        every(runtime, { name: 'report-run-sweep', seconds: SWEEP_SECONDS, work: () => sweepStuckRuns(deps, runtime.logger) }),
      ];
    },
    async stop() {
      await Promise.all(timers.map((t) => t.stop()));
      timers = [];
      await reportHeads.close();
      await models.close();
    },
    ready: () => reportHeads.ready(),
  });
}
