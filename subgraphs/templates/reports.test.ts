// Reports through the gateway: rendering with parameters, the hot-report cache and what
// invalidates it, stored runs, and schedules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { codes, gql, reportDeps, startTestStack, unique, userWithRole, type TestStack } from '../../test/support/stack.js';
import { demoSalesRows, demoSections } from '../../prisma/seed.js';
import { serveBuiltModels } from '../../test/support/models.js';
import { runDueSchedules } from './data/reports.js';
import { formatNumber } from './data/narrate.js';

let stack: TestStack;
let analyst: { id: string; token: string };
let viewer: { token: string };
let datasetId: string;
let templateId: string;
const { columns, rows } = demoSalesRows();
const total = (region?: string) =>
  (rows as [string, string, number][]).filter((r) => !region || r[1] === region).reduce((s, r) => s + r[2], 0);

/** NOTIFY reaches the listeners just after commit (asynchronously): give it a moment. */
const settle = () => new Promise((r) => setTimeout(r, 50));

const REPORT =
  'query($t: ID!, $p: JSON) { report(templateId: $t, params: $p) { cached durationMs generatedAt params sections template { name } } }';

beforeAll(async () => {
  stack = await startTestStack({ REPORT_SCHEDULER_INTERVAL_SECONDS: '0' });
  [analyst, viewer] = await Promise.all([userWithRole(stack, 'ANALYST'), userWithRole(stack, 'VIEWER')]);
  await serveBuiltModels(stack, ['chart-recommender']);
  datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('sales'), ownerId: analyst.id } })).id;
  await createVersionFromRows(stack.runtime.pool, null, datasetId, { columns, rows, sourceKind: 'CSV' });
  const t = await gql(
    stack.url,
    'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }',
    {
      i: { name: 'Revenue', datasetId, parameters: [{ name: 'region', type: 'STRING' }], sections: demoSections },
    },
    analyst.token,
  );
  expect(t.errors).toBeUndefined();
  templateId = t.data!.createTemplate.id;
});
afterAll(() => stack?.stop());

