// Analysis workers as separate processes, killed and stopped while they run jobs. A worker killed
// with SIGKILL stops renewing its BullMQ lock; after ANALYSIS_LOCK_SECONDS the stalled-job check of
// the surviving worker hands its job back, and the job ends SUCCEEDED once, with one insight per
// kind. A worker sent SIGTERM finishes the job it runs, takes no other, and exits 0.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { ANALYSIS_QUEUE, queuePrefix } from '../../subgraphs/insights/queue.js';
import { serveBuiltModels } from '../support/models.js';
import { startProcess, type RunningProcess } from '../support/processes.js';
import { gql, startTestStack, testEnv, unique, userWithRole, type TestStack } from '../support/stack.js';
import { waitUntil } from './services.js';

const LOCK_SECONDS = 3;
const STALLED_SECONDS = 2;
const KINDS = ['TREND', 'ANOMALY', 'FORECAST', 'NARRATIVE'];
/** Points of the analysed series: a job runs 1-2 s here (long enough to be killed mid-job), never blocking the event loop past the lock. */
const POINTS = 3000;

let stack: TestStack;
let analyst: { token: string };
let datasetId: string;
const workers: RunningProcess[] = [];

beforeAll(async () => {
  stack = await startTestStack({ START_WORKER: 'false' });
  analyst = await userWithRole(stack, 'ANALYST');
  await serveBuiltModels(stack, ['anomaly-robust-z', 'forecast-holt-winters']);
  datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('ops-series') } })).id;
  const start = Date.UTC(2000, 0, 1);
  await createVersionFromRows(stack.runtime.pool, null, datasetId, {
    columns: [
      { name: 'at', type: 'TIMESTAMP' },
      { name: 'load', type: 'FLOAT' },
    ],
    rows: Array.from({ length: POINTS }, (_, i) => [
      new Date(start + i * 3_600_000).toISOString(),
      100 + 20 * Math.sin((2 * Math.PI * i) / 24) + ((i * 37) % 11) + (i % 9973 === 0 ? 400 : 0),
    ]),
    sourceKind: 'CSV',
  });
}, 120_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await stack?.stop();
});

function startWorker(): RunningProcess {
  const worker = startProcess(
    'subgraphs/insights/worker/main.ts',
    [],
    testEnv({
      LOG_LEVEL: 'info',
      REDIS_KEY_PREFIX: stack.runtime.config.redisKeyPrefix,
      ANALYSIS_CONCURRENCY: '1',
      ANALYSIS_LOCK_SECONDS: String(LOCK_SECONDS),
      ANALYSIS_STALLED_INTERVAL_SECONDS: String(STALLED_SECONDS),
      SHUTDOWN_TIMEOUT_SECONDS: '20',
      ONNX_DEVICE: 'cpu',
      ONNX_WORKERS: '1',
    }),
  );
  workers.push(worker);
  return worker;
}

const started = (worker: RunningProcess) =>
  waitUntil('worker start', () => {
    if (worker.child.exitCode !== null) throw new Error(worker.output());
    return worker.output().includes('analysis worker started');
  });

async function queueAnalyses(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await gql(
      stack.url,
      'mutation($i: RunAnalysisInput!) { runAnalysis(input: $i) { id status } }',
      { i: { datasetId, column: 'load', timeColumn: 'at', kinds: KINDS } },
      analyst.token,
    );
    expect(r.errors).toBeUndefined();
    ids.push(r.data!.runAnalysis.id);
  }
  return ids;
}

const jobsOf = (ids: string[]) =>
  stack.runtime.prisma.analysisJob.findMany({ where: { id: { in: ids } }, include: { insights: { select: { kind: true } } } });

/** Every job SUCCEEDED with exactly one insight per asked-for kind. */
async function expectAllSucceededOnce(ids: string[]) {
  const jobs = await jobsOf(ids);
  expect(jobs.map((j) => [j.status, j.error])).toEqual(ids.map(() => ['SUCCEEDED', null]));
  for (const job of jobs) expect(job.insights.map((i) => i.kind).sort()).toEqual([...KINDS].sort());
  const insights = await stack.runtime.prisma.insight.count({ where: { jobId: { in: ids } } });
  expect(insights).toBe(ids.length * KINDS.length);
}

describe('analysis workers', () => {
  it('finishes every job exactly once when a worker is killed mid-job (SIGKILL)', async () => {
    const [a, b] = [startWorker(), startWorker()];
    await Promise.all([started(a), started(b)]);
    const ids = await queueAnalyses(6);
    // Each worker runs one job at a time: two RUNNING rows mean both are mid-job.
    await waitUntil('both workers running a job', async () => (await jobsOf(ids)).filter((j) => j.status === 'RUNNING').length === 2);
    a.child.kill('SIGKILL');
    const killed = performance.now();
    await a.exited;

    const done = await waitUntil(
      'every job finished',
      async () => (await jobsOf(ids)).every((j) => j.status === 'SUCCEEDED' || j.status === 'FAILED'),
      60_000,
      100,
    ).catch(async (err: Error) => {
      const jobs = await jobsOf(ids);
      throw new Error(
        `${err.message}: ${JSON.stringify(jobs.map((j) => [j.status, j.stage, j.startedAt, j.finishedAt, j.error]))}\n${b.output().slice(-3000)}`,
      );
    });
    const runs = (await jobsOf(ids)).map((j) => j.finishedAt!.getTime() - j.startedAt!.getTime());
    console.log(
      `SIGKILL a worker → all ${ids.length} jobs done: ${Math.round(performance.now() - killed)} ms ` +
        `(lock ${LOCK_SECONDS} s, stalled check every ${STALLED_SECONDS} s, one job's last attempt ${Math.min(...runs)}-${Math.max(...runs)} ms)`,
    );
    await expectAllSucceededOnce(ids);

    // The killed worker's job was handed back by the stalled-job check (not merely finished later).
    const connection = new Redis(stack.runtime.config.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(ANALYSIS_QUEUE, { connection, prefix: queuePrefix(stack.runtime.config) });
    try {
      const stalled = await Promise.all(ids.map(async (id) => (await queue.getJob(id))?.stalledCounter ?? 0));
      expect(stalled.filter((n) => n > 0)).toHaveLength(1);
    } finally {
      await queue.close();
      connection.disconnect();
    }
    // Bound: the lock expires, the next stalled check returns the job, one job's run (plus the survivor's queue).
    expect(done).toBeLessThan((LOCK_SECONDS + STALLED_SECONDS) * 1000 + ids.length * Math.max(...runs) + 5000);
  }, 120_000);

  it('lets the running job finish on SIGTERM, exits 0 and leaves the rest queued for another worker', async () => {
    const b = workers[1]!;
    const ids = await queueAnalyses(3);
    await waitUntil('a job running', async () => (await jobsOf(ids)).some((j) => j.status === 'RUNNING'));
    const running = (await jobsOf(ids)).find((j) => j.status === 'RUNNING')!.id;
    const signalled = performance.now();
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    const drained = performance.now() - signalled;
    console.log(`SIGTERM a worker mid-job → exit 0 after ${Math.round(drained)} ms, its job finished`);
    const jobs = await jobsOf(ids);
    expect(jobs.find((j) => j.id === running)!.status).toBe('SUCCEEDED');
    expect(jobs.filter((j) => j.status === 'QUEUED').length).toBeGreaterThan(0);

    const c = startWorker();
    await started(c);
    await waitUntil('the queued jobs finished', async () => (await jobsOf(ids)).every((j) => j.status === 'SUCCEEDED'), 60_000, 100);
    await expectAllSucceededOnce(ids);
  }, 120_000);
});
