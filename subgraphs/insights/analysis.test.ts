// An analysis end to end through the gateway: runAnalysis queues it, the worker runs the
// registry's models (through the engine), analysisProgress streams the steps, and the insights
// come back with their model versions resolved across subgraphs. On real public series (from the
// vega-datasets package): injected spikes are found and the season is not flagged, and a spike in
// one industry's unemployment is traced back to that industry.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows, type ColumnSpec } from '../../lib/datasets/tables.js';
import { co2Series, vegaJson } from '../../models/training/publicSeries.js';
import { serveBuiltModels } from '../../test/support/models.js';
import { gql, startTestStack, unique, userWithRole, type TestStack } from '../../test/support/stack.js';

let stack: TestStack;
let analyst: { token: string };
let datasetId: string;

beforeAll(async () => {
  stack = await startTestStack({ START_WORKER: 'true', ONNX_DEVICE: 'cpu', ONNX_WORKERS: '1', URGENT_ROLES: 'ADMIN,ANALYST' });
  analyst = await userWithRole(stack, 'ANALYST');
  // A registered version serves analyses only once an ADMIN points `production` (or a split) at it.
  await serveBuiltModels(stack, ['anomaly-robust-z', 'forecast-holt-winters', 'chart-recommender']);
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

/** A dataset created (as the analyst) and loaded with rows through the data layer. */
async function datasetOf(name: string, columns: ColumnSpec[], rows: unknown[][]): Promise<string> {
  const id = (await stack.runtime.prisma.dataset.create({ data: { name: unique(name) } })).id;
  await createVersionFromRows(stack.runtime.pool, null, id, { columns, rows, sourceKind: 'CSV' });
  return id;
}

const INSIGHTS = `query($id: ID!) { analysisJob(id: $id) { status error insights { kind summary
  anomalies { index timestamp type value expected residual score drivers { column value contribution actual expected } }
  forecast { value lower upper } } } }`;

/** Runs an analysis to its end; answers the job with its insights by kind. */
async function analyse(input: Record<string, unknown>) {
  const run = await gql(stack.url, RUN, { i: { priority: 'URGENT', ...input } }, analyst.token);
  expect(run.errors).toBeUndefined();
  await follow(run.data!.runAnalysis.id);
  const job = (await gql(stack.url, INSIGHTS, { id: run.data!.runAnalysis.id }, analyst.token)).data!.analysisJob;
  expect(job.error).toBeNull();
  return Object.fromEntries(job.insights.map((i: any) => [i.kind, i])) as Record<string, any>;
}

/** The numbers a sentence states (grouped thousands and decimals, signs), as numbers. */
const numbersIn = (text: string, ...remove: string[]) =>
  (remove.reduce((t, r) => t.split(r).join(' '), text).match(/[-+]?\d[\d,]*(?:\.\d+)?/g) ?? []).map((n) => Number(n.replace(/,/g, '')));

describe('on real series (vega-datasets)', () => {
  it('monthly CO2: finds spikes injected at two points and flags no seasonal peak or trough', async () => {
    const { timestamps, values } = co2Series();
    const months = timestamps.slice(-120);
    const clean = values.slice(-120);
    const spiked = clean.map((v, i) => v + (i === 40 ? 2 : i === 85 ? -2 : 0));
    const columns: ColumnSpec[] = [
      { name: 'month', type: 'DATE' },
      { name: 'ppm', type: 'FLOAT' },
    ];
    const run = async (series: number[]) =>
      (
        await analyse({
          datasetId: await datasetOf(
            'co2',
            columns,
            months.map((m, i) => [m, series[i]]),
          ),
          column: 'ppm',
          timeColumn: 'month',
          kinds: ['ANOMALY'],
        })
      ).ANOMALY.anomalies as Array<{ index: number; type: string; expected: number; value: number; score: number }>;
    const before = await run(clean);
    // The record's own anomalies in these ten years: at most 2% of the points, and none of them a
    // seasonal peak or trough (every one is far from its expected seasonal value, not merely high).
    expect(before.length).toBeLessThanOrEqual(2);
    for (const a of before) expect(Math.abs(a.value - a.expected)).toBeGreaterThan(0.8);
    const after = await run(spiked);
    expect(after.map((a) => a.index).sort((a, b) => a - b)).toEqual(
      [...new Set([...before.map((a) => a.index), 40, 85])].sort((a, b) => a - b),
    );
    const found = after.filter((a) => a.index === 40 || a.index === 85);
    expect(found.map((a) => a.type)).toEqual(['SPIKE', 'SPIKE']);
    for (const a of found) expect(Math.abs(a.value - a.expected - (a.index === 40 ? 2 : -2))).toBeLessThan(0.6);
  });

  it('unemployment by industry: a spike in one industry is found and traced to it; every number of the narrative is a finding', async () => {
    const records = vegaJson<Array<{ series: string; date: string; count: number }>>('unemployment-across-industries.json');
    const rows = records.map((r) => {
      const month = `${r.date.slice(0, 7)}-01`;
      // A one-month surge of 1,500 (about seven noise levels of the total) in construction, July 2002.
      return [month, r.series, r.count + (month === '2002-07-01' && r.series === 'Construction' ? 1500 : 0)];
    });
    const datasetId = await datasetOf(
      'unemployment',
      [
        { name: 'month', type: 'DATE' },
        { name: 'industry', type: 'TEXT' },
        { name: 'unemployed', type: 'INTEGER' },
      ],
      rows,
    );
    const byKind = await analyse({ datasetId, column: 'unemployed', timeColumn: 'month', kinds: ['ANOMALY', 'TREND', 'NARRATIVE'] });
    const anomalies = byKind.ANOMALY.anomalies as any[];
    const surge = anomalies.find((a) => a.timestamp === '2002-07-01T00:00:00.000Z');
    expect(surge).toMatchObject({ type: 'SPIKE' });
    expect(surge.residual).toBeGreaterThan(1000);
    expect(surge.drivers[0]).toMatchObject({ column: 'industry', value: 'Construction' });
    expect(surge.drivers[0].contribution).toBeGreaterThan(0.5);
    const shares = surge.drivers.map((d: any) => d.contribution);
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
    expect(shares.reduce((a: number, b: number) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
    // The series is read on a log scale (its noise and season grow with its level): the 2008–09
    // recession is a rise of a few percent a month there, not a step. Its one other flag is
    // December 2000, which fell where Decembers rise, a month before the 2001 recession's jump.
    expect(anomalies.map((a) => [a.timestamp, a.type])).toEqual([
      ['2000-12-01T00:00:00.000Z', 'SPIKE'],
      ['2002-07-01T00:00:00.000Z', 'SPIKE'],
    ]);

    // Every number in the narrative is one of the findings (counts, values, expected values, scores,
    // shares, the trend's figures), as the narrative formats them.
    const strongest = [...anomalies].sort((a, b) => b.score - a.score);
    const trend = byKind.TREND;
    const allowed = new Set<number>([
      anomalies.length,
      ...anomalies.flatMap((a) => [a.value, a.expected, a.score, a.index + 1].map((v) => round(v))),
      ...strongest[0].drivers.map((d: any) => round(d.contribution * 100)),
      ...numbersIn(trend.summary, '2000-01-01', '2010-02-01'),
    ]);
    const said = numbersIn(byKind.NARRATIVE.summary, '2000-01-01', '2010-02-01', ...anomalies.map((a) => a.timestamp.slice(0, 10)));
    expect(said.length).toBeGreaterThan(8);
    for (const n of said) expect(allowed.has(n) || allowed.has(-n), `${n} in "${byKind.NARRATIVE.summary}"`).toBe(true);
    // It names the top driver of the strongest anomaly (the recession's, here).
    const top = strongest[0].drivers[0];
    expect(byKind.NARRATIVE.summary).toContain(`${top.column} = ${top.value}`);
  });
});

/** A finding as a narrative writes it (3 decimals, 1 from 100 up), read back as a number. */
function round(v: number): number {
  return Number(v.toFixed(Math.abs(v) >= 100 ? 1 : 3));
}
