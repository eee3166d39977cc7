// Prometheus metrics of the work behind the gateway, recorded wherever that work runs: analysis
// queue depth by priority, analysis job durations, inference latency by model, version and
// device, and drift events. One registry per process: the gateway's /metrics appends it to its
// own (single host: everything runs there), each subgraph process serves it at /metrics with the
// process metrics, and a worker process on WORKER_METRICS_PORT.
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const appMetrics = new Registry();

/** Queue depth as a source reports it: jobs waiting per priority name. */
export type QueueDepthSource = () => Promise<Record<string, number>>;
const queueSources = new Set<QueueDepthSource>();

export const metrics = {
  queueDepth: new Gauge({
    name: 'reportgraph_analysis_queue_depth',
    help: 'Analyses waiting in the queue for a worker, by priority',
    labelNames: ['priority'],
    registers: [appMetrics],
    async collect() {
      // Read at scrape time; a queue that cannot answer (Redis down) leaves the gauge empty.
      this.reset();
      for (const source of queueSources) {
        const counts = await source().catch(() => null);
        for (const [priority, n] of Object.entries(counts ?? {})) this.set({ priority }, n);
      }
    },
  }),
  jobDuration: new Histogram({
    name: 'reportgraph_analysis_job_duration_seconds',
    help: 'Analyses run by workers, from the start of an attempt to its end, by outcome and device',
    labelNames: ['outcome', 'device'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
    registers: [appMetrics],
  }),
  inferenceDuration: new Histogram({
    name: 'reportgraph_inference_duration_seconds',
    help: 'Inference requests through the engine (batching included), by model, version and device',
    labelNames: ['model', 'version', 'device', 'outcome'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [appMetrics],
  }),
  driftEvents: new Counter({
    name: 'reportgraph_model_drift_events_total',
    help: 'Drift checks that found a model version drifted (one per check, whatever the number of features)',
    labelNames: ['model', 'version'],
    registers: [appMetrics],
  }),
};

/** Reports a queue's depth at each scrape until the returned function is called. */
export function watchQueueDepth(source: QueueDepthSource): () => void {
  queueSources.add(source);
  return () => queueSources.delete(source);
}

let processRegistry: Registry | null = null;
/** Node's process metrics (memory, event loop, GC) under `reportgraph_`, collected once per process. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'reportgraph_' });
  }
  return processRegistry;
}

/** The exposition of a process that is not the gateway: process metrics, then the work's. */
export async function processMetricsText(): Promise<string> {
  return `${await processMetrics().metrics()}\n${await appMetrics.metrics()}`;
}

export const METRICS_CONTENT_TYPE = appMetrics.contentType;

/**
 * Whether a request may read /metrics: always, unless METRICS_TOKEN is set. The header is compared
 * in constant time (as digests, so that its length tells nothing either).
 */
export function metricsAllowed(token: string | undefined, authorization: string | undefined): boolean {
  if (!token) return true;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(authorization ?? ''), digest(`Bearer ${token}`));
}

/**
 * A small HTTP server for processes with no other (the analysis worker): `/metrics` (behind
 * METRICS_TOKEN when set) and `/healthz`.
 */
export async function serveMetrics({ host, port, token }: { host: string; port: number; token?: string }) {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (path === '/metrics' && req.method === 'GET') {
      if (!metricsAllowed(token, req.headers.authorization)) {
        res.writeHead(401).end();
        return;
      }
      processMetricsText().then(
        (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
