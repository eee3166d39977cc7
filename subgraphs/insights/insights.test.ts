// Analysis jobs through the gateway: queued with their inputs checked, listed, cancelled, and
// resolved across subgraphs (`AnalysisJob.dataset`, `Dataset.analysisJobs`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { codes, gql, startTestStack, unique, userWithRole, type TestStack } from '../../test/support/stack.js';

let stack: TestStack;
let analyst: { id: string; token: string };
let viewer: { id: string; token: string };
let datasetId: string;
let datasetName: string;

const RUN =
  'mutation($i: RunAnalysisInput!) { runAnalysis(input: $i) { id status progress stage priority kinds horizon language dataset { id name } } }';

beforeAll(async () => {
  // Analysts may ask for URGENT here: who may is URGENT_ROLES's business (test/attacks/quotas.test.ts).
  stack = await startTestStack({ URGENT_ROLES: 'ADMIN,ANALYST' });
  [analyst, viewer] = await Promise.all([userWithRole(stack, 'ANALYST'), userWithRole(stack, 'VIEWER')]);
  datasetName = unique('series');
  const ds = await stack.runtime.prisma.dataset.create({ data: { name: datasetName, ownerId: analyst.id } });
  datasetId = ds.id;
  await createVersionFromRows(stack.runtime.pool, null, datasetId, {
    columns: [
      { name: 'month', type: 'DATE' },
      { name: 'region', type: 'TEXT' },
      { name: 'revenue', type: 'FLOAT' },
    ],
    rows: Array.from({ length: 24 }, (_, m) => [new Date(Date.UTC(2024, m, 1)).toISOString().slice(0, 10), 'N', 100 + m]),
    sourceKind: 'CSV',
  });
});
afterAll(() => stack?.stop());

describe('runAnalysis', () => {
  it('queues a job and returns at once, with the dataset resolved by the datasets subgraph', async () => {
    const r = await gql(
      stack.url,
      RUN,
      { i: { datasetId, column: 'revenue', timeColumn: 'month', kinds: ['ANOMALY', 'FORECAST', 'ANOMALY'], priority: 'URGENT' } },
      analyst.token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.runAnalysis).toMatchObject({
      status: 'QUEUED',
      progress: 0,
      priority: 'URGENT',
      kinds: ['ANOMALY', 'FORECAST'],
      horizon: 12,
      language: 'EN',
      dataset: { id: datasetId, name: datasetName },
    });
    const jobs = await gql(
      stack.url,
      `query($id: ID!) { dataset(id: $id) { name analysisJobs { id status } } analysisJobs(status: QUEUED) { id } }`,
      { id: datasetId },
      viewer.token,
    );
    expect(jobs.data!.dataset.analysisJobs).toEqual([{ id: r.data!.runAnalysis.id, status: 'QUEUED' }]);
    expect(jobs.data!.analysisJobs.map((j: { id: string }) => j.id)).toContain(r.data!.runAnalysis.id);
  });

  it('refuses what a worker could not analyse, naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ datasetId: '00000000-0000-4000-8000-000000000000', column: 'revenue', kinds: ['ANOMALY'] }, 'input.datasetId', /no dataset/],
      [{ datasetId, column: 'profit', kinds: ['ANOMALY'] }, 'input.column', /no column "profit"/],
      [{ datasetId, column: 'region', kinds: ['ANOMALY'] }, 'input.column', /not numeric/],
      [{ datasetId, column: 'revenue', timeColumn: 'region', kinds: ['ANOMALY'] }, 'input.timeColumn', /not a date/],
      [{ datasetId, column: 'revenue', kinds: [] }, 'input.kinds', /at least one/],
      [{ datasetId, column: 'revenue', kinds: ['FORECAST'], horizon: 0 }, 'input.horizon', /at least 1/],
    ];
    for (const [input, field, message] of cases) {
      const r = await gql(stack.url, RUN, { i: input }, analyst.token);
      expect(r.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(r.errors![0]!.message).toMatch(message);
    }
    const empty = await stack.runtime.prisma.dataset.create({ data: { name: unique('empty') } });
    const r = await gql(stack.url, RUN, { i: { datasetId: empty.id, column: 'x', kinds: ['ANOMALY'] } }, analyst.token);
    expect(r.errors![0]!.message).toMatch(/has no data yet/);
    expect(codes(await gql(stack.url, RUN, { i: { datasetId, column: 'revenue', kinds: ['ANOMALY'] } }, viewer.token))).toEqual([
      'FORBIDDEN',
    ]);
  });
});

describe('cancelAnalysis', () => {
  it('cancels an unfinished job once, for its creator', async () => {
    const { data } = await gql(stack.url, RUN, { i: { datasetId, column: 'revenue', kinds: ['TREND'] } }, analyst.token);
    const id = data!.runAnalysis.id;
    const other = await userWithRole(stack, 'ANALYST');
    expect(codes(await gql(stack.url, 'mutation($id: ID!) { cancelAnalysis(id: $id) { id } }', { id }, other.token))).toEqual([
      'FORBIDDEN',
    ]);
    const c = await gql(stack.url, 'mutation($id: ID!) { cancelAnalysis(id: $id) { status stage finishedAt } }', { id }, analyst.token);
    expect(c.data!.cancelAnalysis).toMatchObject({ status: 'CANCELLED', stage: 'cancelled' });
    expect(c.data!.cancelAnalysis.finishedAt).toBeTruthy();
    expect(codes(await gql(stack.url, 'mutation($id: ID!) { cancelAnalysis(id: $id) { id } }', { id }, analyst.token))).toEqual([
      'CONFLICT',
    ]);
    expect(codes(await gql(stack.url, 'mutation { cancelAnalysis(id: "nope") { id } }', {}, analyst.token))).toEqual(['NOT_FOUND']);
  });
});

describe('insights and model versions', () => {
  it('resolves Insight.modelVersion through the model registry', async () => {
    const { prisma } = stack.runtime;
    const model = await prisma.model.create({ data: { name: unique('m').replace(' ', '-'), task: 'ANOMALY' } });
    const bytes = Buffer.from('onnx-bytes-for-test');
    const sha256 = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
    await prisma.modelArtifact.create({ data: { sha256, sizeBytes: bytes.length, bytes } });
    const version = await prisma.modelVersion.create({ data: { modelId: model.id, version: 1, sha256, inputs: [], outputs: [] } });
    const job = await prisma.analysisJob.create({
      data: { datasetId, column: 'revenue', kinds: ['ANOMALY'], status: 'SUCCEEDED', modelVersionIds: [version.id] },
    });
    await prisma.insight.create({
      data: {
        jobId: job.id,
        datasetId,
        kind: 'ANOMALY',
        column: 'revenue',
        summary: 'One spike',
        language: 'EN',
        anomalies: [{ index: 3, timestamp: '2024-04-01T00:00:00.000Z', value: 400, score: 9.5 }],
        modelVersionId: version.id,
      },
    });
    const r = await gql(
      stack.url,
      `query($id: ID!) { analysisJob(id: $id) {
      modelVersions { version model { name } }
      insights { summary anomalies { index value score } modelVersion { version sha256 sizeBytes } } } }`,
      { id: job.id },
      viewer.token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.analysisJob).toEqual({
      modelVersions: [{ version: 1, model: { name: model.name } }],
      insights: [
        {
          summary: 'One spike',
          anomalies: [{ index: 3, value: 400, score: 9.5 }],
          modelVersion: { version: 1, sha256, sizeBytes: bytes.length },
        },
      ],
    });
  });
});