describe('report', () => {
  it('renders every section, then serves the same answer from the hot-report cache', async () => {
    const first = await gql(stack.url, REPORT, { t: templateId }, viewer.token);
    expect(first.errors).toBeUndefined();
    const r = first.data!.report;
    expect(r).toMatchObject({ cached: false, params: { region: null }, template: { name: 'Revenue' } });
    const [kpi, trend, table, summary] = r.sections;
    expect(kpi).toMatchObject({ kind: 'KPI', title: 'Revenue' });
    expect(kpi.value).toBeCloseTo(total(), 4);
    // The chart model's choice for the section's query (a monthly bucket and a sum), its spec
    // holding the rows; the template's own chart object travels along as the author's options.
    expect(trend).toMatchObject({ kind: 'CHART', chart: { type: 'line', options: { type: 'line', x: 'month', y: 'revenue' } } });
    expect(trend.chart.features).toMatchObject({ time: true, timePoints: 48, measures: 1 });
    expect(trend.chart.spec.encoding).toMatchObject({ x: { field: 'month', type: 'temporal' }, y: { field: 'sum_revenue' } });
    expect(trend.chart.spec.data.values).toHaveLength(48);
    expect(trend.chart.spec.data.values[0]).toEqual({ month: trend.rows[0][0], sum_revenue: trend.rows[0][1] });
    expect(trend.rows).toHaveLength(48);
    expect(table.rows.map((row: unknown[]) => row[0])).toHaveLength(3);
    expect(table.rows[0][1]).toBeGreaterThanOrEqual(table.rows[1][1]); // ordered by revenue, descending
    expect(summary.text).toMatch(
      /^Revenue by quarter: [\d,.]+ in total over 16 rows; the latest is [\d,.]+ \([+-][\d.]+% on the period before\)\.$/,
    );
    const second = await gql(stack.url, REPORT, { t: templateId }, viewer.token);
    expect(second.data!.report.cached).toBe(true);
    expect(second.data!.report.sections).toEqual(r.sections);
  });

  it("binds parameters into the sections' filters, each combination cached apart", async () => {
    const north = await gql(stack.url, REPORT, { t: templateId, p: { region: 'North' } }, viewer.token);
    expect(north.data!.report.cached).toBe(false);
    expect(north.data!.report.sections[0].value).toBeCloseTo(total('North'), 4);
    expect(north.data!.report.sections[2].rows).toHaveLength(1);
    expect((await gql(stack.url, REPORT, { t: templateId, p: { region: 'North' } }, viewer.token)).data!.report.cached).toBe(true);
  });

  it('renders afresh when the data changes', async () => {
    await gql(stack.url, REPORT, { t: templateId }, viewer.token);
    await createVersionFromRows(stack.runtime.pool, null, datasetId, { columns, rows: rows.slice(0, 30), sourceKind: 'CSV' });
    await settle();
    const after = await gql(stack.url, REPORT, { t: templateId }, viewer.token);
    expect(after.data!.report.cached).toBe(false);
    expect(after.data!.report.sections[0].value).toBeCloseTo(
      (rows.slice(0, 30) as [string, string, number][]).reduce((s, r) => s + r[2], 0),
      4,
    );
  });

  it('renders afresh when the template changes', async () => {
    await gql(stack.url, REPORT, { t: templateId }, viewer.token);
    expect((await gql(stack.url, REPORT, { t: templateId }, viewer.token)).data!.report.cached).toBe(true);
    const u = await gql(
      stack.url,
      'mutation($t: ID!) { updateTemplate(id: $t, input: { name: "Revenue v2" }) { version } }',
      { t: templateId },
      analyst.token,
    );
    expect(u.errors).toBeUndefined();
    await settle();
    const after = await gql(stack.url, REPORT, { t: templateId }, viewer.token);
    expect(after.data!.report).toMatchObject({ cached: false, template: { name: 'Revenue v2' } });
  });

  it('refuses parameters the template does not declare or that do not fit', async () => {
    const unknown = await gql(stack.url, REPORT, { t: templateId, p: { country: 'NO' } }, viewer.token);
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'params.country' });
    const wrong = await gql(stack.url, REPORT, { t: templateId, p: { region: 7 } }, viewer.token);
    expect(wrong.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'params.region' });
    expect(codes(await gql(stack.url, REPORT, { t: '00000000-0000-4000-8000-000000000000' }, viewer.token))).toEqual(['NOT_FOUND']);
  });
});

