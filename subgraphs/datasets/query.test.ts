// datasetQuery through the gateway, on a real table, checked against the same numbers computed in JS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSalesRows } from '../../prisma/seed.js';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { codes, gql, startTestStack, unique, userWithRole, type TestStack } from '../../test/support/stack.js';

let stack: TestStack;
let viewer: { token: string };
let datasetId: string;
const { columns, rows } = demoSalesRows();

const QUERY = 'query($i: DatasetQueryInput!) { datasetQuery(input: $i) { columns { name type } rows rowCount version { number } } }';

beforeAll(async () => {
  stack = await startTestStack();
  viewer = await userWithRole(stack, 'VIEWER');
  datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('q') } })).id;
  await createVersionFromRows(stack.runtime.pool, null, datasetId, { columns, rows, sourceKind: 'CSV' });
});
afterAll(() => stack?.stop());

describe('datasetQuery', () => {
  it('groups by a dimension and a month bucket with two measures, matching the data', async () => {
    const r = await gql(
      stack.url,
      QUERY,
      {
        i: {
          datasetId,
          dimensions: ['region'],
          timeBucket: { column: 'month', unit: 'QUARTER' },
          measures: [
            { column: 'revenue', agg: 'SUM' },
            { column: 'orders', agg: 'MAX' },
          ],
          filters: [{ column: 'region', op: 'IN', values: ['North', 'East'] }],
        },
      },
      viewer.token,
    );
    expect(r.errors).toBeUndefined();
    const q = r.data!.datasetQuery;
    expect(q.columns).toEqual([
      { name: 'region', type: 'TEXT' },
      { name: 'month', type: 'DATE' },
      { name: 'sum_revenue', type: 'FLOAT' },
      { name: 'max_orders', type: 'INTEGER' },
    ]);
    expect(q.rowCount).toBe(32); // 16 quarters × 2 regions
    expect(q.version).toEqual({ number: 1 });
    const expected = new Map<string, { sum: number; max: number }>();
    for (const [month, region, revenue, orders] of rows as [string, string, number, number][]) {
      if (region !== 'North' && region !== 'East') continue;
      const quarter = `${month.slice(0, 5)}${String(Math.floor((Number(month.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
      const e = expected.get(`${region}|${quarter}`) ?? { sum: 0, max: 0 };
      expected.set(`${region}|${quarter}`, { sum: e.sum + revenue, max: Math.max(e.max, orders) });
    }
    for (const [region, quarter, sum, max] of q.rows as [string, string, number, number][]) {
      const e = expected.get(`${region}|${quarter}`)!;
      expect(sum).toBeCloseTo(e.sum, 6);
      expect(max).toBe(e.max);
    }
    // Time first, then dimensions.
    expect(q.rows.slice(0, 2).map((row: unknown[]) => row.slice(0, 2))).toEqual([
      ['East', '2022-01-01'],
      ['North', '2022-01-01'],
    ]);
  });

  it('orders by a measure, limits, and computes medians and distinct counts', async () => {
    const r = await gql(
      stack.url,
      QUERY,
      {
        i: {
          datasetId,
          dimensions: ['region'],
          measures: [
            { column: 'revenue', agg: 'MEDIAN' },
            { column: 'month', agg: 'COUNT_DISTINCT', alias: 'months' },
          ],
          orderBy: [{ column: 'revenue', direction: 'DESC' }],
          limit: 2,
        },
      },
      viewer.token,
    );
    expect(r.errors).toBeUndefined();
    const byRegion = new Map<string, number[]>();
    for (const [, region, revenue] of rows as [string, string, number][]) byRegion.set(region, [...(byRegion.get(region) ?? []), revenue]);
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return (s[23]! + s[24]!) / 2;
    };
    const ranked = [...byRegion].map(([region, xs]) => [region, median(xs), 48]).sort((a, b) => (b[1] as number) - (a[1] as number));
    expect(r.data!.datasetQuery.rows).toEqual(ranked.slice(0, 2).map(([region, m, n]) => [region, expect.closeTo(m as number, 6), n]));
    expect(r.data!.datasetQuery.columns.map((c: { name: string }) => c.name)).toEqual(['region', 'median_revenue', 'months']);
  });

  it('treats an injection string as a value, and refuses unknown columns and oversized results', async () => {
    const injected = await gql(
      stack.url,
      QUERY,
      {
        i: { datasetId, measures: [{ column: '*', agg: 'COUNT' }], filters: [{ column: 'region', op: 'EQ', value: "North' OR '1'='1" }] },
      },
      viewer.token,
    );
    expect(injected.data!.datasetQuery.rows).toEqual([[0]]);
    const unknown = await gql(stack.url, QUERY, { i: { datasetId, dimensions: ['region"; DROP TABLE x; --'] } }, viewer.token);
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.dimensions.0' });
    const tooMany = await gql(
      stack.url,
      QUERY,
      { i: { datasetId, dimensions: ['month', 'region', 'revenue'], limit: 10_000_000 } },
      viewer.token,
    );
    expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.limit' });
    const noVersion = await gql(
      stack.url,
      QUERY,
      { i: { datasetId, version: 7, measures: [{ column: '*', agg: 'COUNT' }] } },
      viewer.token,
    );
    expect(noVersion.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.version' });
    const missing = await gql(
      stack.url,
      QUERY,
      { i: { datasetId: '00000000-0000-4000-8000-000000000000', measures: [{ column: '*', agg: 'COUNT' }] } },
      viewer.token,
    );
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    expect(codes(await gql(stack.url, QUERY, { i: { datasetId, measures: [{ column: '*', agg: 'COUNT' }] } }))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });
});
