// Rendering a template: each section's dataset query, with the report's parameters bound into
// its filters (`{ column, op, param }`), run in PostgreSQL; KPIs, tables, charts (the chart model's
// suggestion for the query, see models/runtime/chartAdvisor.ts) and narratives built from the rows. A report renders at most REPORT_MAX_SECTIONS sections, running at most
// REPORT_SECTION_CONCURRENCY queries at once. Hot reports are served from Redis (and a copy in
// memory), keyed by everything that can change the answer (template version, dataset version,
// parameters).
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { rowsAsObjects } from '../../../lib/charts/vegaLite.js';
import { profiledColumns, resolveVersion, type ColumnProfile } from '../../../lib/datasets/catalog.js';
import { compileQuery, runQuery, type DatasetQuery } from '../../../lib/datasets/query.js';
import { badInput } from '../../../lib/errors.js';
import type { PrismaClient, ReportTemplate } from '../../../lib/prisma.js';
import type { Redis } from '../../../lib/redis.js';
import { suggestChart } from '../../../models/runtime/chartAdvisor.js';
import { ModelNotServedError, type ServedModels } from '../../../models/runtime/servedModels.js';
import { narrate } from './narrate.js';
import { fitsParameter, sectionSchema, withParameters, type Parameter, type Section } from './sections.js';

/** Checks the caller's parameters against the template's and fills in defaults. */
export function bindParameters(declared: Parameter[], given: unknown): Record<string, unknown> {
  if (given !== null && given !== undefined && (typeof given !== 'object' || Array.isArray(given))) {
    throw badInput('params: an object of parameter name → value', { field: 'params' });
  }
  const values = (given ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(values)) {
    if (!declared.some((p) => p.name === name))
      throw badInput(`params.${name}: the template has no such parameter`, { field: `params.${name}` });
  }
  const out: Record<string, unknown> = {};
  for (const p of declared) {
    const v = (Object.hasOwn(values, p.name) ? values[p.name] : undefined) ?? p.default ?? null;
    if (v === null) {
      if (p.required) throw badInput(`params.${p.name}: required`, { field: `params.${p.name}` });
      out[p.name] = null;
      continue;
    }
    if (!fitsParameter(p.type, v)) throw badInput(`params.${p.name}: not a valid ${p.type}`, { field: `params.${p.name}` });
    out[p.name] = v;
  }
  return out;
}

export interface RenderedReport {
  templateId: string;
  templateVersion: number;
  params: Record<string, unknown>;
  sections: unknown[];
  generatedAt: string;
  cached: boolean;
  durationMs: number;
}

/**
 * `fn` over `items`, at most `limit` at a time, answers in the items' order: a report's section
 * queries share the dataset pool with every other request, so one report must not take it all.
 * Fails with the first error; items not yet started then never start.
 */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}

/**
 * Refuses a template with more sections than one report may render (REPORT_MAX_SECTIONS), before
 * anything runs: every section is a query on the shared pool.
 */
export function checkSectionCount(template: Pick<ReportTemplate, 'sections'>, maxSections: number): void {
  const count = Array.isArray(template.sections) ? template.sections.length : 0;
  if (count <= maxSections) return;
  throw badInput(
    `the template has ${count} sections; a report renders at most ${maxSections} (REPORT_MAX_SECTIONS): split it into smaller templates`,
    { field: 'templateId', limit: 'REPORT_MAX_SECTIONS' },
  );
}

export interface RenderDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
  maxRows: number;
  timeoutMs: number;
  /** REPORT_MAX_SECTIONS */
  maxSections: number;
  /** REPORT_MAX_ROWS: rows of all sections together. */
  maxReportRows: number;
  /** REPORT_SECTION_CONCURRENCY: section queries one report runs at once. */
  concurrency: number;
  /** The registry's models, for CHART sections; without them a CHART section says it has no chart. */
  models?: ServedModels;
}

export function parseSections(template: Pick<ReportTemplate, 'sections'>): Section[] {
  return (Array.isArray(template.sections) ? template.sections : []).map((raw, i) => {
    const parsed = sectionSchema.safeParse(raw);
    if (!parsed.success)
      throw badInput(`section ${i + 1} of the template is malformed: ${parsed.error.issues[0]!.message}`, { field: `sections.${i}` });
    return parsed.data;
  });
}

type VersionTable = Awaited<ReturnType<typeof resolveVersion>> & { profiles: ColumnProfile[] };

/**
 * A CHART section's chart: the chart model's suggestion for the section's query over this version,
 * with a Vega-Lite spec holding the rendered rows. The template's own `chart` object travels along
 * as `options` (an author's hints for the client). A report whose chart model is not served still
 * renders: its charts say why they are missing.
 */
async function chartOf(
  deps: RenderDeps,
  table: VersionTable,
  query: DatasetQuery,
  result: { columns: Array<{ name: string }>; rows: unknown[][] },
  s: Section,
) {
  const options = s.chart ? { options: s.chart } : {};
  if (!deps.models) return { chart: null, chartError: 'no chart model is loaded where this report was rendered', ...options };
  try {
    const { modelVersionId: _version, ...suggestion } = await suggestChart(deps.models, {
      query,
      columns: table.profiles,
      rowCount: Number(table.version.rowCount),
      stickyKey: table.dataset.id,
      data: { values: rowsAsObjects(result.columns, result.rows) },
    });
    return { chart: { ...suggestion, ...options } };
  } catch (err) {
    if (err instanceof ModelNotServedError) return { chart: null, chartError: err.message, ...options };
    throw err;
  }
}

