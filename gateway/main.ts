// Entry point of the gateway, in either topology:
//   npm start              single host: gateway + the four subgraphs in this process
//   npm run start:gateway  distributed: subgraphs are separate processes at *_URL
import { loadConfig, redactUrl } from '../lib/config.js';
import { ensurePostgres, ensureRedis } from '../lib/db/connectivity.js';
import { migrate } from '../lib/db/migrate.js';
import { createRuntime } from '../lib/runtime.js';
import { onShutdown, runMain, StartupError } from '../lib/startup.js';
import { startTracing } from '../lib/tracing/index.js';
import { ensureAdmin, seedDemo } from '../prisma/seed.js';
import type { AnalysisWorker } from '../subgraphs/insights/worker/worker.js';
import { createGatewayServer, type SubgraphEndpoint } from './server.js';

const topology = process.argv[2] ?? 'single-host';

await runMain(async () => {
  if (topology !== 'single-host' && topology !== 'distributed') {
    throw new StartupError(`unknown topology "${topology}": use single-host or distributed`);
  }
  const started = performance.now();
  const config = loadConfig();
  await startTracing(config.tracing, 'reportgraph-gateway');
  if (topology === 'distributed' && config.jwtSecretGenerated) {
    throw new StartupError('JWT_SECRET is required when parts run as separate processes (they must share it)');
  }
  await Promise.all([ensurePostgres(config.databaseUrl), ensureRedis(config.redisUrl)]);
  const applied = await migrate(config.databaseUrl);

  const runtime = createRuntime(config);
  const { logger } = runtime;
  if (applied.length) logger.info({ applied }, 'migrations applied');
  if (config.jwtSecretGenerated) logger.warn('JWT_SECRET is not set: tokens will not survive a restart');
  const { password } = await ensureAdmin(runtime);
  if (config.seedDemo) await seedDemo(runtime, password);

  let endpoints: SubgraphEndpoint[];
  let worker: AnalysisWorker | null = null;
  if (topology === 'single-host') {
    const { inProcessEndpoints, inProcessWorker } = await import('./topology/singleHost.js');
    endpoints = inProcessEndpoints(runtime);
    worker = inProcessWorker(runtime);
  } else {
    const { remoteEndpoints } = await import('./topology/distributed.js');
    endpoints = await remoteEndpoints(config, logger);
  }
  const gateway = await createGatewayServer(runtime, endpoints);
  const url = await gateway.listen(config.host, config.port);
  worker?.start();
  logger.info(
    {
      app: `${url}/`,
      url: `${url}/graphql`,
      topology,
      database: redactUrl(config.databaseUrl),
      ms: Math.round(performance.now() - started),
    },
    'ReportGraph is ready',
  );
  // Requests in flight finish, live connections close with 1001, running analyses finish; then
  // the connections close. Bounded by SHUTDOWN_TIMEOUT_SECONDS.
  onShutdown(
    async () => {
      await Promise.all([gateway.stop(), worker?.stop()]);
      await runtime.close();
    },
    { timeoutSeconds: config.shutdownTimeoutSeconds, logger },
  );
});
