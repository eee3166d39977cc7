// Any dataset query's result as a file: GET /api/datasets/:id/export.csv|.xlsx?query=<json>,
// checked against the same query through GraphQL.
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { demoSalesRows } from '../../prisma/seed.js';
import { gql, startTestStack, unique, userWithRole, type TestStack } from '../../test/support/stack.js';

let stack: TestStack;
let viewer: { token: string };
let datasetId: string;
const { columns, rows } = demoSalesRows();
const query = {
  dimensions: ['region'],
  timeBucket: { column: 'month', unit: 'YEAR' },
  measures: [{ column: 'revenue', agg: 'SUM' }],
  filters: [{ column: 'region', op: 'NEQ', value: 'East' }],
};

beforeAll(async () => {
  stack = await startTestStack();
  viewer = await userWithRole(stack, 'VIEWER');
  datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('销售 Sales') } })).id;
  await createVersionFromRows(stack.runtime.pool, null, datasetId, { columns, rows, sourceKind: 'CSV' });
});
afterAll(() => stack?.stop());

const exported = (ext: string, q: unknown = query, token = viewer.token) =>
  fetch(`${stack.url}/api/datasets/${datasetId}/export.${ext}?query=${encodeURIComponent(JSON.stringify(q))}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('dataset query exports', () => {
  it('gives the same rows as datasetQuery, in CSV and in a typed XLSX sheet', async () => {
    const r = await gql(
      stack.url,
      'query($i: DatasetQueryInput!) { datasetQuery(input: $i) { rows } }',
      { i: { datasetId, ...query } },
      viewer.token,
    );
    const expected = r.data!.datasetQuery.rows as [string, string, number][];
    expect(expected).toHaveLength(8);

    const csv = await exported('csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(
      /^attachment; filename="__-Sales-[0-9a-f]+\.csv"; filename\*=UTF-8''%E9%94%80%E5%94%AE-Sales-[0-9a-f]+\.csv$/,
    );
    const table = parse(await csv.text()) as string[][];
    expect(table[0]).toEqual(['region', 'month', 'sum_revenue']);
    expect(table.slice(1).map(([region, month, sum]) => [region, month, Number(sum)])).toEqual(expected);

    const xlsx = await exported('xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(9);
    expect(sheet.getCell('B2').value).toEqual(new Date(`${expected[0]![1]}T00:00:00Z`));
    expect(sheet.getCell('C2').value).toBeCloseTo(expected[0]![2], 6);
  });

  it('refuses a malformed query naming the field, an anonymous caller, and formats it does not offer', async () => {
    const body = async (res: Response) => ((await res.json()) as any).errors[0].extensions;
    expect(await body(await exported('csv', { measures: [{ column: 'profit', agg: 'SUM' }] }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'query.measures.0.column',
    });
    const notJson = await fetch(`${stack.url}/api/datasets/${datasetId}/export.csv?query=%7Bnope`, {
      headers: { authorization: `Bearer ${viewer.token}` },
    });
    expect(await body(notJson)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
    expect((await exported('pdf')).status).toBe(400);
    expect((await exported('csv', query, '')).status).toBe(401);
  });
});
