// Dataset rows live in real tables, one per immutable version, in the `data` schema. Identifiers
// are always quoted here and values always bound: nothing from a user is ever spliced into SQL.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Identity } from '../auth/identity.js';
import { badInput, notFound } from '../errors.js';

export const DATA_SCHEMA = 'data';

export type ColumnType = 'INTEGER' | 'FLOAT' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP' | 'TEXT';
export type SourceKind = 'CSV' | 'POSTGRES' | 'REST';

export const SQL_TYPE: Record<ColumnType, string> = {
  INTEGER: 'bigint',
  FLOAT: 'double precision',
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIMESTAMP: 'timestamptz',
  TEXT: 'text',
};

/** Quotes an identifier for PostgreSQL (doubling embedded quotes), whatever it contains. */
export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw badInput(`column name ${JSON.stringify(name)} contains a NUL character`);
  return `"${name.replace(/"/g, '""')}"`;
}

export const qualifiedTable = (tableName: string) => `${quoteIdent(DATA_SCHEMA)}.${quoteIdent(tableName)}`;

/** Table names are ours, never the user's: derived from the dataset id and version number. */
export const versionTableName = (datasetId: string, number: number) => `ds_${datasetId.replace(/-/g, '')}_v${number}`;

export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

/** PostgreSQL's limit on identifier length, in bytes; longer names would be silently cut. */
const MAX_IDENTIFIER_BYTES = 63;

/** Checks column names before any DDL: present, unique, short enough to stay distinct. */
export function checkColumnNames(names: string[], where: string): void {
  if (names.length === 0) throw badInput(`${where}: no columns`);
  if (names.length > 1600) throw badInput(`${where}: ${names.length} columns; PostgreSQL allows 1600`);
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const column = i + 1;
    if (!name.trim()) throw badInput(`${where}: column ${column} has an empty name`, { column });
    if (name.includes('\0')) throw badInput(`${where}: column ${column} name contains a NUL character`, { column });
    if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) {
      throw badInput(`${where}: column ${column} name is longer than ${MAX_IDENTIFIER_BYTES} bytes`, { column });
    }
    const first = seen.get(name);
    if (first !== undefined) throw badInput(`${where}: columns ${first} and ${column} are both named "${name}"`, { column });
    seen.set(name, column);
  });
}

export interface HistogramBin {
  label: string;
  lower: number | string | null;
  upper: number | string | null;
  count: number;
}

export interface ColumnProfile extends ColumnSpec {
  position: number;
  nullCount: number;
  distinctCount: number;
  min: unknown;
  max: unknown;
  mean: number | null;
  stddev: number | null;
  histogram: HistogramBin[];
}

const HISTOGRAM_BINS = 20;
const TOP_VALUES = 10;

/** Computes each column's profile in SQL: one pass for the statistics, one per column for its histogram. */
export async function profileColumns(client: pg.ClientBase, tableName: string, columns: ColumnSpec[]): Promise<ColumnProfile[]> {
  const table = qualifiedTable(tableName);
  const parts = columns.map((c, i) => {
    const col = quoteIdent(c.name);
    const numeric = c.type === 'INTEGER' || c.type === 'FLOAT';
    const ordered = c.type !== 'BOOLEAN';
    return [
      `count(${col}) AS n${i}`,
      `count(DISTINCT ${col}) AS d${i}`,
      ordered ? `min(${col})::text AS lo${i}` : `NULL AS lo${i}`,
      ordered ? `max(${col})::text AS hi${i}` : `NULL AS hi${i}`,
      numeric ? `avg(${col})::float8 AS m${i}` : `NULL AS m${i}`,
      numeric ? `stddev_samp(${col})::float8 AS s${i}` : `NULL AS s${i}`,
    ].join(', ');
  });
  const { rows } = await client.query(`SELECT count(*) AS total, ${parts.join(', ')} FROM ${table}`);
  const row = rows[0] as Record<string, string | number | null>;
  const total = Number(row.total);
  const profiles: ColumnProfile[] = [];
  for (const [i, c] of columns.entries()) {
    const lo = row[`lo${i}`] as string | null;
    const hi = row[`hi${i}`] as string | null;
    profiles.push({
      ...c,
      position: i,
      nullCount: total - Number(row[`n${i}`]),
      distinctCount: Number(row[`d${i}`]),
      min: typedBound(c.type, lo),
      max: typedBound(c.type, hi),
      mean: row[`m${i}`] as number | null,
      stddev: row[`s${i}`] as number | null,
      histogram: await histogram(client, table, c, lo, hi),
    });
  }
  return profiles;
}

