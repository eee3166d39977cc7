// Exports through the gateway as a client downloads them: CSV (one section, or the whole report),
// XLSX read back with exceljs, PDF read back with Poppler; download links from `exportReport`;
// the web app's report links.
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { demoSalesRows, demoSections } from '../../prisma/seed.js';
import { readPdf } from '../../test/support/outbound.js';
import { codes, gql, startTestStack, unique, userWithRole, type TestStack } from '../../test/support/stack.js';

let stack: TestStack;
let analyst: { id: string; token: string };
let viewer: { token: string };
let apiKey: string;
let templateId: string;
const name = unique('Monthly revenue');
const { columns, rows } = demoSalesRows();
const sales = rows as [string, string, number, number][];
const total = (region?: string) => sales.filter((r) => !region || r[1] === region).reduce((s, r) => s + r[2], 0);
const orders = (region: string) => sales.filter((r) => r[1] === region).reduce((s, r) => s + r[3], 0);

/** The demo report, with a narrative titled in Chinese: the PDF must print it. */
const sections = [
  ...demoSections,
  {
    id: 'zh',
    kind: 'NARRATIVE',
    title: '季度收入概览',
    query: { timeBucket: { column: 'month', unit: 'QUARTER' }, measures: [{ column: 'revenue', agg: 'SUM' }] },
  },
];

const download = (path: string, headers: Record<string, string> = {}) => fetch(`${stack.url}${path}`, { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  stack = await startTestStack({ REPORT_SCHEDULER_INTERVAL_SECONDS: '0', PUBLIC_URL: 'https://reports.example.com/' });
  [analyst, viewer] = await Promise.all([userWithRole(stack, 'ANALYST'), userWithRole(stack, 'VIEWER')]);
  const admin = await userWithRole(stack, 'ADMIN');
  const key = await gql(stack.url, 'mutation { createApiKey(name: "excel", role: VIEWER) { key } }', {}, admin.token);
  apiKey = key.data!.createApiKey.key;
  const datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('sales'), ownerId: analyst.id } })).id;
  await createVersionFromRows(stack.runtime.pool, null, datasetId, { columns, rows, sourceKind: 'CSV' });
  const t = await gql(
    stack.url,
    'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }',
    { i: { name, datasetId, parameters: [{ name: 'region', type: 'STRING' }], sections } },
    analyst.token,
  );
  expect(t.errors).toBeUndefined();
  templateId = t.data!.createTemplate.id;
});
afterAll(() => stack?.stop());

describe('CSV', () => {
  it('exports one section as a plain table, formula-safe, with a download name', async () => {
    const res = await download(`/api/reports/${templateId}/export.csv?section=by-region`, bearer(viewer.token));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="Monthly-revenue-[0-9a-f]+-by-region\.csv"/);
    const table = parse(await res.text()) as string[][];
    expect(table[0]).toEqual(['region', 'sum_revenue', 'sum_orders']);
    expect(table).toHaveLength(4);
    const north = table.find((r) => r[0] === 'North')!;
    expect(Number(north[1])).toBeCloseTo(total('North'), 2);
    expect(Number(north[2])).toBe(orders('North'));
  });

  it('exports the whole report section by section, with the parameters applied, and a BOM for Excel when asked', async () => {
    const res = await download(`/api/reports/${templateId}/export.csv?region=East&bom=true`, { 'x-api-key': apiKey });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines.slice(0, 3)).toEqual(['Revenue', 'sum_revenue', expect.any(String)]);
    expect(Number(lines[2])).toBeCloseTo(total('East'), 2);
    expect(lines).toContain('Revenue by month');
    expect(lines.filter((l) => /^\d{4}-\d{2}-01,/.test(l))).toHaveLength(48);
    expect(lines).toContain('季度收入概览');
  });

  it('refuses an unknown section, an unknown parameter and a format it does not offer, before sending anything', async () => {
    const bad = async (path: string) => ((await (await download(path, bearer(viewer.token))).json()) as any).errors[0].extensions;
    expect(await bad(`/api/reports/${templateId}/export.csv?section=nope`)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'section' });
    expect(await bad(`/api/reports/${templateId}/export.csv?country=NO`)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'params.country',
    });
    expect(await bad(`/api/reports/${templateId}/export.docx`)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'format' });
    const missing = await download(`/api/reports/00000000-0000-4000-8000-000000000000/export.csv`, bearer(viewer.token));
    expect(missing.status).toBe(404);
    const anonymous = await download(`/api/reports/${templateId}/export.csv`);
    expect(anonymous.status).toBe(401);
  });
});

