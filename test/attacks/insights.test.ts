// Attacks on the insights limits a client can push: naming more dimensions than
// ANALYSIS_MAX_DIMENSIONS (refused before anything is queued), explaining anomalies by a column
// with thousands of values (only ANALYSIS_MAX_DIMENSION_VALUES of them are read apart), a series
// longer than ANALYSIS_MAX_POINTS (its job fails at once, in words, without retries), and an
// alias bomb of suggestChart (refused by its declared cost).
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { ANALYSIS_QUEUE, queuePrefix } from '../../subgraphs/insights/queue.js';
import { expectStillServes, post } from '../support/attack.js';
import { serveBuiltModels } from '../support/models.js';
import { codes, gql, startTestStack, unique, userWithRole, type TestStack } from '../support/stack.js';

let stack: TestStack;
let analyst: { id: string; token: string };
let datasetId: string;

beforeAll(async () => {
  stack = await startTestStack({
    START_WORKER: 'true',
    ONNX_DEVICE: 'cpu',
    ONNX_WORKERS: '1',
    ANALYSIS_MAX_DIMENSIONS: '2',
    ANALYSIS_MAX_DIMENSION_VALUES: '5',
    ANALYSIS_MAX_POINTS: '100',
    QUERY_MAX_COST: '1000',
  });
  analyst = await userWithRole(stack, 'ANALYST');
  await serveBuiltModels(stack, ['anomaly-robust-z', 'chart-recommender']);
  datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('orders'), ownerId: analyst.id } })).id;
  // Five years of daily-ish orders: every row its own customer (2,000 distinct values), four
  // products, a region; one month of customer c7's orders far above the rest.
  const rows: unknown[][] = [];
  for (let m = 0; m < 60; m++) {
    const month = new Date(Date.UTC(2020, m, 1)).toISOString().slice(0, 10);
    for (let k = 0; k < 34; k++) {
      const customer = `c${(m * 34 + k) % 2000}`;
      rows.push([month, customer, `p${k % 4}`, k % 2 ? 'North' : 'South', 100 + 20 * Math.sin((2 * Math.PI * m) / 12) + (k % 5)]);
    }
    if (m === 41) rows.push([month, 'c7', 'p1', 'North', 2500]);
  }
  await createVersionFromRows(stack.runtime.pool, null, datasetId, {
    columns: [
      { name: 'month', type: 'DATE' },
      { name: 'customer', type: 'TEXT' },
      { name: 'product', type: 'TEXT' },
      { name: 'region', type: 'TEXT' },
      { name: 'amount', type: 'FLOAT' },
    ],
    rows,
    sourceKind: 'CSV',
  });
}, 60_000);
afterAll(() => stack?.stop());

const RUN = 'mutation($i: RunAnalysisInput!) { runAnalysis(input: $i) { id } }';
const run = (dimensions: string[]) =>
  gql(stack.url, RUN, { i: { datasetId, column: 'amount', timeColumn: 'month', kinds: ['ANOMALY'], dimensions } }, analyst.token);

