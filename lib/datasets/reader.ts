// Reads a numeric series out of a dataset version for analysis: summed per time value when a
// time column is given (one point per period, ordered), else the column in table order.
import type pg from 'pg';
import { badInput } from '../errors.js';
import { qualifiedTable, quoteIdent, type ColumnSpec } from './tables.js';

export const MAX_SERIES_POINTS = 1_000_000;

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
  timeColumn?: string | null,
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
  const { rows } = await pool.query({ text: sql, values: [MAX_SERIES_POINTS + 1], rowMode: 'array' });
  if (rows.length > MAX_SERIES_POINTS) throw badInput(`the series has more than ${MAX_SERIES_POINTS} points`);
  const toIso = (t: string) => (time?.type === 'DATE' ? t : new Date(t).toISOString());
  return {
    values: Float64Array.from(rows, (r) => Number(r[1])),
    timestamps: time ? rows.map((r) => toIso(String(r[0]))) : null,
  };
}
