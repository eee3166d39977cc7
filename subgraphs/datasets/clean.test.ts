// cleanDataset through the gateway: each step in SQL, a new version recording its steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, gql, startTestStack, unique, userWithRole, type TestStack } from '../../test/support/stack.js';

let stack: TestStack;
let analyst: { token: string };
let viewer: { token: string };

beforeAll(async () => {
  stack = await startTestStack();
  [analyst, viewer] = await Promise.all([userWithRole(stack, 'ANALYST'), userWithRole(stack, 'VIEWER')]);
});
afterAll(() => stack?.stop());

const CSV = [
  'city,amount,qty,code',
  ' Oslo ,10,1,7',
  'Oslo,10,1,7',
  'Bergen,,2,8',
  'Bergen,30,,9',
  'Bergen,30,4,9',
  'Oslo,50,5,10',
  ',20,2,11',
  '',
].join('\n');
const CLEAN =
  'mutation($id: ID!, $steps: [CleaningStepInput!]!) { cleanDataset(datasetId: $id, steps: $steps) { number rowCount steps columns { name type nullCount } } }';

async function loaded(csv = CSV) {
  const { data } = await gql(
    stack.url,
    'mutation($n: String!) { createDataset(input: { name: $n }) { id } }',
    { n: unique('clean') },
    analyst.token,
  );
  const id = data!.createDataset.id as string;
  const r = await gql(
    stack.url,
    'mutation($id: ID!, $csv: String!) { ingestCsv(datasetId: $id, csv: $csv) { number } }',
    { id, csv },
    analyst.token,
  );
  expect(r.errors).toBeUndefined();
  return id;
}

