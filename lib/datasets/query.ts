// The dataset query compiler: dimensions, measures, filters, a time bucket, order and limit, into
// ONE parameterised SQL statement over a version's table. Identifiers come only from the version's
// known columns (and are quoted); every value is bound; SQL keywords come only from fixed maps.
import type pg from 'pg';
import { z } from 'zod';
import { badInput } from '../errors.js';
import { isNumeric, isTemporal, qualifiedTable, quoteIdent, SQL_TYPE, type ColumnSpec, type ColumnType } from './tables.js';

export const AGGS = ['SUM', 'AVG', 'MIN', 'MAX', 'COUNT', 'COUNT_DISTINCT', 'MEDIAN'] as const;
export const FILTER_OPS = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'IN', 'BETWEEN', 'IS_NULL', 'CONTAINS'] as const;
export const TIME_UNITS = ['HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'] as const;
export type Agg = (typeof AGGS)[number];
export type FilterOp = (typeof FILTER_OPS)[number];
export type TimeUnit = (typeof TIME_UNITS)[number];

export interface Measure {
  column: string;
  agg: Agg;
  /** Output name; `<agg>_<column>` by default (`sum_revenue`). */
  alias?: string | null;
}
export interface Filter {
  column: string;
  op: FilterOp;
  value?: unknown;
  values?: unknown[] | null;
}
export interface OrderBy {
  /** A dimension, the time bucket's column, or a measure's column or alias. */
  column: string;
  /** Picks among several measures of one column. */
  agg?: Agg | null;
  direction?: 'ASC' | 'DESC' | null;
}
export interface DatasetQuery {
  dimensions?: string[] | null;
  measures?: Measure[] | null;
  filters?: Filter[] | null;
  timeBucket?: { column: string; unit: TimeUnit } | null;
  orderBy?: OrderBy[] | null;
  limit?: number | null;
}

/**
 * A dataset query as JSON (a report section's `query`): the shape of `DatasetQueryInput` without
 * `datasetId`, checked field by field. Filters may take a report parameter (`param`) for their value.
 */
export const datasetQuerySchema = z.strictObject({
  dimensions: z.array(z.string()).max(50).nullish(),
  measures: z
    .array(z.strictObject({ column: z.string(), agg: z.enum(AGGS), alias: z.string().max(63).nullish() }))
    .max(50)
    .nullish(),
  filters: z
    .array(
      z.strictObject({
        column: z.string(),
        op: z.enum(FILTER_OPS),
        value: z.unknown().optional(),
        values: z.array(z.unknown()).nullish(),
        param: z.string().optional(),
      }),
    )
    .max(50)
    .nullish(),
  timeBucket: z.strictObject({ column: z.string(), unit: z.enum(TIME_UNITS) }).nullish(),
  orderBy: z
    .array(z.strictObject({ column: z.string(), agg: z.enum(AGGS).nullish(), direction: z.enum(['ASC', 'DESC']).nullish() }))
    .max(50)
    .nullish(),
  limit: z.number().int().min(0).nullish(),
});

export interface CompiledQuery {
  sql: string;
  params: unknown[];
  columns: ColumnSpec[];
  /** The row limit asked for, or null when the compiler added `maxRows + 1` to detect overflow. */
  limit: number | null;
}