/** Equal-width bins between min and max for numbers and times; the most frequent values otherwise. */
async function histogram(client: pg.ClientBase, table: string, c: ColumnSpec, lo: string | null, hi: string | null): Promise<HistogramBin[]> {
  const col = quoteIdent(c.name);
  if (lo === null || hi === null) return [];
  if (c.type === 'TEXT' || c.type === 'BOOLEAN') {
    const { rows } = await client.query(
      `SELECT ${col}::text AS v, count(*)::int AS n FROM ${table} WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${TOP_VALUES}`,
    );
    return rows.map((r) => ({ label: r.v, lower: r.v, upper: r.v, count: r.n }));
  }
  // Times are binned on their epoch seconds.
  const asNumber = c.type === 'DATE' || c.type === 'TIMESTAMP' ? `extract(epoch FROM ${col})::float8` : `${col}::float8`;
  const { rows: bounds } = await client.query(`SELECT min(${asNumber}) AS lo, max(${asNumber}) AS hi FROM ${table}`);
  const min = Number(bounds[0].lo);
  const max = Number(bounds[0].hi);
  const bins = min === max ? 1 : HISTOGRAM_BINS;
  const width = (max - min) / bins || 1;
  const { rows } = await client.query(
    `SELECT least(floor((${asNumber} - $1) / $2)::int, $3 - 1) AS b, count(*)::int AS n FROM ${table}
     WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY 1`,
    [min, width, bins],
  );
  const counts = new Map(rows.map((r) => [r.b as number, r.n as number]));
  const show = (v: number) => (c.type === 'DATE' ? new Date(v * 1000).toISOString().slice(0, 10) : c.type === 'TIMESTAMP' ? new Date(v * 1000).toISOString() : v);
  return Array.from({ length: bins }, (_, b) => {
    const lower = show(min + b * width);
    const upper = show(b === bins - 1 ? max : min + (b + 1) * width);
    return { label: `${lower} – ${upper}`, lower, upper, count: counts.get(b) ?? 0 };
  });
}

function typedBound(type: ColumnType, text: string | null): unknown {
  if (text === null) return null;
  if (type === 'INTEGER' || type === 'FLOAT') return Number(text);
  if (type === 'TIMESTAMP') return new Date(text).toISOString();
  return text;
}

export interface NewVersion {
  datasetId: string;
  actor: Identity | null;
  sourceKind: SourceKind;
  /** Where the rows came from (file name, options, URL) — never credentials. */
  source?: Record<string, unknown>;
  steps?: unknown[];
  parentId?: string | null;
  columns: ColumnSpec[];
  /** Fills the new, empty table; returns how many rows it wrote. */
  load(client: pg.PoolClient, table: string): Promise<number>;
}

export interface WrittenVersion {
  id: string;
  datasetId: string;
  number: number;
  tableName: string;
  rowCount: number;
  columns: ColumnProfile[];
}

/**
 * Writes a new dataset version in one transaction: creates its table, fills it (`load`), profiles
 * it, records it and makes it current. Any failure rolls all of it back — the previous version
 * stays current and no table is left behind.
 */