async function tableRows(id: string) {
  const r = await gql(
    stack.url,
    `query($id: ID!) { datasetQuery(input: { datasetId: $id, dimensions: ["city", "amount", "qty", "code"],
    orderBy: [{ column: "code" }, { column: "city" }] }) { rows } }`,
    { id },
    viewer.token,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.datasetQuery.rows;
}

describe('cleanDataset', () => {
  it('trims, then dedupes, into a new version that records its steps', async () => {
    const id = await loaded();
    const r = await gql(stack.url, CLEAN, { id, steps: [{ op: 'TRIM' }, { op: 'DEDUPE' }] }, analyst.token);
    expect(r.errors).toBeUndefined();
    expect(r.data!.cleanDataset).toMatchObject({
      number: 2,
      rowCount: 6,
      steps: [
        { op: 'TRIM', columns: ['city'] },
        { op: 'DEDUPE', columns: [] },
      ],
    });
    expect((await tableRows(id)).filter((row: unknown[]) => row[0] === 'Oslo')).toHaveLength(2);
  });

  it('dedupes on a key', async () => {
    const r = await gql(stack.url, CLEAN, { id: await loaded(), steps: [{ op: 'DEDUPE', columns: ['code'] }] }, analyst.token);
    expect(r.data!.cleanDataset.rowCount).toBe(5);
  });

  it('keeps the first row of each duplicate group, and the rows in table order', async () => {
    const id = await loaded();
    expect((await gql(stack.url, CLEAN, { id, steps: [{ op: 'DEDUPE', columns: ['code'] }] }, analyst.token)).errors).toBeUndefined();
    const version = await stack.runtime.prisma.datasetVersion.findFirstOrThrow({ where: { datasetId: id }, orderBy: { number: 'desc' } });
    const { rows } = await stack.runtime.pool.query(`SELECT city, qty, code FROM data."${version.tableName}"`);
    expect(rows).toEqual([
      { city: ' Oslo ', qty: '1', code: '7' },
      { city: 'Bergen', qty: '2', code: '8' },
      { city: 'Bergen', qty: null, code: '9' },
      { city: 'Oslo', qty: '5', code: '10' },
      { city: null, qty: '2', code: '11' },
    ]);
  });

  it('fills missing values by mean, median, mode and constant, or drops their rows', async () => {
    const id = await loaded();
    const r = await gql(
      stack.url,
      CLEAN,
      {
        id,
        steps: [
          { op: 'FILL_MISSING', columns: ['amount'], strategy: 'MEAN' },
          { op: 'FILL_MISSING', columns: ['qty'], strategy: 'MEDIAN' },
          { op: 'FILL_MISSING', columns: ['city'], strategy: 'CONSTANT', value: 'Unknown' },
        ],
      },
      analyst.token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.cleanDataset.columns.map((c: { nullCount: number }) => c.nullCount)).toEqual([0, 0, 0, 0]);
    const rows = await tableRows(id);
    // amounts 10,10,30,30,50,20 → mean 25; qty 1,1,2,4,5,2 → median 2 (an integer column stays integer).
    expect(rows.find((row: unknown[]) => row[3] === 8)).toEqual(['Bergen', 25, 2, 8]);
    expect(rows.find((row: unknown[]) => row[3] === 9 && row[2] === 2)).toEqual(['Bergen', 30, 2, 9]);
    expect(rows.find((row: unknown[]) => row[3] === 11)[0]).toBe('Unknown');

    const mode = await gql(
      stack.url,
      CLEAN,
      { id: await loaded(), steps: [{ op: 'FILL_MISSING', columns: ['city'], strategy: 'MODE' }] },
      analyst.token,
    );
    expect(mode.data!.cleanDataset.columns[0].nullCount).toBe(0);
    const dropped = await gql(
      stack.url,
      CLEAN,
      { id: await loaded(), steps: [{ op: 'FILL_MISSING', columns: ['amount', 'qty'], strategy: 'DROP' }] },
      analyst.token,
    );
    expect(dropped.data!.cleanDataset.rowCount).toBe(5);
  });

  it('casts columns, failing on a value that does not fit', async () => {
    const id = await loaded();
    const r = await gql(
      stack.url,
      CLEAN,
      {
        id,
        steps: [
          { op: 'CAST', columns: ['code'], type: 'TEXT' },
          { op: 'CAST', columns: ['qty'], type: 'FLOAT' },
        ],
      },
      analyst.token,
    );
    expect(r.data!.cleanDataset.columns.map((c: { type: string }) => c.type)).toEqual(['TEXT', 'INTEGER', 'FLOAT', 'TEXT']);
    const bad = await gql(stack.url, CLEAN, { id, steps: [{ op: 'CAST', columns: ['city'], type: 'INTEGER' }] }, analyst.token);
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'steps' });
    expect(bad.errors![0]!.message).toMatch(/invalid input syntax for type bigint: "Oslo"/);
  });

  it('refuses steps that do not fit the columns, and viewers, writing nothing', async () => {
    const id = await loaded();
    const cases: Array<[unknown[], string]> = [
      [[{ op: 'FILL_MISSING', columns: ['city'], strategy: 'MEAN' }], 'steps.0.strategy'],
      [[{ op: 'FILL_MISSING', columns: ['nope'], strategy: 'DROP' }], 'steps.0.columns.0'],
      [[{ op: 'FILL_MISSING', columns: ['qty'], strategy: 'CONSTANT', value: 'many' }], 'steps.0.value'],
      [[{ op: 'FILL_MISSING', columns: ['qty'] }], 'steps.0.strategy'],
      [[{ op: 'TRIM', columns: ['qty'] }], 'steps.0.columns'],
      [[{ op: 'CAST', columns: ['qty'] }], 'steps.0.type'],
      [[], 'steps'],
    ];
    for (const [steps, field] of cases) {
      const r = await gql(stack.url, CLEAN, { id, steps }, analyst.token);
      expect(r.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(codes(await gql(stack.url, CLEAN, { id, steps: [{ op: 'DEDUPE' }] }, viewer.token))).toEqual(['FORBIDDEN']);
    expect(await stack.runtime.prisma.datasetVersion.count({ where: { datasetId: id } })).toBe(1);
  });
});