describe('sections the data decides', () => {
  const sections = [
    {
      id: 'by-region',
      kind: 'CHART',
      title: 'Average revenue by region',
      query: { dimensions: ['region'], measures: [{ column: 'revenue', agg: 'AVG' }] },
    },
    {
      id: 'share',
      kind: 'CHART',
      title: 'Revenue share',
      query: { dimensions: ['region'], measures: [{ column: 'revenue', agg: 'SUM' }] },
    },
    {
      id: 'total',
      kind: 'NARRATIVE',
      title: 'Orders by quarter',
      query: { timeBucket: { column: 'month', unit: 'QUARTER' }, measures: [{ column: 'orders', agg: 'SUM' }] },
    },
    {
      id: 'average',
      kind: 'NARRATIVE',
      title: 'Average order count',
      query: { timeBucket: { column: 'month', unit: 'YEAR' }, measures: [{ column: 'orders', agg: 'AVG' }] },
    },
    {
      id: 'zh',
      kind: 'NARRATIVE',
      title: '季度收入',
      language: 'ZH',
      query: { timeBucket: { column: 'month', unit: 'QUARTER' }, measures: [{ column: 'revenue', agg: 'SUM' }] },
    },
    {
      id: 'zh-max',
      kind: 'NARRATIVE',
      title: '年度最高收入',
      language: 'ZH',
      query: { timeBucket: { column: 'month', unit: 'YEAR' }, measures: [{ column: 'revenue', agg: 'MAX' }] },
    },
  ];
  let report: Record<string, any>;

  beforeAll(async () => {
    // Four years of the demo data, in a dataset of its own (the tests above change theirs).
    const own = (await stack.runtime.prisma.dataset.create({ data: { name: unique('sales'), ownerId: analyst.id } })).id;
    await createVersionFromRows(stack.runtime.pool, null, own, { columns, rows, sourceKind: 'CSV' });
    const t = await gql(
      stack.url,
      'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }',
      { i: { name: unique('data-driven'), datasetId: own, sections } },
      analyst.token,
    );
    expect(t.errors).toBeUndefined();
    const r = await gql(stack.url, REPORT, { t: t.data!.createTemplate.id }, viewer.token);
    expect(r.errors).toBeUndefined();
    report = Object.fromEntries(r.data!.report.sections.map((s: { id: string }) => [s.id, s]));
  });

  it('charts a non-additive measure by category as bars and an additive one over a few categories as a pie', () => {
    expect(report['by-region'].chart).toMatchObject({ type: 'bar', spec: { mark: 'bar', encoding: { x: { field: 'region' } } } });
    expect(report['by-region'].chart.features).toMatchObject({ additive: false, cardinality: 3 });
    expect(report.share.chart).toMatchObject({ type: 'pie', features: { additive: true, cardinality: 3 } });
  });

  it('gives a total only for measures that add up, in English and Chinese', () => {
    expect(report.total.text).toMatch(
      /^Orders by quarter: [\d,]+ in total over \d+ rows; the latest is [\d,]+ \([+-][\d.]+% on the period before\)\.$/,
    );
    expect(report.average.text).toMatch(
      /^Average order count: the average ranges from [\d,.]+ to [\d,.]+ over 4 rows; the latest is [\d,.]+/,
    );
    expect(report.average.text).not.toContain('total');
    expect(report.zh.text).toMatch(/^季度收入：共 \d+ 行，合计 [\d,.]+；最新值为 [\d,.]+（较上一期 [+-][\d.]+%）。$/);
    expect(report['zh-max'].text).toMatch(/^年度最高收入：共 4 行，最大值在 [\d,.]+ 至 [\d,.]+ 之间；最新值为 [\d,.]+/);
  });

  it('states only numbers that are findings of its rows', () => {
    for (const id of ['total', 'average', 'zh', 'zh-max']) {
      const section = report[id];
      const values = section.rows.map((r: unknown[]) => Number(r.at(-1)));
      const language = section.id.startsWith('zh') ? 'ZH' : 'EN';
      const [latest, previous] = [values.at(-1), values.at(-2)];
      // The findings, computed here from the rows the section returned, as a narrative writes them.
      const findings = new Set(
        [
          values.length,
          values.reduce((a: number, b: number) => a + b, 0),
          Math.min(...values),
          Math.max(...values),
          latest,
          ((latest - previous) / Math.abs(previous)) * 100,
        ].map((v) => formatNumber(v, language as 'EN' | 'ZH').replace(/^-/, '')),
      );
      const said = section.text.replace(section.title, '').match(/\d[\d,]*(?:\.\d+)?/g) ?? [];
      expect(said.length).toBeGreaterThanOrEqual(3);
      for (const n of said) expect(findings.has(n), `${n} in "${section.text}" is not one of ${[...findings].join(' ')}`).toBe(true);
      expect(section.findings.rows).toBe(values.length);
    }
  });
});

