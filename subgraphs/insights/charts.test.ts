// suggestChart through the gateway: the chart model reads the query's shape and the column
// profile, and the answer follows the rule table it was trained on, with a Vega-Lite spec whose
// fields are the result's columns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { chartShapeOf } from '../../models/features/chartShape.js';
import { chartRuleV2 } from '../../models/reference/chartRules.js';
import { demoSalesRows } from '../../prisma/seed.js';
import { serveBuiltModels } from '../../test/support/models.js';
import { codes, gql, startTestStack, unique, userWithRole, type TestStack } from '../../test/support/stack.js';

let stack: TestStack;
let viewer: { token: string };
let datasetId: string;

beforeAll(async () => {
  stack = await startTestStack();
  viewer = await userWithRole(stack, 'VIEWER');
  await serveBuiltModels(stack, ['chart-recommender']);
  const { columns, rows } = demoSalesRows();
  datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('sales') } })).id;
  // A second category (the sales channel) for two-category shapes.
  await createVersionFromRows(stack.runtime.pool, null, datasetId, {
    columns: [...columns, { name: 'channel', type: 'TEXT' }],
    rows: rows.map((r, i) => [...r, i % 2 ? 'online' : 'store']),
    sourceKind: 'CSV',
  });
}, 60_000);
afterAll(() => stack?.stop());

const SUGGEST = `query($i: DatasetQueryInput!) { suggestChart(input: $i) { type probability spec features alternatives { type probability spec } } }`;
const suggest = (query: Record<string, unknown>, token = viewer.token) => gql(stack.url, SUGGEST, { i: { datasetId, ...query } }, token);

const revenue = (agg: string) => [{ column: 'revenue', agg }];
const cases: Array<[string, Record<string, unknown>, string]> = [
  ['revenue by month', { timeBucket: { column: 'month', unit: 'MONTH' }, measures: revenue('SUM') }, 'line'],
  [
    'revenue by month and region',
    { dimensions: ['region'], timeBucket: { column: 'month', unit: 'MONTH' }, measures: revenue('SUM') },
    'line',
  ],
  ['average revenue by region', { dimensions: ['region'], measures: revenue('AVG') }, 'bar'],
  ['total revenue by region (3 parts of a whole)', { dimensions: ['region'], measures: revenue('SUM') }, 'pie'],
  ['total revenue', { measures: revenue('SUM') }, 'number'],
  ['revenue against orders', { dimensions: ['orders'], measures: revenue('SUM') }, 'scatter'],
  ['revenue by region and channel', { dimensions: ['region', 'channel'], measures: revenue('SUM') }, 'heatmap'],
  ['regions and channels, no measure', { dimensions: ['region', 'channel'] }, 'table'],
];

describe('suggestChart', () => {
  it.each(cases)('%s: %j → %s, as the rule table says', async (_, query, expected) => {
    const r = await suggest(query);
    expect(r.errors).toBeUndefined();
    const s = r.data!.suggestChart;
    expect(s.type).toBe(expected);
    expect(chartRuleV2(s.features)).toBe(expected);
    expect(s.probability).toBeGreaterThan(0.5);
    expect(s.alternatives).toHaveLength(2);
    expect(s.alternatives[0].probability).toBeLessThanOrEqual(s.probability);
    expect(s.alternatives[1].probability).toBeLessThanOrEqual(s.alternatives[0].probability);
    expect(s.spec).toMatchObject({ $schema: 'https://vega.github.io/schema/vega-lite/v5.json', data: { name: 'rows' } });
  });

  it('reads the shape from the query and the column profile, not from constants', async () => {
    const few = (await suggest({ dimensions: ['region'], timeBucket: { column: 'month', unit: 'MONTH' }, measures: revenue('SUM') })).data!
      .suggestChart;
    expect(few.features).toMatchObject({
      time: true,
      timePoints: 48,
      categories: 1,
      cardinality: 3,
      measures: 1,
      additive: true,
      rows: 144,
    });
    // The same query, but one region only (a filter), by quarter: still a line, over 16 points.
    const one = (
      await suggest({
        dimensions: ['region'],
        timeBucket: { column: 'month', unit: 'QUARTER' },
        measures: revenue('SUM'),
        filters: [{ column: 'region', op: 'EQ', value: 'East' }],
      })
    ).data!.suggestChart;
    expect(one.features).toMatchObject({ cardinality: 1, timePoints: 16, rows: 16 });
    const columns = await stack.runtime.prisma.datasetColumn.findMany({
      where: { version: { datasetId } },
      select: { name: true, type: true, distinctCount: true, min: true, max: true },
    });
    const { shape } = chartShapeOf(
      { dimensions: ['region'], measures: [{ column: 'revenue', agg: 'SUM' }] },
      columns.map((c) => ({ ...c, distinctCount: Number(c.distinctCount) })),
      144,
    );
    expect((await suggest({ dimensions: ['region'], measures: revenue('SUM') })).data!.suggestChart.features).toEqual(shape);
  });

  it("names the result's columns in the spec", async () => {
    const line = (await suggest({ dimensions: ['region'], timeBucket: { column: 'month', unit: 'MONTH' }, measures: revenue('SUM') })).data!
      .suggestChart.spec;
    expect(line.mark).toMatchObject({ type: 'line' });
    expect(line.encoding).toMatchObject({
      x: { field: 'month', type: 'temporal' },
      y: { field: 'sum_revenue', type: 'quantitative' },
      color: { field: 'region', type: 'nominal' },
    });
    const pie = (await suggest({ dimensions: ['region'], measures: [{ column: 'revenue', agg: 'SUM', alias: 'total' }] })).data!
      .suggestChart;
    expect(pie.spec).toMatchObject({ mark: 'arc', encoding: { theta: { field: 'total' }, color: { field: 'region' } } });
  });

  it('refuses a query datasetQuery would refuse, naming the field, and anonymous callers', async () => {
    const unknown = await suggest({ dimensions: ['nope'], measures: revenue('SUM') });
    expect(codes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(unknown.errors![0]!.extensions!.field).toBe('input.dimensions.0');
    const avgText = await suggest({ dimensions: ['region'], measures: [{ column: 'region', agg: 'AVG' }] });
    expect(avgText.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.measures.0.agg' });
    expect(codes(await gql(stack.url, SUGGEST, { i: { datasetId, measures: revenue('SUM') } }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gql(stack.url, SUGGEST, { i: { datasetId: unique('x'), measures: revenue('SUM') } }, viewer.token))).toEqual([
      'NOT_FOUND',
    ]);
  });
});
