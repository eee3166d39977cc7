// What chart-recommender version 2 sees of a dataset query: its shape, read from the query and the
// dataset version's column profile — no data is read. Time (and how many time values), categorical
// and numeric dimensions with their cardinalities, how many measures and whether they add up to a
// whole, and how many rows the result will have. Shared by the model's training (the rule table
// labels these shapes), chart suggestions and report CHART sections.
import { CHART_TYPES, type ChartRoles, type ChartType } from '../../lib/charts/vegaLite.js';
import type { ColumnType } from '../../lib/datasets/tables.js';
import type { DatasetQuery, TimeUnit } from '../../lib/datasets/query.js';

export { CHART_TYPES, type ChartType };

export interface ChartShape {
  /** A time bucket, or a date/timestamp dimension. */
  time: boolean;
  /** Distinct time values the result will have (buckets, or the time column's distinct values). */
  timePoints: number;
  /** Text and boolean dimensions. */
  categories: number;
  /** Integer and float dimensions. */
  numericDimensions: number;
  measures: number;
  /** Every measure adds up to a meaningful whole: COUNT, or SUM of a column that is never negative. */
  additive: boolean;
  /** Distinct values of the first and second categorical dimension (0 when there is none). */
  cardinality: number;
  cardinality2: number;
  /** Rows the result will have (estimated from the cardinalities, at most the version's rows). */
  rows: number;
}

/** A column as the profile describes it. */
export interface ProfiledColumn {
  name: string;
  type: ColumnType;
  distinctCount: number | null;
  min: unknown;
  max: unknown;
}

const TEMPORAL = new Set<ColumnType>(['DATE', 'TIMESTAMP']);
const NUMERIC = new Set<ColumnType>(['INTEGER', 'FLOAT']);
const UNIT_MS: Partial<Record<TimeUnit, number>> = { HOUR: 3_600_000, DAY: 86_400_000, WEEK: 7 * 86_400_000 };
const UNIT_MONTHS: Partial<Record<TimeUnit, number>> = { MONTH: 1, QUARTER: 3, YEAR: 12 };

/** Distinct values a dimension keeps after the query's filters (EQ keeps one, IN its list). */
function keptValues(query: DatasetQuery, column: ProfiledColumn): number {
  const profile = column.type === 'BOOLEAN' ? 2 : Math.max(1, column.distinctCount ?? 1);
  let kept = profile;
  for (const f of query.filters ?? []) {
    if (f.column !== column.name) continue;
    if (f.op === 'EQ') kept = 1;
    else if (f.op === 'IN') kept = Math.min(kept, Math.max(1, f.values?.length ?? 1));
  }
  return kept;
}

/** Time buckets between the column's min and max, counted in calendar units (at most its distinct values). */
function bucketCount(column: ProfiledColumn, unit: TimeUnit): number {
  const lo = new Date(String(column.min ?? ''));
  const hi = new Date(String(column.max ?? ''));
  const distinct = Math.max(1, column.distinctCount ?? 1);
  if (Number.isNaN(lo.getTime()) || Number.isNaN(hi.getTime())) return distinct;
  const months = UNIT_MONTHS[unit];
  const buckets = months
    ? Math.floor((hi.getUTCFullYear() * 12 + hi.getUTCMonth()) / months) -
      Math.floor((lo.getUTCFullYear() * 12 + lo.getUTCMonth()) / months) +
      1
    : Math.floor((hi.getTime() - lo.getTime()) / UNIT_MS[unit]!) + 1;
  return Math.max(1, Math.min(distinct, buckets));
}

/** The shape of `query` over a version with these columns and `rowCount` rows; and the roles its result columns play. */
export function chartShapeOf(
  query: DatasetQuery,
  columns: readonly ProfiledColumn[],
  rowCount: number,
): { shape: ChartShape; roles: ChartRoles } {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const roles: ChartRoles = { time: null, categories: [], numericDimensions: [], measures: [] };
  let timePoints = 0;
  const cardinalities: number[] = [];
  let rows = 1;
  for (const name of query.dimensions ?? []) {
    const c = byName.get(name);
    if (!c) continue;
    const kept = keptValues(query, c);
    rows *= kept;
    if (TEMPORAL.has(c.type) && !roles.time) {
      roles.time = name;
      timePoints = kept;
    } else if (NUMERIC.has(c.type)) roles.numericDimensions.push(name);
    else {
      roles.categories.push(name);
      cardinalities.push(kept);
    }
  }
  if (query.timeBucket) {
    const c = byName.get(query.timeBucket.column);
    const buckets = c ? bucketCount(c, query.timeBucket.unit) : 1;
    rows *= buckets;
    if (!roles.time) {
      roles.time = query.timeBucket.column;
      timePoints = buckets;
    } else timePoints *= buckets;
  }
  let additive = (query.measures ?? []).length > 0;
  for (const m of query.measures ?? []) {
    roles.measures.push(m.alias ?? `${m.agg.toLowerCase()}_${m.column === '*' ? 'rows' : m.column}`);
    const c = byName.get(m.column);
    const nonNegative = typeof c?.min === 'number' ? c.min >= 0 : Number(c?.min) >= 0;
    if (!(m.agg === 'COUNT' || (m.agg === 'SUM' && nonNegative))) additive = false;
  }
  const grouped = (query.dimensions ?? []).length > 0 || !!query.timeBucket;
  rows = grouped ? Math.min(rows, Math.max(1, rowCount)) : roles.measures.length ? 1 : Math.max(1, rowCount);
  if (typeof query.limit === 'number') rows = Math.min(rows, query.limit);
  return {
    shape: {
      time: roles.time !== null,
      timePoints,
      categories: roles.categories.length,
      numericDimensions: roles.numericDimensions.length,
      measures: roles.measures.length,
      additive,
      cardinality: cardinalities[0] ?? 0,
      cardinality2: cardinalities[1] ?? 0,
      rows,
    },
    roles,
  };
}

export const CHART_SHAPE_FEATURES = 12;

/** The model's input: counts capped, cardinalities on a log scale and, up to 60, linearly (where the rules draw lines). */
export function chartShapeFeatures(s: ChartShape): Float32Array {
  return Float32Array.from([
    s.time ? 1 : 0,
    Math.log10(s.timePoints + 1),
    Math.min(s.categories, 3),
    Math.min(s.numericDimensions, 2),
    Math.min(s.measures, 5),
    s.additive ? 1 : 0,
    Math.log10(s.cardinality + 1),
    Math.min(s.cardinality, 60) / 10,
    Math.log10(s.cardinality2 + 1),
    Math.min(s.cardinality2, 60) / 10,
    Math.log10(s.rows + 1),
    s.rows <= 1 ? 1 : 0,
  ]);
}