const AGG_SQL: Record<Agg, (col: string) => string> = {
  SUM: (c) => `sum(${c})`,
  AVG: (c) => `avg(${c})::float8`,
  MIN: (c) => `min(${c})`,
  MAX: (c) => `max(${c})`,
  COUNT: (c) => `count(${c})`,
  COUNT_DISTINCT: (c) => `count(DISTINCT ${c})`,
  MEDIAN: (c) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${c})::float8`,
};
const NUMERIC_ONLY = new Set<Agg>(['SUM', 'AVG', 'MEDIAN']);
const COMPARE: Partial<Record<FilterOp, string>> = { EQ: '=', NEQ: '<>', LT: '<', LTE: '<=', GT: '>', GTE: '>=' };
const UNIT_SQL: Record<TimeUnit, string> = { HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month', QUARTER: 'quarter', YEAR: 'year' };

function measureType(agg: Agg, type: ColumnType): ColumnType {
  if (agg === 'COUNT' || agg === 'COUNT_DISTINCT') return 'INTEGER';
  if (agg === 'AVG' || agg === 'MEDIAN') return 'FLOAT';
  return type;
}

/** Checks a filter value against the column's type and returns it as text for a typed bind. */
export function bindValue(value: unknown, type: ColumnType, field: string): string {
  const fail = (): never => {
    throw badInput(`${field}: ${JSON.stringify(value)} is not a valid ${type}`, { field });
  };
  if (value === null || value === undefined) fail();
  switch (type) {
    case 'INTEGER': {
      const s = String(value);
      if (!/^-?\d{1,19}$/.test(s)) fail();
      return s;
    }
    case 'FLOAT': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) fail();
      return String(n);
    }
    case 'BOOLEAN':
      if (typeof value === 'boolean') return String(value);
      if (value === 'true' || value === 'false') return value;
      return fail();
    case 'DATE':
    case 'TIMESTAMP':
      if (typeof value !== 'string' || !isCalendarTime(value)) fail();
      return value as string;
    case 'TEXT':
      if (typeof value === 'object') fail();
      return String(value);
  }
}

/** An ISO date's start (`YYYY-M-D` and longer), whose day is checked against its month. */
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])/;

/**
 * Whether a filter value can be a date or time: one JavaScript can read, not a bare number (which
 * `Date.parse` takes for a year and PostgreSQL refuses), within years 1–9999, and, written ISO
 * style, a real day of its month (`Date.parse` rolls 2020-02-30 over into March). Forms PostgreSQL
 * still refuses come back from it as the client's error too (clientError).
 */
function isCalendarTime(value: string): boolean {
  const at = Date.parse(value);
  if (Number.isNaN(at) || /^\s*[+-]?\d+\s*$/.test(value)) return false;
  const year = new Date(at).getUTCFullYear();
  if (year < 1 || year > 9999) return false;
  const m = ISO_DATE.exec(value.trim());
  if (!m) return true;
  const [y, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return !!days && day >= 1 && day <= days;
}

/**
 * Compiles a query against a version's columns. Throws BAD_USER_INPUT naming the field for an
 * unknown column, an aggregation that does not fit the column's type, or a malformed value.
 */
export function compileQuery(
  tableName: string,
  columns: ColumnSpec[],
  q: DatasetQuery,
  { maxRows, field: root = 'input' }: { maxRows: number; field?: string },
): CompiledQuery {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const column = (name: string, field: string) => {
    const c = byName.get(name);
    if (!c) throw badInput(`${field}: unknown column "${name}"`, { field });
    return c;
  };
  const params: unknown[] = [];
  const bind = (v: unknown) => `$${params.push(v)}`;
  const select: string[] = [];
  const outputs: ColumnSpec[] = [];
  const groupKeys: string[] = [];

  for (const [i, name] of (q.dimensions ?? []).entries()) {
    const c = column(name, `${root}.dimensions.${i}`);
    select.push(quoteIdent(c.name));
    groupKeys.push(String(select.length));
    outputs.push({ name: c.name, type: c.type });
  }
  let bucketPosition: number | null = null;
  if (q.timeBucket) {
    const c = column(q.timeBucket.column, `${root}.timeBucket.column`);
    if (!isTemporal(c.type))
      throw badInput(`${root}.timeBucket.column: "${c.name}" is ${c.type}, not a date or timestamp`, {
        field: `${root}.timeBucket.column`,
      });
    const unit = UNIT_SQL[q.timeBucket.unit];
    // date_trunc on a timestamptz truncates in the session time zone: pin it to UTC.
    const expr =
      c.type === 'DATE' ? `date_trunc('${unit}', ${quoteIdent(c.name)})::date` : `date_trunc('${unit}', ${quoteIdent(c.name)}, 'UTC')`;
    select.push(expr);
    bucketPosition = select.length;
    groupKeys.push(String(select.length));
    outputs.push({ name: c.name, type: c.type });
  }
  const measures = q.measures ?? [];
  const measureNames: Array<{ column: string; agg: Agg; name: string; position: number }> = [];
  for (const [i, m] of measures.entries()) {
    const field = `${root}.measures.${i}`;
    let expr: string;
    let type: ColumnType;
    if (m.column === '*') {
      if (m.agg !== 'COUNT') throw badInput(`${field}.column: "*" only goes with COUNT`, { field: `${field}.column` });
      expr = 'count(*)';
      type = 'INTEGER';
    } else {
      const c = column(m.column, `${field}.column`);
      if (NUMERIC_ONLY.has(m.agg) && !isNumeric(c.type)) {
        throw badInput(`${field}.agg: ${m.agg} needs a numeric column; "${c.name}" is ${c.type}`, { field: `${field}.agg` });
      }
      if ((m.agg === 'MIN' || m.agg === 'MAX') && c.type === 'BOOLEAN') {
        throw badInput(`${field}.agg: ${m.agg} of a BOOLEAN column; use COUNT with a filter`, { field: `${field}.agg` });
      }
      type = measureType(m.agg, c.type);
      expr = AGG_SQL[m.agg](quoteIdent(c.name));
      // sum(bigint) is numeric; keep integer sums integers.
      if (m.agg === 'SUM') expr = `${expr}::${c.type === 'INTEGER' ? 'bigint' : 'float8'}`;
    }
    const name = m.alias ?? `${m.agg.toLowerCase()}_${m.column === '*' ? 'rows' : m.column}`;
    select.push(expr);
    measureNames.push({ column: m.column, agg: m.agg, name, position: select.length });
    outputs.push({ name, type });
  }
  if (select.length === 0) throw badInput(`${root}: ask for at least one dimension, time bucket or measure`, { field: root });

  const where: string[] = [];
  for (const [i, f] of (q.filters ?? []).entries()) {
    const field = `${root}.filters.${i}`;
    const c = column(f.column, `${field}.column`);
    const col = quoteIdent(c.name);
    const cast = SQL_TYPE[c.type];
    const typed = (v: unknown, at: string) => `${bind(bindValue(v, c.type, at))}::${cast}`;
    const list = (min: number, max: number) => {
      const values = f.values ?? [];
      if (values.length < min || values.length > max) {
        throw badInput(`${field}.values: ${f.op} takes ${min === max ? min : `${min} to ${max}`} values`, { field: `${field}.values` });
      }
      return values;
    };
    const comparison = COMPARE[f.op];
    if (comparison) where.push(`${col} ${comparison} ${typed(f.value, `${field}.value`)}`);
    else if (f.op === 'IN')
      where.push(`${col} = ANY(${bind(list(1, 10_000).map((v, k) => bindValue(v, c.type, `${field}.values.${k}`)))}::${cast}[])`);
    else if (f.op === 'BETWEEN') {
      const [lo, hi] = list(2, 2);
      where.push(`${col} BETWEEN ${typed(lo, `${field}.values.0`)} AND ${typed(hi, `${field}.values.1`)}`);
    } else if (f.op === 'IS_NULL') where.push(f.value === false ? `${col} IS NOT NULL` : `${col} IS NULL`);
    else if (f.op === 'CONTAINS') {
      if (typeof f.value !== 'string') throw badInput(`${field}.value: CONTAINS takes a string`, { field: `${field}.value` });
      // strpos, not LIKE: the user's % and _ are plain characters here.
      where.push(`strpos(lower(${col}::text), lower(${bind(f.value)})) > 0`);
    }
  }

  const order: string[] = [];
  for (const [i, o] of (q.orderBy ?? []).entries()) {
    const field = `${root}.orderBy.${i}`;
    const direction = o.direction === 'DESC' ? 'DESC' : 'ASC';
    const candidates = o.agg
      ? measureNames.filter((m) => m.column === o.column && m.agg === o.agg).map((m) => m.position)
      : [
          ...outputs.slice(0, select.length - measureNames.length).flatMap((out, k) => (out.name === o.column ? [k + 1] : [])),
          ...measureNames.filter((m) => m.name === o.column || m.column === o.column).map((m) => m.position),
        ];
    const unique = [...new Set(candidates)];
    if (unique.length === 0)
      throw badInput(`${field}.column: "${o.column}" is not a dimension or measure of this query`, { field: `${field}.column` });
    if (unique.length > 1) throw badInput(`${field}: "${o.column}" is measured more than once; name the agg`, { field: `${field}.agg` });
    order.push(`${unique[0]} ${direction} NULLS LAST`);
  }
  if (order.length === 0) {
    // Deterministic by default: time first, then the dimensions.
    if (bucketPosition) order.push(`${bucketPosition} ASC`);
    groupKeys.filter((k) => Number(k) !== bucketPosition).forEach((k) => order.push(`${k} ASC`));
  }

  if (q.limit !== undefined && q.limit !== null && (!Number.isInteger(q.limit) || q.limit < 0 || q.limit > maxRows)) {
    throw badInput(`${root}.limit: must be between 0 and ${maxRows}`, { field: `${root}.limit` });
  }
  const limit = q.limit ?? null;
  const grouped = measureNames.length > 0 || groupKeys.length > 0;
  const sql = [
    `SELECT ${select.join(', ')} FROM ${qualifiedTable(tableName)}`,
    where.length ? `WHERE ${where.join(' AND ')}` : '',
    grouped && groupKeys.length ? `GROUP BY ${groupKeys.join(', ')}` : '',
    order.length ? `ORDER BY ${order.join(', ')}` : '',
    `LIMIT ${bind(limit ?? maxRows + 1)}`,
  ]
    .filter(Boolean)
    .join(' ');
  return { sql, params, columns: outputs, limit };
}

/** Type parsers that keep PostgreSQL's text for numbers and times; `toJson` converts per column. */
const RAW_TEXT = (oid: number) => {
  void oid;
  return (value: string) => value;
};

function toJson(value: unknown, type: ColumnType): unknown {
  if (value === null) return null;
  switch (type) {
    case 'INTEGER': {
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : String(value);
    }
    case 'FLOAT':
      return Number(value);
    case 'BOOLEAN':
      return value === 't' || value === true;
    case 'DATE':
      return value;
    case 'TIMESTAMP':
      return new Date(String(value)).toISOString();
    case 'TEXT':
      return value;
  }
}

export interface QueryResult {
  columns: ColumnSpec[];
  rows: unknown[][];
  rowCount: number;
}

/** Runs a compiled query read-only with a statement timeout; rows as arrays in output order. */
export async function runQuery(
  pool: pg.Pool,
  compiled: CompiledQuery,
  { maxRows, timeoutMs }: { maxRows: number; timeoutMs: number },
): Promise<QueryResult> {
  const client = await pool.connect();
  try {
    await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}; SET LOCAL TIME ZONE 'UTC'`);
    const result = await client.query({
      text: compiled.sql,
      values: compiled.params,
      rowMode: 'array',
      types: { getTypeParser: RAW_TEXT } as unknown as pg.CustomTypesConfig,
    });
    await client.query('COMMIT');
    if (compiled.limit === null && result.rows.length > maxRows) {
      throw badInput(`the result has more than ${maxRows} rows: add a limit, filters or a coarser time bucket`, { field: 'input.limit' });
    }
    const rows = (result.rows as unknown[][]).map((r) => r.map((v, i) => toJson(v, compiled.columns[i]!.type)));
    return { columns: compiled.columns, rows, rowCount: rows.length };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw clientError(err, timeoutMs);
  } finally {
    client.release();
  }
}

