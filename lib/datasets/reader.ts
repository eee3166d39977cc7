// Reads a numeric series out of a dataset version for analysis: summed per time value when a
// time column is given (one point per period, ordered), else the column in table order; and the
// same sums split by the values of a categorical column, for anomaly drivers.
import type pg from 'pg';
import { badInput } from '../errors.js';
import { qualifiedTable, quoteIdent, SQL_TYPE, type ColumnSpec } from './tables.js';

export interface Series {
  values: Float64Array;
  /** ISO dates or timestamps per point, when there is a time column. */
  timestamps: string[] | null;
}

export async function readSeries(
  pool: pg.Pool,
  tableName: string,
  columns: ColumnSpec[],
  column: string,
  timeColumn: string | null | undefined,
  /** Most points read; past it the series is refused (ANALYSIS_MAX_POINTS). */
  maxPoints: number,
): Promise<Series> {
  const value = columns.find((c) => c.name === column);
  if (!value) throw badInput(`no column "${column}"`, { field: 'input.column' });
  const time = timeColumn ? columns.find((c) => c.name === timeColumn) : undefined;
  if (timeColumn && !time) throw badInput(`no column "${timeColumn}"`, { field: 'input.timeColumn' });
  const table = qualifiedTable(tableName);
  const v = quoteIdent(value.name);
  const sql = time
    ? `SELECT ${quoteIdent(time.name)}::text AS t, sum(${v})::float8 AS v FROM ${table} WHERE ${v} IS NOT NULL AND ${quoteIdent(time.name)} IS NOT NULL GROUP BY 1, ${quoteIdent(time.name)} ORDER BY ${quoteIdent(time.name)} LIMIT $1`
    : `SELECT NULL AS t, ${v}::float8 AS v FROM ${table} WHERE ${v} IS NOT NULL LIMIT $1`;
  const { rows } = await pool.query({ text: sql, values: [maxPoints + 1], rowMode: 'array' });
  if (rows.length > maxPoints)
    throw badInput(
      `the series of "${column}" has more than ${maxPoints} points${time ? ` (one per distinct "${time.name}")` : ''}, the most an analysis reads (ANALYSIS_MAX_POINTS): analyse a coarser time step or a shorter period`,
      { field: 'input.column', limit: 'ANALYSIS_MAX_POINTS' },
    );
  return {
    values: Float64Array.from(rows, (r) => Number(r[1])),
    timestamps: time ? rows.map((r) => isoOf(time, String(r[0]))) : null,
  };
}

/** A time value as the series names it: a date as written, a timestamp in ISO UTC. */
const isoOf = (time: ColumnSpec, text: string) => (time.type === 'DATE' ? text : new Date(text).toISOString());

/** A dimension's sub-series: per value (label), the column summed at each of the series' timestamps. */
export interface SeriesByValue {
  /** Distinct time values, in time order (those where any value has data). */
  timestamps: string[];
  /** Sub-series per label: `(null)` for NULL, `(other)` for values past the `maxValues` largest. */
  byValue: Map<string, Map<string, number>>;
}

/**
 * The column summed per time value and per value of `dimension`, between `from` and `to` (time
 * values as the series names them), keeping the `maxValues` values with the largest absolute
 * totals apart and the rest together as `(other)`: a dimension with a million values answers
 * at most `maxValues + 2` sub-series.
 */
export async function readSeriesBy(
  pool: pg.Pool,
  tableName: string,
  columns: ColumnSpec[],
  { column, timeColumn, dimension }: { column: string; timeColumn: string; dimension: string },
  { maxValues, from, to }: { maxValues: number; from: string; to: string },
): Promise<SeriesByValue> {
  const find = (name: string, field: string) => {
    const c = columns.find((x) => x.name === name);
    if (!c) throw badInput(`no column "${name}"`, { field });
    return c;
  };
  const value = quoteIdent(find(column, 'input.column').name);
  const time = find(timeColumn, 'input.timeColumn');
  const t = quoteIdent(time.name);
  const d = quoteIdent(find(dimension, 'input.dimensions').name);
  const table = qualifiedTable(tableName);
  const cast = SQL_TYPE[time.type];
  const sql = `WITH top AS (
      SELECT k FROM (SELECT ${d}::text AS k, sum(abs(${value})) AS w FROM ${table} WHERE ${value} IS NOT NULL AND ${d} IS NOT NULL GROUP BY 1) totals
      ORDER BY w DESC NULLS LAST, k LIMIT $1)
    SELECT ${t}::text AS t,
      CASE WHEN ${d} IS NULL THEN '(null)' WHEN ${d}::text IN (SELECT k FROM top) THEN ${d}::text ELSE '(other)' END AS k,
      sum(${value})::float8 AS v
    FROM ${table}
    WHERE ${value} IS NOT NULL AND ${t} IS NOT NULL AND ${t} >= $2::${cast} AND ${t} <= $3::${cast}
    GROUP BY ${t}, 2 ORDER BY ${t}, 2`;
  const { rows } = await pool.query({ text: sql, values: [maxValues, from, to], rowMode: 'array' });
  const timestamps: string[] = [];
  const byValue = new Map<string, Map<string, number>>();
  for (const [rawTime, key, v] of rows as Array<[string, string, number]>) {
    const stamp = isoOf(time, String(rawTime));
    if (timestamps.at(-1) !== stamp) timestamps.push(stamp);
    let series = byValue.get(key);
    if (!series) byValue.set(key, (series = new Map()));
    series.set(stamp, Number(v));
  }
  return { timestamps, byValue };
}
