// `npm run start:worker`: an analysis worker as its own process (scale out: run several; GPU
// hosts run them with ONNX_DEVICE=cuda).
import { loadConfig } from '../../../lib/config.js';
import { ensurePostgres, ensureRedis } from '../../../lib/db/connectivity.js';
import { serveMetrics } from '../../../lib/metrics.js';
import { createRuntime } from '../../../lib/runtime.js';
import { onShutdown, runMain } from '../../../lib/startup.js';
import { startTracing } from '../../../lib/tracing/index.js';
import { createAnalysisWorker } from './worker.js';

await runMain(async () => {
  const config = loadConfig();
  await startTracing(config.tracing, 'reportgraph-worker');
  await Promise.all([ensurePostgres(config.databaseUrl), ensureRedis(config.redisUrl)]);
  const runtime = createRuntime(config);
  const worker = createAnalysisWorker(runtime, { concurrency: config.analysisConcurrency });
  worker.start();
  const port = config.workerMetricsPort;
  const metrics = port ? await serveMetrics({ host: config.host, port, token: config.metricsToken }) : null;
  // The device inferences get, not only the one asked for: a GPU worker without CUDA says so here.
  const { device, fallback } = await worker.device();
  runtime.logger.info(
    { device, requested: config.onnx.device, fallback, concurrency: config.analysisConcurrency, metricsPort: metrics?.port },
    'analysis worker started',
  );
  // Running analyses finish (BullMQ's worker.close); one still running at the deadline is left
  // to the stalled-job check, which hands it to another worker.
  onShutdown(
    async () => {
      await metrics?.close();
      await worker.stop();
      await runtime.close();
    },
    { timeoutSeconds: config.shutdownTimeoutSeconds, logger: runtime.logger },
  );
});