/** PostgreSQL errors a client caused, as their BAD_USER_INPUT; anything else unchanged. */
function clientError(err: unknown, timeoutMs: number): unknown {
  const code = (err as { code?: string }).code;
  if (code === '57014') return badInput(`the query ran longer than ${timeoutMs} ms and was stopped`);
  if (code === '22003') return badInput('a value is out of range for its column type');
  // Invalid or out-of-range dates and times that got past bindValue: still the client's value.
  if (code === '22007' || code === '22008') return badInput('a date or time value is not one PostgreSQL accepts');
  return err;
}

/**
 * Runs a compiled query read-only through a server-side cursor and yields its rows one at a time
 * (fetched `batchRows` at a time: 10,000 took a 100k-row export ~20% less time than 2,000, for a
 * few MiB), so a result of any size streams in constant memory. The cap is
 * `maxRows` (the setting `limit` names): compile with the same `maxRows`, and the row past it
 * throws BAD_USER_INPUT — possibly after rows were sent. Breaking out of the loop closes the
 * cursor and releases the connection.
 */
export async function* streamQuery(
  pool: pg.Pool,
  compiled: CompiledQuery,
  { maxRows, timeoutMs, batchRows = 10_000, limit }: { maxRows: number; timeoutMs: number; batchRows?: number; limit?: string },
): AsyncGenerator<unknown[]> {
  const client = await pool.connect();
  let finished = false;
  try {
    await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}; SET LOCAL TIME ZONE 'UTC'`);
    await client.query({ text: `DECLARE export_rows NO SCROLL CURSOR FOR ${compiled.sql}`, values: compiled.params });
    const fetch = {
      text: `FETCH ${Math.floor(batchRows)} FROM export_rows`,
      rowMode: 'array' as const,
      types: { getTypeParser: RAW_TEXT } as unknown as pg.CustomTypesConfig,
    };
    let sent = 0;
    for (;;) {
      const { rows } = await client.query(fetch);
      if (rows.length === 0) break;
      for (const row of rows as unknown[][]) {
        if (compiled.limit === null && sent >= maxRows) {
          throw badInput(`the result has more than ${maxRows} rows${limit ? ` (${limit})` : ''}: add filters or a limit`, { limit });
        }
        sent++;
        yield row.map((v, i) => toJson(v, compiled.columns[i]!.type));
      }
    }
    await client.query('COMMIT');
    finished = true;
  } catch (err) {
    throw clientError(err, timeoutMs);
  } finally {
    // An error, or a consumer that stopped reading: the cursor goes with the transaction.
    if (!finished) await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}
