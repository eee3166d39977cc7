// The worker's inference, through the real queue and stack: analyses running together share the
// engine's batches, and a job whose CUDA inferences fail at run time finishes on the CPU and says
// so on its `device` (the engine here runs a worker thread whose CUDA sessions open but fail every run).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../../lib/datasets/tables.js';
import { readArtifacts } from '../../../models/artifacts.js';
import { InferenceEngine } from '../../../models/runtime/engine.js';
import { serveBuiltModels } from '../../../test/support/models.js';
import { gql, startTestStack, unique, userWithRole, type TestStack } from '../../../test/support/stack.js';
import { createAnalysisWorker } from './worker.js';

let stack: TestStack;
let analyst: { token: string };
let datasetId: string;

beforeAll(async () => {
  stack = await startTestStack({ URGENT_ROLES: 'ADMIN,ANALYST' });
  analyst = await userWithRole(stack, 'ANALYST');
  await serveBuiltModels(stack, ['anomaly-robust-z', 'forecast-holt-winters']);
  datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('batched') } })).id;
  const rows = Array.from({ length: 72 }, (_, m) => [
    new Date(Date.UTC(2019, m, 1)).toISOString().slice(0, 10),
    500 + 3 * m + 40 * Math.sin((2 * Math.PI * m) / 12) + ((m * 17) % 7) - 3 + (m === 40 ? 300 : 0),
  ]);
  await createVersionFromRows(stack.runtime.pool, null, datasetId, {
    columns: [
      { name: 'month', type: 'DATE' },
      { name: 'sales', type: 'FLOAT' },
    ],
    rows,
    sourceKind: 'CSV',
  });
}, 60_000);
afterAll(() => stack?.stop());

/** Queues `count` analyses, starts `worker`, and waits for all of them to finish; answers the jobs. */
async function runAll(count: number, worker: { start(): void }) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await gql(
      stack.url,
      'mutation($i: RunAnalysisInput!) { runAnalysis(input: $i) { id } }',
      { i: { datasetId, column: 'sales', timeColumn: 'month', kinds: ['ANOMALY', 'FORECAST'], priority: 'URGENT' } },
      analyst.token,
    );
    expect(r.errors).toBeUndefined();
    ids.push(r.data!.runAnalysis.id);
  }
  // Started once every job waits: they all run at once.
  worker.start();
  for (let waited = 0; waited < 60_000; waited += 100) {
    const jobs = await stack.runtime.prisma.analysisJob.findMany({ where: { id: { in: ids } } });
    if (jobs.every((j) => j.status === 'SUCCEEDED' || j.status === 'FAILED')) return jobs;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the analyses did not finish within a minute');
}

describe('analysis worker inference', () => {
  it('runs the windows of analyses running together as shared batches', async () => {
    const engine = new InferenceEngine({ device: 'cpu', workers: 1, maxDelayUs: 50_000 });
    const worker = createAnalysisWorker(stack.runtime, { concurrency: 6, engine });
    try {
      const jobs = await runAll(6, worker);
      expect(jobs.map((j) => [j.status, j.device])).toEqual(Array.from({ length: 6 }, () => ['SUCCEEDED', 'cpu']));
      const stats = engine.totalBatchStats();
      // 6 jobs × (anomaly scoring + forecast) requests, in fewer batches than requests.
      expect(stats.requests).toBeGreaterThanOrEqual(12);
      expect(stats.batches).toBeLessThan(stats.requests);
    } finally {
      await worker.stop();
      await engine.close();
    }
  });

  it('finishes on the CPU when CUDA runs fail, and records cpu as the device', async () => {
    const engine = new InferenceEngine({
      device: 'cuda',
      workers: 1,
      workerScript: new URL('../../../test/support/failingCudaWorker.mjs', import.meta.url),
    });
    const worker = createAnalysisWorker(stack.runtime, { concurrency: 2, engine });
    try {
      // Loading says CUDA: only a failed run can make the job's device cpu.
      expect((await engine.load('probe', readArtifacts().find((a) => a.name === 'anomaly-robust-z')!.bytes)).device).toBe('cuda');
      const [job] = await runAll(1, worker);
      expect(job).toMatchObject({ status: 'SUCCEEDED', device: 'cpu', error: null });
      const insights = await stack.runtime.prisma.insight.findMany({ where: { jobId: job!.id }, orderBy: { createdAt: 'asc' } });
      const anomaly = insights.find((i) => i.kind === 'ANOMALY')!;
      expect((anomaly.anomalies as Array<{ index: number }>).map((a) => a.index)).toContain(40);
      expect((insights.find((i) => i.kind === 'FORECAST')!.forecast as unknown[]).length).toBe(12);
    } finally {
      await worker.stop();
      await engine.close();
    }
  });
});