export async function writeVersion(pool: pg.Pool, v: NewVersion): Promise<WrittenVersion> {
  checkColumnNames(v.columns.map((c) => c.name), 'columns');
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Times without a zone are read as UTC, whatever the server's setting.
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    // Serialises writers of one dataset, so version numbers never collide.
    const { rows: found } = await client.query('SELECT id FROM "Dataset" WHERE id = $1 FOR UPDATE', [v.datasetId]);
    if (found.length === 0) throw notFound('dataset', v.datasetId);
    const { rows: last } = await client.query('SELECT coalesce(max(number), 0) AS n FROM "DatasetVersion" WHERE "datasetId" = $1', [v.datasetId]);
    const number = Number(last[0].n) + 1;
    const tableName = versionTableName(v.datasetId, number);
    const table = qualifiedTable(tableName);
    await client.query(`CREATE TABLE ${table} (${v.columns.map((c) => `${quoteIdent(c.name)} ${SQL_TYPE[c.type]}`).join(', ')})`);
    const rowCount = await v.load(client, table);
    const columns = await profileColumns(client, tableName, v.columns);
    const id = randomUUID();
    await client.query(
      `INSERT INTO "DatasetVersion" (id, "datasetId", number, "tableName", "rowCount", "sourceKind", source, steps, "parentId", "createdById")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [id, v.datasetId, number, tableName, rowCount, v.sourceKind, JSON.stringify(v.source ?? {}), JSON.stringify(v.steps ?? []),
        v.parentId ?? null, v.actor?.kind === 'user' ? v.actor.id : null],
    );
    await client.query(
      `INSERT INTO "DatasetColumn" (id, "versionId", position, name, type, "nullCount", "distinctCount", min, max, mean, stddev, histogram)
       SELECT gen_random_uuid(), $1, c.position, c.name, c.type::"ColumnType", c."nullCount", c."distinctCount", c.min, c.max, c.mean, c.stddev, c.histogram
       FROM jsonb_to_recordset($2::jsonb) AS c(position int, name text, type text, "nullCount" bigint, "distinctCount" bigint,
         min jsonb, max jsonb, mean float8, stddev float8, histogram jsonb)`,
      [id, JSON.stringify(columns)],
    );
    await client.query('UPDATE "Dataset" SET "currentVersionId" = $1, "sourceKind" = $2, "updatedAt" = now() WHERE id = $3', [id, v.sourceKind, v.datasetId]);
    await client.query(
      `INSERT INTO "AuditLog" ("actorId", "actorKind", action, "entityType", "entityId", details) VALUES ($1, $2, 'dataset.version', 'Dataset', $3, $4)`,
      [v.actor?.kind === 'user' ? v.actor.id : null, v.actor ? `${v.actor.kind}:${v.actor.name}` : 'system', v.datasetId,
        JSON.stringify({ number, rows: rowCount, sourceKind: v.sourceKind })],
    );
    await client.query('COMMIT');
    // Statistics for the planner; outside the transaction so the answer does not wait on it twice.
    await client.query(`ANALYZE ${table}`).catch(() => {});
    return { id, datasetId: v.datasetId, number, tableName, rowCount, columns };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Formats one value for COPY's CSV format (NULL is an unquoted empty field). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return text === '' || /[",\n\r\\]/.test(text) || text.trim() !== text ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Streams rows into `table` with COPY; returns the number of rows written. */
export async function copyRows(client: pg.PoolClient, table: string, columns: ColumnSpec[], rows: AsyncIterable<unknown[]> | Iterable<unknown[]>): Promise<number> {
  const copy = client.query(copyFrom(`COPY ${table} (${columns.map((c) => quoteIdent(c.name)).join(', ')}) FROM STDIN WITH (FORMAT csv)`));
  async function* lines() {
    let batch = '';
    for await (const row of rows) {
      batch += `${row.map(csvField).join(',')}\n`;
      if (batch.length > 65536) {
        yield batch;
        batch = '';
      }
    }
    if (batch) yield batch;
  }
  await pipeline(Readable.from(lines()), copy);
  return Number(copy.rowCount);
}

/** Writes a version from rows in memory (demo data, small sources) through the same COPY path. */
export function createVersionFromRows(
  pool: pg.Pool,
  actor: Identity | null,
  datasetId: string,
  { columns, rows, sourceKind, source }: { columns: ColumnSpec[]; rows: unknown[][]; sourceKind: SourceKind; source?: Record<string, unknown> },
): Promise<WrittenVersion> {
  return writeVersion(pool, { datasetId, actor, sourceKind, source, columns, load: (client, table) => copyRows(client, table, columns, rows) });
}

/** Drops the tables of the given versions (inside the caller's transaction). */
export async function dropVersionTables(client: { $executeRawUnsafe(sql: string): Promise<unknown> }, tableNames: string[]): Promise<void> {
  for (const name of tableNames) await client.$executeRawUnsafe(`DROP TABLE IF EXISTS ${qualifiedTable(name)}`);
}