describe('sections checked when a template is written', () => {
  const CREATE = 'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }';
  const kpi = (query: Record<string, unknown>) => ({ kind: 'KPI', title: 'x', query });

  it('refuses a section that could never render, naming the field, and saves nothing', async () => {
    const before = await stack.runtime.prisma.reportTemplate.count();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ sections: [kpi({ measures: [{ column: 'profit', agg: 'SUM' }] })] }, 'input.sections.0.query.measures.0.column'],
      [{ sections: [kpi({ measures: [{ column: 'region', agg: 'SUM' }] })] }, 'input.sections.0.query.measures.0.agg'],
      [{ sections: [kpi({ measures: [{ column: 'revenue', agg: 'TOTAL' }] })] }, 'input.sections.0.query.measures.0.agg'],
      [{ sections: [kpi({ measure: [{ column: 'revenue', agg: 'SUM' }] })] }, 'input.sections.0.query'],
      [{ sections: [{ kind: 'GAUGE' }] }, 'input.sections.0.kind'],
      [
        { sections: [kpi({ measures: [{ column: 'revenue', agg: 'SUM' }], filters: [{ column: 'region', op: 'EQ', param: 'country' }] })] },
        'input.sections.0.query.filters.0.param',
      ],
      [
        {
          parameters: [{ name: 'year', type: 'INTEGER' }],
          sections: [kpi({ measures: [{ column: 'revenue', agg: 'SUM' }], filters: [{ column: 'region', op: 'EQ', param: 'year' }] })],
        },
        'input.sections.0.query.filters.0.param',
      ],
      [
        { sections: [kpi({ timeBucket: { column: 'region', unit: 'MONTH' }, measures: [{ column: 'revenue', agg: 'SUM' }] })] },
        'input.sections.0.query.timeBucket.column',
      ],
    ];
    for (const [input, field] of cases) {
      const r = await gql(stack.url, CREATE, { i: { name: unique('bad'), datasetId, ...input } }, analyst.token);
      expect(r.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await stack.runtime.prisma.reportTemplate.count()).toBe(before);
  });

  it('checks an update against the stored parameters, keeping the template as it was', async () => {
    const bad = [kpi({ measures: [{ column: 'revenue', agg: 'SUM' }], filters: [{ column: 'region', op: 'EQ', param: 'nope' }] })];
    const r = await gql(
      stack.url,
      'mutation($t: ID!, $s: JSON) { updateTemplate(id: $t, input: { sections: $s }) { version } }',
      { t: templateId, s: bad },
      analyst.token,
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.sections.0.query.filters.0.param' });
    const kept = await stack.runtime.prisma.reportTemplate.findUniqueOrThrow({ where: { id: templateId } });
    expect(kept.sections).toEqual(demoSections);
  });
});

describe('runs and schedules', () => {
  it('stores a fresh run with its report', async () => {
    const run = await gql(
      stack.url,
      'mutation($t: ID!) { runReport(templateId: $t, params: { region: "South" }) { status params durationMs report { cached sections } } }',
      { t: templateId },
      viewer.token,
    );
    expect(run.errors).toBeUndefined();
    expect(run.data!.runReport).toMatchObject({ status: 'SUCCEEDED', params: { region: 'South' }, report: { cached: false } });
    const runs = await gql(stack.url, 'query($t: ID!) { template(id: $t) { runs { status } } }', { t: templateId }, viewer.token);
    expect(runs.data!.template.runs[0]).toEqual({ status: 'SUCCEEDED' });
  });

  it('schedules a report by cron and runs it when due', async () => {
    const s = await gql(
      stack.url,
      'mutation($t: ID!) { scheduleReport(templateId: $t, cron: "0 8 * * 1", params: { region: "East" }, timezone: "Europe/Oslo") { id cron nextRunAt enabled } }',
      { t: templateId },
      analyst.token,
    );
    expect(s.errors).toBeUndefined();
    const next = new Date(s.data!.scheduleReport.nextRunAt);
    expect(next.getUTCDay()).toBe(1); // a Monday
    const bad = await gql(
      stack.url,
      'mutation($t: ID!) { scheduleReport(templateId: $t, cron: "every day") { id } }',
      { t: templateId },
      analyst.token,
    );
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'cron' });
    expect(
      codes(
        await gql(
          stack.url,
          'mutation($t: ID!) { scheduleReport(templateId: $t, cron: "0 8 * * 1") { id } }',
          { t: templateId },
          viewer.token,
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(await runDueSchedules(reportDeps(stack.runtime), stack.runtime.logger, new Date(next.getTime() + 1000))).toBe(1);
    const run = await stack.runtime.prisma.reportRun.findFirstOrThrow({ where: { scheduleId: s.data!.scheduleReport.id } });
    expect(run).toMatchObject({ status: 'SUCCEEDED', params: { region: 'East' }, scheduledFor: next, attempts: 1 });
    const after = await stack.runtime.prisma.reportSchedule.findUniqueOrThrow({ where: { id: s.data!.scheduleReport.id } });
    expect(after.nextRunAt!.getTime()).toBeGreaterThan(next.getTime());
  });
});