describe('XLSX', () => {
  it('has a summary sheet and one typed sheet per table and chart, with frozen headers', async () => {
    const res = await download(`/api/reports/${templateId}/export.xlsx`, bearer(viewer.token));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Summary', 'Revenue by month', 'By region']);
    const summary = workbook.getWorksheet('Summary')!;
    expect(summary.getCell('A1').value).toBe(name);
    const kpi = summary.getColumn(1).values.indexOf('Revenue');
    expect(summary.getCell(kpi, 2).value as number).toBeCloseTo(total(), 2);
    expect(String(summary.getColumn(1).values)).toContain('季度收入概览');

    const trend = workbook.getWorksheet('Revenue by month')!;
    expect(trend.getRow(1).values).toEqual([undefined, 'month', 'sum_revenue']);
    expect(trend.rowCount).toBe(49);
    expect(trend.getCell('A2').value).toEqual(new Date('2022-01-01T00:00:00Z'));
    expect(typeof trend.getCell('B2').value).toBe('number');
    expect(trend.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const regions = workbook.getWorksheet('By region')!;
    expect(regions.rowCount).toBe(4);
    const byName = Object.fromEntries([2, 3, 4].map((r) => [regions.getCell(r, 1).value, regions.getRow(r).values as unknown[]]));
    expect(byName.South![2] as number).toBeCloseTo(total('South'), 2);
    expect(byName.South![3]).toBe(orders('South'));
    expect(regions.getColumn(1).width).toBeGreaterThanOrEqual('region'.length);
  });
});

describe('PDF', () => {
  it("prints the report's pages with its numbers, its chart and its Chinese narrative", async () => {
    const res = await download(`/api/reports/${templateId}/export.pdf?region=North`, bearer(viewer.token));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const { pages, text } = await readPdf(Buffer.from(await res.arrayBuffer()));
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(text).toContain(name);
    expect(text).toContain('region: North');
    expect(text).toContain(total('North').toLocaleString('en-US', { maximumFractionDigits: 2 }));
    expect(text).toContain('季度收入概览');
    expect(text).toMatch(/page 1 of \d/);
    // The chart's axis labels are text in the SVG, printed as such.
    expect(text).toContain('2022-01-01');
  });
});

describe('download links', () => {
  const EXPORT = 'mutation($t: ID!, $p: JSON, $f: ExportFormat!) { exportReport(templateId: $t, params: $p, format: $f) }';

  it('answers a URL that downloads without credentials, only what it was made for', async () => {
    const r = await gql(stack.url, EXPORT, { t: templateId, p: { region: 'South' }, f: 'CSV' }, viewer.token);
    expect(r.errors).toBeUndefined();
    const url = new URL(r.data!.exportReport);
    expect(url.origin).toBe('https://reports.example.com');
    expect(url.pathname).toBe(`/api/reports/${templateId}/export.csv`);
    expect(url.searchParams.get('region')).toBe('South');
    const res = await download(`${url.pathname}${url.search}`);
    expect(res.status).toBe(200);
    const [title, header, kpi] = (await res.text()).split('\r\n');
    expect([title, header]).toEqual(['Revenue', 'sum_revenue']);
    expect(Number(kpi)).toBeCloseTo(total('South'), 2);
    // The same link for another region, or another format, is not a link anyone made.
    url.searchParams.set('region', 'North');
    expect((await download(`${url.pathname}${url.search}`)).status).toBe(401);
    const xlsx = `${url.pathname.replace('.csv', '.xlsx')}?region=South&sig=${encodeURIComponent(new URL(r.data!.exportReport).searchParams.get('sig')!)}`;
    expect((await download(xlsx)).status).toBe(401);
  });

  it('refuses unknown parameters and formats when the link is made', async () => {
    expect(codes(await gql(stack.url, EXPORT, { t: templateId, p: { country: 'NO' }, f: 'PDF' }, viewer.token))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await gql(stack.url, EXPORT, { t: templateId, f: 'PNG' }, viewer.token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(stack.url, EXPORT, { t: templateId, f: 'CSV' }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('report links', () => {
  it("gives the web app's page of a report with its parameters", async () => {
    const r = await gql(
      stack.url,
      'query($t: ID!) { report(templateId: $t, params: { region: "East" }) { link } template(id: $t) { link(params: { region: "North" }) plain: link } }',
      { t: templateId },
      viewer.token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.report.link).toBe(`https://reports.example.com/reports/${templateId}?region=East`);
    expect(r.data!.template.link).toBe(`https://reports.example.com/reports/${templateId}?region=North`);
    expect(r.data!.template.plain).toBe(`https://reports.example.com/reports/${templateId}`);
  });
});
