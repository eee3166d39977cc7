import { baseContext, defineSubgraph } from '../../lib/graphql/subgraph.js';
import { every, type Periodic } from '../../lib/periodic.js';
import type { Runtime } from '../../lib/runtime.js';
import { createLoaders, type TemplatesContext } from './context.js';
import { createReportHeads } from './data/reportHeads.js';
import { createReportCache } from './data/render.js';
import { runDueDeliveries } from './data/deliveries.js';
import { runDueSchedules, sweepStuckRuns, SWEEP_SECONDS } from './data/reports.js';
import { createDeliveryServices } from './delivery/services.js';
import { reportsHttp } from './http.js';
import { resolvers } from './resolvers/index.js';
import { lazyServedModels } from '../../models/runtime/servedModels.js';

/** Report templates and their versions, reports and their exports, schedules and deliveries, users, API keys and persisted operations. */
export function createTemplatesSubgraph(runtime: Runtime) {
  const reportHeads = createReportHeads(runtime.pool, runtime.config.databaseUrl, runtime.logger);
  // CHART sections run the chart model here (see models/runtime/chartAdvisor.ts for why), on an
  // inference thread opened by the first chart rendered.
  const models = lazyServedModels(runtime);
  const reportCache = createReportCache(runtime.redis, {
    ttlSeconds: runtime.config.reportCacheTtlSeconds,
    memoryBytes: runtime.config.reportCacheMemoryMb * 1024 * 1024,
  });
  const services = createDeliveryServices(runtime.config, runtime.logger);
  const deps = { ...runtime, ...services, reportHeads, reportCache, models };
  let timers: Periodic[] = [];
  return defineSubgraph<TemplatesContext>({
    name: 'templates',
    schemaFile: new URL('./schema.graphql', import.meta.url),
    resolvers,
    createContext: (request) =>
      baseContext(runtime, request, { loaders: createLoaders(runtime.prisma, runtime.pool), reportHeads, reportCache, models }),
    http: (identify) => reportsHttp(deps, identify),
    start() {
      reportHeads.listen();
      timers = [
        // Every replica polls: each due occurrence is claimed by one of them (SKIP LOCKED), then
        // each due delivery (first attempts right after their run, and retries), leased by one.
        every(runtime, {
          name: 'report-schedules',
          seconds: runtime.config.reportSchedulerIntervalSeconds,
          scope: 'process',
          work: async () => {
            await runDueSchedules(deps, runtime.logger);
            await runDueDeliveries(deps, runtime.logger);
          },
        }),
        // Once per period in the cluster: runs a crashed replica left RUNNING are retried or ended.
        every(runtime, { name: 'report-run-sweep', seconds: SWEEP_SECONDS, work: () => sweepStuckRuns(deps, runtime.logger) }),
      ];
    },
    async stop() {
      await Promise.all(timers.map((t) => t.stop()));
      timers = [];
      await reportHeads.close();
      await services.close();
      await models.close();
    },
    ready: () => reportHeads.ready(),
  });
}