async function finished(id: string) {
  for (let waited = 0; waited < 60_000; waited += 100) {
    const job = await stack.runtime.prisma.analysisJob.findUniqueOrThrow({ where: { id } });
    if (job.status !== 'QUEUED' && job.status !== 'RUNNING') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the analysis did not finish');
}

describe('insights limits', () => {
  it('refuses more dimensions than ANALYSIS_MAX_DIMENSIONS before queueing anything', async () => {
    const before = await stack.runtime.prisma.analysisJob.count({ where: { createdById: analyst.id } });
    const r = await run(['customer', 'product', 'region']);
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.errors![0]!.extensions).toMatchObject({ field: 'input.dimensions', limit: 'ANALYSIS_MAX_DIMENSIONS' });
    expect(r.errors![0]!.message).toContain('ANALYSIS_MAX_DIMENSIONS');
    // Naming the same column many times is naming it once.
    expect((await run(['product', 'product', 'product', 'product'])).errors).toBeUndefined();
    expect(codes(await run(['amount']))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await run(['nope']))).toEqual(['BAD_USER_INPUT']);
    expect(await stack.runtime.prisma.analysisJob.count({ where: { createdById: analyst.id } })).toBe(before + 1);
    await expectStillServes(stack, analyst.token);
  });

  it('reads at most ANALYSIS_MAX_DIMENSION_VALUES values of a 2,000-value column apart, the rest as (other)', async () => {
    const r = await run(['customer']);
    expect(r.errors).toBeUndefined();
    const job = await finished(r.data!.runAnalysis.id);
    expect(job).toMatchObject({ status: 'SUCCEEDED', dimensions: ['customer'] });
    const insight = await stack.runtime.prisma.insight.findFirstOrThrow({ where: { jobId: job.id, kind: 'ANOMALY' } });
    const anomalies = insight.anomalies as Array<{ timestamp: string; drivers: Array<{ value: string; contribution: number }> }>;
    const surge = anomalies.find((a) => a.timestamp === '2023-06-01');
    expect(surge?.drivers[0]).toMatchObject({ value: 'c7' });
    const values = new Set(anomalies.flatMap((a) => a.drivers.map((d) => d.value)));
    expect([...values].every((v) => v === '(other)' || /^c\d+$/.test(v))).toBe(true);
    expect(values.size).toBeLessThanOrEqual(5 + 1);
    await expectStillServes(stack, analyst.token);
  });

  it('fails an analysis of a series longer than ANALYSIS_MAX_POINTS in words, once, and still analyses one within it', async () => {
    // 150 days: one point per distinct day, past the 100 this stack allows.
    const long = (await stack.runtime.prisma.dataset.create({ data: { name: unique('daily'), ownerId: analyst.id } })).id;
    await createVersionFromRows(stack.runtime.pool, null, long, {
      columns: [
        { name: 'day', type: 'DATE' },
        { name: 'amount', type: 'FLOAT' },
      ],
      rows: Array.from({ length: 150 }, (_, d) => [new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10), 100 + (d % 7)]),
      sourceKind: 'CSV',
    });
    const r = await gql(
      stack.url,
      RUN,
      { i: { datasetId: long, column: 'amount', timeColumn: 'day', kinds: ['ANOMALY', 'FORECAST'] } },
      analyst.token,
    );
    expect(r.errors).toBeUndefined();
    const job = await finished(r.data!.runAnalysis.id);
    expect(job.status).toBe('FAILED');
    expect(job.error).toContain('more than 100 points');
    expect(job.error).toContain('ANALYSIS_MAX_POINTS');
    expect(await stack.runtime.prisma.insight.count({ where: { jobId: job.id } })).toBe(0);
    // Refused input is not retried: BullMQ made one attempt, and holds the job as done.
    const connection = new Redis(stack.runtime.config.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(ANALYSIS_QUEUE, { connection, prefix: queuePrefix(stack.runtime.config) });
    try {
      const queued = await queue.getJob(job.id);
      expect(queued?.attemptsMade ?? 0).toBeLessThanOrEqual(1);
      expect(await queued?.getState()).toBe('completed');
    } finally {
      await queue.close();
      connection.disconnect();
    }
    // The 60 months of the other dataset are within it.
    const ok = await run([]);
    expect((await finished(ok.data!.runAnalysis.id)).status).toBe('SUCCEEDED');
    await expectStillServes(stack, analyst.token);
  });

  it('refuses an alias bomb of suggestChart by its cost (QUERY_MAX_COST), before any model runs', async () => {
    const one = `suggestChart(input: { datasetId: "${datasetId}", dimensions: ["region"], measures: [{ column: "amount", agg: SUM }] }) { type }`;
    const bomb = Array.from({ length: 6 }, (_, i) => `s${i}: ${one}`).join(' ');
    const r = await post(stack.url, { query: `{ ${bomb} }` }, { authorization: `Bearer ${analyst.token}` });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'QUERY_MAX_COST' });
    // Within the budget, it answers.
    const ok = await post(stack.url, { query: `{ a: ${one} b: ${one} }` }, { authorization: `Bearer ${analyst.token}` });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.a.type).toBe('pie');
    await expectStillServes(stack, analyst.token);
  });
});