/**
 * Counts a section's rows against the report's REPORT_MAX_ROWS: fifty sections of a hundred
 * thousand rows each were one answer of gigabytes. Sections run a few at a time, so at most
 * REPORT_SECTION_CONCURRENCY results are held when the count runs over.
 */
function countRows(deps: RenderDeps, budget: { rows: number }, rows: number): void {
  budget.rows += rows;
  if (budget.rows > deps.maxReportRows)
    throw badInput(
      `the report's sections hold more than ${deps.maxReportRows} rows together (REPORT_MAX_ROWS): give its tables limits or coarser groups, or export them (CSV and XLSX stream any size)`,
      { field: 'templateId', limit: 'REPORT_MAX_ROWS' },
    );
}

async function renderSection(
  deps: RenderDeps,
  table: VersionTable,
  s: Section,
  i: number,
  params: Record<string, unknown>,
  budget: { rows: number },
) {
  const title = s.title ?? s.id ?? `Section ${i + 1}`;
  if (!s.query) return { ...s, title, text: s.kind === 'NARRATIVE' ? '' : undefined };
  const query = withParameters(s.query, params);
  const compiled = compileQuery(table.version.tableName, table.columns, query, {
    maxRows: deps.maxRows,
    field: `sections.${i}.query`,
  });
  const result = await runQuery(deps.pool, compiled, { maxRows: deps.maxRows, timeoutMs: deps.timeoutMs });
  countRows(deps, budget, result.rows.length);
  const base = { id: s.id ?? String(i + 1), kind: s.kind, title, columns: result.columns, rows: result.rows };
  switch (s.kind) {
    case 'KPI':
      return { ...base, value: result.rows[0]?.at(-1) ?? null };
    case 'CHART':
      return { ...base, ...(await chartOf(deps, table, query, result, s)) };
    case 'NARRATIVE': {
      const { text, findings } = narrate(title, result.rows, s.query.measures?.at(-1)?.agg ?? null, s.language ?? 'EN');
      return { ...base, text, findings };
    }
    default:
      return base;
  }
}

/** Renders every section on the dataset's current version, `concurrency` queries at a time. */
export async function render(deps: RenderDeps, template: ReportTemplate, params: Record<string, unknown>) {
  const started = performance.now();
  checkSectionCount(template, deps.maxSections);
  const sections = parseSections(template);
  const resolved = await resolveVersion(deps.prisma, template.datasetId, null, { datasetId: 'templateId', version: 'templateId' });
  const table = { ...resolved, profiles: await profiledColumns(deps.prisma, resolved.version.id) };
  const budget = { rows: 0 };
  const rendered = await mapLimited(sections, deps.concurrency, (s, i) => renderSection(deps, table, s, i, params, budget));
  return {
    dataVersionId: table.version.id,
    report: {
      templateId: template.id,
      templateVersion: template.version,
      params,
      sections: rendered,
      generatedAt: new Date().toISOString(),
      cached: false,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    } satisfies RenderedReport,
  };
}

/** Everything the answer depends on: the template's version, the dataset's version, the parameters. */
export function cacheKey(
  template: { id?: string; templateId?: string; version: number },
  dataVersionId: string,
  params: Record<string, unknown>,
): string {
  const canonical = JSON.stringify(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]]),
  );
  return `report:${template.templateId ?? template.id}:${template.version}:${dataVersionId}:${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * The hot-report cache: Redis, shared by every replica, with a copy in this process's memory in
 * front of it. An entry's key names everything its answer depends on, so a copy is never stale —
 * it only spares the Redis round trip and the JSON parse. Memory holds at most `memoryBytes` of
 * reports (as JSON), the least recently used going first, each for at most the Redis TTL.
 */
export function createReportCache(redis: Redis, { ttlSeconds, memoryBytes }: { ttlSeconds: number; memoryBytes: number }) {
  const memory = new Map<string, { report: RenderedReport; bytes: number; until: number }>();
  let held = 0;
  const drop = (key: string) => {
    const entry = memory.get(key);
    if (!entry) return;
    memory.delete(key);
    held -= entry.bytes;
  };
  const remember = (key: string, report: RenderedReport, bytes: number, until: number) => {
    if (bytes > memoryBytes) return;
    drop(key);
    while (held + bytes > memoryBytes) drop(memory.keys().next().value!);
    // Shared by every caller that reads it: frozen, so none can change another's answer.
    memory.set(key, { report: deepFreeze(report), bytes, until });
    held += bytes;
  };
  return {
    async read(key: string): Promise<RenderedReport | null> {
      const copy = memory.get(key);
      if (copy && copy.until > Date.now()) {
        // Most recently used last: the map's order is the eviction order.
        memory.delete(key);
        memory.set(key, copy);
        return { ...copy.report, cached: true };
      }
      if (copy) drop(key);
      try {
        const [[, text], [, pttl]] = (await redis.multi().get(key).pttl(key).exec()) as [[null, string | null], [null, number]];
        if (!text) return null;
        const report = JSON.parse(text) as RenderedReport;
        if (pttl > 0) remember(key, report, text.length, Date.now() + pttl);
        return { ...report, cached: true };
      } catch {
        return null; // Redis down: render instead
      }
    },
    async write(key: string, report: RenderedReport): Promise<void> {
      const text = JSON.stringify(report);
      remember(key, JSON.parse(text) as RenderedReport, text.length, Date.now() + ttlSeconds * 1000);
      await redis.set(key, text, 'EX', ttlSeconds).catch(() => {});
    },
    /** Reports held in memory and their size (JSON characters). */
    held: () => ({ entries: memory.size, bytes: held }),
  };
}

export type ReportCache = ReturnType<typeof createReportCache>;
