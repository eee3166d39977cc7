// The metrics the Grafana dashboard reads, scraped from /metrics after real work: analyses queued
// by priority (queue depth), run by a worker (job durations, inference latency by model, version
// and device), a drift check that finds drift (drift events) — from the single-host gateway, from
// a worker's own metrics port, and from a subgraph served on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { serveSubgraph } from '../../lib/graphql/serveSubgraph.js';
import { serveMetrics } from '../../lib/metrics.js';
import { recordFeatures } from '../../lib/registry/drift.js';
import { InferenceEngine } from '../../models/runtime/engine.js';
import { createAnalysisWorker } from '../../subgraphs/insights/worker/worker.js';
import { createInsightsSubgraph } from '../../subgraphs/insights/server.js';
import { serveBuiltModels } from '../support/models.js';
import { gql, startTestStack, unique, userWithRole, type TestStack } from '../support/stack.js';

let stack: TestStack;
let admin: { token: string };
let datasetId: string;

beforeAll(async () => {
  stack = await startTestStack({ URGENT_ROLES: 'ADMIN' });
  admin = await userWithRole(stack, 'ADMIN');
  await serveBuiltModels(stack, ['anomaly-robust-z', 'forecast-holt-winters', 'chart-recommender']);
  datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('metrics') } })).id;
  await createVersionFromRows(stack.runtime.pool, null, datasetId, {
    columns: [
      { name: 'month', type: 'DATE' },
      { name: 'sales', type: 'FLOAT' },
    ],
    rows: Array.from({ length: 48 }, (_, m) => [new Date(Date.UTC(2020, m, 1)).toISOString().slice(0, 10), 100 + m + (m % 12) * 3]),
    sourceKind: 'CSV',
  });
}, 60_000);
afterAll(() => stack?.stop());

async function scrape(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

/** The value of the sample `name{labels}` (labels in any order), or null when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | null {
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return null;
}

async function queueAnalysis(priority: 'URGENT' | 'LOW'): Promise<string> {
  const r = await gql(
    stack.url,
    'mutation($i: RunAnalysisInput!) { runAnalysis(input: $i) { id } }',
    { i: { datasetId, column: 'sales', timeColumn: 'month', kinds: ['ANOMALY', 'FORECAST'], priority } },
    admin.token,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.runAnalysis.id;
}

describe('metrics of the work behind the gateway', () => {
  it('reports queue depth by priority, then job durations and inference latency by model, version and device', async () => {
    const ids = [await queueAnalysis('URGENT'), await queueAnalysis('LOW'), await queueAnalysis('LOW')];
    const queued = await scrape(`${stack.url}/metrics`);
    expect(sample(queued, 'reportgraph_analysis_queue_depth', { priority: 'URGENT' })).toBe(1);
    expect(sample(queued, 'reportgraph_analysis_queue_depth', { priority: 'LOW' })).toBe(2);
    expect(sample(queued, 'reportgraph_analysis_queue_depth', { priority: 'NORMAL' })).toBe(0);

    const engine = new InferenceEngine({ device: 'cpu', workers: 1 });
    const worker = createAnalysisWorker(stack.runtime, { concurrency: 2, engine });
    // A worker process's own metrics port (WORKER_METRICS_PORT) serves the same registry.
    const port = await serveMetrics({ host: '127.0.0.1', port: 0, token: 'metrics-token' });
    try {
      worker.start();
      expect(await worker.device()).toEqual({ device: 'cpu' });
      for (let waited = 0; ; waited += 100) {
        const jobs = await stack.runtime.prisma.analysisJob.findMany({ where: { id: { in: ids } } });
        if (jobs.every((j) => j.status === 'SUCCEEDED')) break;
        if (waited > 60_000) throw new Error(`analyses did not finish: ${jobs.map((j) => `${j.status} ${j.error}`).join(', ')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const versions = await stack.runtime.prisma.modelAlias.findMany({
        where: { alias: 'production', model: { name: { in: ['anomaly-robust-z', 'forecast-holt-winters'] } } },
        include: { model: true, version: true },
      });
      const urls = [`${stack.url}/metrics`, `http://127.0.0.1:${port.port}/metrics`];
      for (const url of urls) {
        const text = await scrape(url, { authorization: 'Bearer metrics-token' });
        expect(
          sample(text, 'reportgraph_analysis_job_duration_seconds_count', { outcome: 'succeeded', device: 'cpu' }),
        ).toBeGreaterThanOrEqual(3);
        for (const v of versions) {
          const labels = { model: v.model.name, version: String(v.version.version), device: 'cpu', outcome: 'ok' };
          expect(sample(text, 'reportgraph_inference_duration_seconds_count', labels), JSON.stringify(labels)).toBeGreaterThan(0);
        }
        expect(sample(text, 'reportgraph_analysis_queue_depth', { priority: 'LOW' })).toBe(0);
      }
      // The worker's port: process metrics too, health, and METRICS_TOKEN enforced.
      expect(await scrape(urls[1]!, { authorization: 'Bearer metrics-token' })).toContain('reportgraph_process_resident_memory_bytes');
      expect((await fetch(urls[1]!)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port.port}/healthz`)).status).toBe(200);
    } finally {
      await port.close();
      await worker.stop();
      await engine.close();
    }
  });

  it('counts drift events by model and version', async () => {
    const { prisma, redis } = stack.runtime;
    const alias = await prisma.modelAlias.findFirstOrThrow({
      where: { alias: 'production', model: { name: 'chart-recommender' } },
      include: { version: true },
    });
    const before = sample(await scrape(`${stack.url}/metrics`), 'reportgraph_model_drift_events_total', {
      model: 'chart-recommender',
      version: String(alias.version.version),
    });
    // Its first 500 inputs (the reference) around 0, the next 1000 around 5: drifted.
    const rows = (n: number, centre: number) => Array.from({ length: n }, (_, i) => ({ mean: centre + ((i * 37) % 100) / 100 }));
    await recordFeatures(redis, alias.versionId, rows(500, 0), Date.now() - 60_000);
    await recordFeatures(redis, alias.versionId, rows(1000, 5));
    const r = await gql(
      stack.url,
      'mutation($m: String!, $v: Int!) { computeDrift(modelName: $m, version: $v) { feature drifted } }',
      { m: 'chart-recommender', v: alias.version.version },
      admin.token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.computeDrift).toContainEqual({ feature: 'mean', drifted: true });
    const after = sample(await scrape(`${stack.url}/metrics`), 'reportgraph_model_drift_events_total', {
      model: 'chart-recommender',
      version: String(alias.version.version),
    });
    expect(after).toBe((before ?? 0) + 1);
  });

  it('serves /metrics from a subgraph running on its own (distributed)', async () => {
    const server = await serveSubgraph(createInsightsSubgraph(stack.runtime) as never, stack.runtime, { host: '127.0.0.1', port: 0 });
    try {
      const text = await scrape(`${server.url.replace(/\/graphql$/, '')}/metrics`);
      expect(text).toContain('# TYPE reportgraph_analysis_queue_depth gauge');
      expect(text).toContain('# TYPE reportgraph_inference_duration_seconds histogram');
      expect(text).toContain('reportgraph_process_cpu_seconds_total');
    } finally {
      await server.close();
    }
  });
});
