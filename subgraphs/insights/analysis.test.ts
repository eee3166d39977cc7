// An analysis end to end through the gateway: runAnalysis queues it, the worker runs the
// registry's models (through the engine), analysisProgress streams the steps, and the insights
// come back with their model versions resolved across subgraphs.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { buildChart } from '../../models/builders/chart.js';
import { buildHoltWinters } from '../../models/builders/forecast.js';
import { buildRobustZ } from '../../models/builders/robustZ.js';
import { gql, startTestStack, unique, userWithRole, type TestStack } from '../../test/support/stack.js';

let stack: TestStack;
let analyst: { token: string };
let datasetId: string;

beforeAll(async () => {
  stack = await startTestStack({ START_WORKER: 'true', ONNX_DEVICE: 'cpu', ONNX_WORKERS: '1', URGENT_ROLES: 'ADMIN,ANALYST' });
  const admin = await userWithRole(stack, 'ADMIN');
  analyst = await userWithRole(stack, 'ANALYST');
  for (const m of [buildRobustZ(), buildHoltWinters(), buildChart()]) {
    const r = await gql(
      stack.url,
      'mutation($m: String!, $t: ModelTask!, $b: String!, $x: JSON) { registerModelVersion(modelName: $m, task: $t, onnxBase64: $b, metrics: $x) { version } }',
      { m: m.name, t: m.task, b: Buffer.from(m.bytes).toString('base64'), x: m.metadata.metrics },
      admin.token,
    );
    expect(r.errors).toBeUndefined();
    // A registered version serves analyses only once an ADMIN points `production` (or a split) at it.
    const p = await gql(
      stack.url,
      'mutation($m: String!, $v: Int!) { setModelAlias(modelName: $m, alias: "production", version: $v) { name } }',
      { m: m.name, v: r.data!.registerModelVersion.version },
      admin.token,
    );
    expect(p.errors).toBeUndefined();
  }
  // Five years of a monthly seasonal series with one spike at month 50.
  const rows = Array.from({ length: 60 }, (_, m) => [
    new Date(Date.UTC(2021, m, 1)).toISOString().slice(0, 10),
    1000 + 5 * m + 80 * Math.sin((2 * Math.PI * m) / 12) + ((m * 37) % 11) - 5 + (m === 50 ? 900 : 0),
  ]);
  datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('series') } })).id;
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

const RUN = 'mutation($i: RunAnalysisInput!) { runAnalysis(input: $i) { id status } }';
const PROGRESS = `subscription($id: ID!) { analysisProgress(jobId: $id) {
  stage progress message job { status dataset { name } } insight { kind summary } } }`;

function follow(jobId: string): Promise<any[]> {
  const client = createClient({
    url: `${stack.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${analyst.token}` },
    retryAttempts: 0,
  });
  const events: any[] = [];
  return new Promise((resolve, reject) => {
    client.subscribe(
      { query: PROGRESS, variables: { id: jobId } },
      {
        next: (r) => (r.errors ? reject(new Error(JSON.stringify(r.errors))) : events.push(r.data!.analysisProgress)),
        error: reject,
        complete: () => {
          void client.dispose();
          resolve(events);
        },
      },
    );
  });
}

describe('runAnalysis with a worker', () => {
  it('streams progress to the end and stores anomalies, forecast, trend, chart and narrative', async () => {
    const run = await gql(
      stack.url,
      RUN,
      {
        i: {
          datasetId,
          column: 'sales',
          timeColumn: 'month',
          kinds: ['ANOMALY', 'FORECAST', 'TREND', 'CHART', 'NARRATIVE'],
          priority: 'URGENT',
          horizon: 6,
        },
      },
      analyst.token,
    );
    expect(run.data!.runAnalysis.status).toBe('QUEUED');
    const events = await follow(run.data!.runAnalysis.id);
    const last = events.at(-1);
    expect(last.job.status).toBe('SUCCEEDED');
    expect(last.progress).toBe(1);
    expect(events.every((e) => e.job.dataset.name.startsWith('series'))).toBe(true); // resolved by the datasets subgraph
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const job = await gql(
      stack.url,
      `query($id: ID!) { analysisJob(id: $id) { status device progress
      modelVersions { version model { name } }
      insights { kind summary language anomalies { index timestamp value score } forecast { timestamp value lower upper } chart { type probability }
        modelVersion { model { name } } } } }`,
      { id: run.data!.runAnalysis.id },
      analyst.token,
    );
    expect(job.errors).toBeUndefined();
    const a = job.data!.analysisJob;
    expect(a).toMatchObject({ status: 'SUCCEEDED', device: 'cpu', progress: 1 });
    expect(a.modelVersions.map((v: any) => v.model.name).sort()).toEqual([
      'anomaly-robust-z',
      'chart-recommender',
      'forecast-holt-winters',
    ]);
    const byKind = Object.fromEntries(a.insights.map((i: any) => [i.kind, i]));
    expect(byKind.ANOMALY.anomalies.map((x: any) => x.index)).toContain(50);
    expect(byKind.ANOMALY.anomalies.find((x: any) => x.index === 50).timestamp).toBe('2025-03-01T00:00:00.000Z');
    expect(byKind.ANOMALY.modelVersion.model.name).toBe('anomaly-robust-z');
    expect(byKind.FORECAST.forecast).toHaveLength(6);
    expect(byKind.FORECAST.forecast[0].timestamp).toBe('2026-01-01T00:00:00.000Z');
    for (const p of byKind.FORECAST.forecast) expect(p.lower).toBeLessThanOrEqual(p.value);
    expect(byKind.CHART.chart.type).toBe('line');
    expect(byKind.TREND.summary).toMatch(/^sales trends up over 60 points from 2021-01-01 to 2025-12-01/);
    expect(byKind.NARRATIVE.summary).toContain(byKind.ANOMALY.summary);
  });

  it('writes the narrative in Chinese when asked', async () => {
    const run = await gql(
      stack.url,
      RUN,
      { i: { datasetId, column: 'sales', timeColumn: 'month', kinds: ['TREND'], language: 'ZH' } },
      analyst.token,
    );
    const events = await follow(run.data!.runAnalysis.id);
    expect(events.at(-1).job.status).toBe('SUCCEEDED');
    const trend = events.find((e) => e.insight)?.insight;
    expect(trend.summary).toMatch(/^sales 共 60 个数据点（2021-01-01 至 2025-12-01），呈上升趋势/);
  });
});
