// Named prepared statements for the hot read path: each connection parses and plans a statement
// once, then only its bound values travel. Prisma stays the schema, migration and write layer; it
// costs a query compilation and a row mapping per call, which a list read with its owners and
// analyses pays several times per request. Rows come back in the shape Prisma returns them
// (timestamps as UTC Dates, BIGINT as bigint), so a resolver cannot tell the two apart; each
// statement's test compares its rows with Prisma's.
import pg from 'pg';

const TIMESTAMP = 1114; // timestamp without time zone: Prisma's DateTime, written and read as UTC
const INT8 = 20;

/** Prisma's decoding of the columns it maps differently from pg's defaults. */
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === TIMESTAMP) return (value: string) => new Date(`${value.replace(' ', 'T')}Z`);
    if (oid === INT8) return (value: string) => BigInt(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** Something that runs a query config: a pool or a client. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>>;
}

export interface Statement<R, V extends unknown[]> {
  readonly name: string;
  readonly text: string;
  /** Runs it with `values` bound, on `db`: the rows, as Prisma would have returned them. */
  rows(db: Queryable, ...values: V): Promise<R[]>;
}

/**
 * A statement prepared once per connection under `name` (unique in the process: pg keeps one
 * plan per name and connection). `text` names its columns: a `SELECT *` would fail its cached
 * plan after a migration adds one.
 */
export function statement<R, V extends unknown[]>(name: string, text: string): Statement<R, V> {
  return {
    name,
    text,
    async rows(db, ...values) {
      const result = await db.query<R & pg.QueryResultRow>({ name, text, values, types });
      return result.rows;
    },
  };
}

/**
 * A model's columns for a select list, from its generated `Prisma.<Model>ScalarFieldEnum` (so a
 * column added by a migration is read too): quoted, prefixed with `as` when given (a joined
 * table's columns, taken apart by `prefixed`), `casts` re-typing some (enum arrays as text[]).
 */
export function columns(
  fields: Record<string, string>,
  alias: string,
  { as = '', casts = {} }: { as?: string; casts?: Record<string, string> } = {},
): string {
  return Object.values(fields)
    .map((n) => `${alias}."${n}"${casts[n] ? `::${casts[n]}` : ''}${as || casts[n] ? ` AS "${as}${n}"` : ''}`)
    .join(', ');
}

/** The columns of `fields` in `row` selected with prefix `as`, without it; null when its key column is null (no joined row). */
export function pick<T>(row: Record<string, unknown>, fields: Record<string, string>, as = '', key = 'id'): T | null {
  if (row[`${as}${key}`] === null) return null;
  const out: Record<string, unknown> = {};
  for (const n of Object.values(fields)) out[n] = row[`${as}${n}`];
  return out as T;
}
