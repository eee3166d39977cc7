// Dataset rows live in real tables, one per immutable version, in the `data` schema. Identifiers
// are always quoted here and values always bound: nothing from a user is ever spliced into SQL.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Identity } from '../auth/identity.js';
import { badInput, notFound } from '../errors.js';
import type { ColumnType, SourceKind } from '../prisma.js';

export const DATA_SCHEMA = 'data';
/** PostgreSQL NOTIFY channel: the id of a dataset whose current version moved. */
export const DATASET_VERSIONS_CHANNEL = 'dataset_versions';

export type { ColumnType, SourceKind };

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

/** Names PostgreSQL gives every table's system columns: no column of a version may take one. */
const SYSTEM_COLUMNS = new Set(['tableoid', 'xmin', 'cmin', 'xmax', 'cmax', 'ctid']);

/** Checks column names before any DDL: present, unique, short enough to stay distinct, none a system column's. */
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
    if (SYSTEM_COLUMNS.has(name)) {
      throw badInput(`${where}: column ${column} is named "${name}", a name PostgreSQL keeps for a system column: rename it`, { column });
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
  nullCount: number | null;
  distinctCount: number | null;
  min: unknown;
  max: unknown;
  mean: number | null;
  stddev: number | null;
  histogram: HistogramBin[];
  /** Distinct count and histogram estimated from a sample; the other figures are exact. */
  estimated: boolean;
}

const HISTOGRAM_BINS = 20;
const TOP_VALUES = 10;
/** Up to this many rows, distinct counts and histograms are exact; above, estimated from a sample. */
export const EXACT_PROFILE_MAX_ROWS = 100_000;

export const isNumeric = (t: ColumnType) => t === 'INTEGER' || t === 'FLOAT';
export const isTemporal = (t: ColumnType) => t === 'DATE' || t === 'TIMESTAMP';

/** A column as a number for binning (times by their epoch seconds). */
const asNumber = (c: ColumnSpec) =>
  isTemporal(c.type) ? `extract(epoch FROM ${quoteIdent(c.name)})::float8` : `${quoteIdent(c.name)}::float8`;

/**
 * Profiles every column in SQL: counts, min, max, mean and standard deviation exactly in one scan;
 * distinct counts and histograms exactly up to EXACT_PROFILE_MAX_ROWS rows, and above that from
 * PostgreSQL's own statistics (ANALYZE) and a sample of the table.
 */
export async function profileColumns(
  client: pg.ClientBase,
  tableName: string,
  columns: ColumnSpec[],
  rowCount: number,
): Promise<ColumnProfile[]> {
  const table = qualifiedTable(tableName);
  const exact = rowCount <= EXACT_PROFILE_MAX_ROWS;
  const parts = columns.map((c, i) => {
    const col = quoteIdent(c.name);
    const ordered = c.type !== 'BOOLEAN';
    const binned = isNumeric(c.type) || isTemporal(c.type);
    return [
      `count(${col}) AS n${i}`,
      exact ? `count(DISTINCT ${col}) AS d${i}` : `NULL AS d${i}`,
      ordered ? `min(${col})::text AS lo${i}` : `NULL AS lo${i}`,
      ordered ? `max(${col})::text AS hi${i}` : `NULL AS hi${i}`,
      binned ? `min(${asNumber(c)}) AS nlo${i}` : `NULL AS nlo${i}`,
      binned ? `max(${asNumber(c)}) AS nhi${i}` : `NULL AS nhi${i}`,
      isNumeric(c.type) ? `avg(${col})::float8 AS m${i}` : `NULL AS m${i}`,
      isNumeric(c.type) ? `stddev_samp(${col})::float8 AS s${i}` : `NULL AS s${i}`,
    ].join(', ');
  });
  const { rows } = await client.query(`SELECT count(*) AS total, ${parts.join(', ')} FROM ${table}`);
  const row = rows[0] as Record<string, string | number | null>;
  const total = Number(row.total);
  const distinct = exact ? null : await estimatedDistinct(client, tableName, total);
  const bins = await histograms(client, table, columns, row, total, exact);
  return columns.map((c, i) => ({
    ...c,
    position: i,
    nullCount: total - Number(row[`n${i}`]),
    distinctCount: exact ? Number(row[`d${i}`]) : Math.min(distinct!.get(c.name) ?? 0, Number(row[`n${i}`])),
    min: typedBound(c.type, row[`lo${i}`] as string | null),
    max: typedBound(c.type, row[`hi${i}`] as string | null),
    mean: row[`m${i}`] as number | null,
    stddev: row[`s${i}`] as number | null,
    histogram: bins[i]!,
    estimated: !exact,
  }));
}

/** PostgreSQL's n_distinct from ANALYZE (negative values are fractions of the row count). */
async function estimatedDistinct(client: pg.ClientBase, tableName: string, total: number): Promise<Map<string, number>> {
  await client.query(`ANALYZE ${qualifiedTable(tableName)}`);
  const { rows } = await client.query('SELECT attname, n_distinct FROM pg_stats WHERE schemaname = $1 AND tablename = $2', [
    DATA_SCHEMA,
    tableName,
  ]);
  return new Map(rows.map((r) => [r.attname as string, Math.round(r.n_distinct < 0 ? -r.n_distinct * total : r.n_distinct)]));
}

/**
 * Every column's histogram from one scan (of the table, or of a sample of it, scaled up):
 * equal-width bins between min and max for numbers and times, the most frequent values otherwise.
 */
async function histograms(
  client: pg.ClientBase,
  table: string,
  columns: ColumnSpec[],
  stats: Record<string, string | number | null>,
  total: number,
  exact: boolean,
): Promise<HistogramBin[][]> {
  const result: HistogramBin[][] = columns.map(() => []);
  const params: unknown[] = [];
  const bind = (v: unknown) => `$${params.push(v)}`;
  const binning = columns.map((c, i) => {
    const lo = stats[`nlo${i}`];
    const hi = stats[`nhi${i}`];
    if (c.type === 'TEXT' || c.type === 'BOOLEAN') return { kind: 'top' as const };
    if (lo === null || hi === null) return null;
    const min = Number(lo);
    const max = Number(hi);
    const count = min === max ? 1 : HISTOGRAM_BINS;
    return { kind: 'bins' as const, min, max, count, width: (max - min) / count || 1 };
  });
  const values = columns.flatMap((c, i) => {
    const b = binning[i];
    if (!b) return [];
    const key =
      b.kind === 'top'
        ? `${quoteIdent(c.name)}::text`
        : // least() ignores NULLs: keep a missing value out of the last bin explicitly.
          `CASE WHEN ${quoteIdent(c.name)} IS NOT NULL THEN least(floor((${asNumber(c)} - ${bind(b.min)}::float8) / ${bind(b.width)}::float8)::int, ${b.count - 1})::text END`;
    return [`(${i}, ${key})`];
  });
  if (values.length === 0) return result;
  // SYSTEM sampling reads whole pages: cheap, and random enough for a picture of the distribution.
  const sample = exact ? '' : ` TABLESAMPLE SYSTEM (${Math.min(100, (100 * EXACT_PROFILE_MAX_ROWS) / total).toFixed(4)}) REPEATABLE (1)`;
  const { rows } = await client.query(
    `WITH counted AS (
       SELECT v.c, v.k, count(*)::float8 AS n FROM ${table} AS t${sample}, LATERAL (VALUES ${values.join(', ')}) AS v(c, k)
       WHERE v.k IS NOT NULL GROUP BY 1, 2),
     sampled AS (SELECT count(*)::float8 AS rows FROM ${table} AS s${sample})
     SELECT c, k, n / greatest((SELECT rows FROM sampled), 1) AS share, row_number() OVER (PARTITION BY c ORDER BY n DESC, k) AS rank
     FROM counted`,
    params,
  );
  const scale = (share: number) => Math.round(share * total);
  for (const [i, c] of columns.entries()) {
    const b = binning[i];
    if (!b) continue;
    const mine = rows.filter((r) => r.c === i);
    if (b.kind === 'top') {
      result[i] = mine
        .filter((r) => Number(r.rank) <= TOP_VALUES)
        .map((r) => ({ label: r.k, lower: r.k, upper: r.k, count: scale(r.share) }));
      continue;
    }
    const counts = new Map(mine.map((r) => [Number(r.k), scale(r.share)]));
    const show = (v: number) =>
      c.type === 'DATE' ? new Date(v * 1000).toISOString().slice(0, 10) : c.type === 'TIMESTAMP' ? new Date(v * 1000).toISOString() : v;
    result[i] = Array.from({ length: b.count }, (_, k) => {
      const lower = show(b.min + k * b.width);
      const upper = show(k === b.count - 1 ? b.max : b.min + (k + 1) * b.width);
      return { label: `${lower} – ${upper}`, lower, upper, count: counts.get(k) ?? 0 };
    });
  }
  return result;
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
  /**
   * Versions with more rows than this become current as soon as their rows are in, and are
   * profiled right after, off the request (`profiledAt` is null until then).
   * @default Infinity (profiled before the version becomes current)
   */
  profileInlineMaxRows?: number;
  /** Where a deferred profile's failure is reported. */
  onProfileError?: (err: unknown) => void;
}

/** How a writer wants its version profiled (see `NewVersion.profileInlineMaxRows`). */
export type ProfilePolicy = Pick<NewVersion, 'profileInlineMaxRows' | 'onProfileError'>;

export interface WrittenVersion {
  id: string;
  datasetId: string;
  number: number;
  tableName: string;
  rowCount: number;
  columns: ColumnProfile[];
  /** False while a large version's profile is still being computed. */
  profiled: boolean;
}

const unprofiled = (columns: ColumnSpec[]): ColumnProfile[] =>
  columns.map((c, position) => ({
    ...c,
    position,
    nullCount: null,
    distinctCount: null,
    min: null,
    max: null,
    mean: null,
    stddev: null,
    histogram: [],
    estimated: false,
  }));

const PROFILE_RECORD = `jsonb_to_recordset($2::jsonb) AS p(position int, name text, type text, "nullCount" bigint, "distinctCount" bigint,
  min jsonb, max jsonb, mean float8, stddev float8, histogram jsonb, estimated boolean)`;

/**
 * Writes a new dataset version in one transaction: creates its table, fills it (`load`), profiles
 * it, records it and makes it current. Any failure rolls all of it back — the previous version
 * stays current and no table is left behind.
 */
export async function writeVersion(pool: pg.Pool, v: NewVersion): Promise<WrittenVersion> {
  checkColumnNames(
    v.columns.map((c) => c.name),
    'columns',
  );
  const client = await pool.connect();
  let written: WrittenVersion;
  try {
    await client.query('BEGIN');
    // Times without a zone are read as UTC, whatever the server's setting.
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    // Serialises writers of one dataset, so version numbers never collide.
    const { rows: found } = await client.query('SELECT id FROM "Dataset" WHERE id = $1 FOR UPDATE', [v.datasetId]);
    if (found.length === 0) throw notFound('dataset', v.datasetId);
    const { rows: last } = await client.query('SELECT coalesce(max(number), 0) AS n FROM "DatasetVersion" WHERE "datasetId" = $1', [
      v.datasetId,
    ]);
    const number = Number(last[0].n) + 1;
    const tableName = versionTableName(v.datasetId, number);
    const table = qualifiedTable(tableName);
    await client.query(`CREATE TABLE ${table} (${v.columns.map((c) => `${quoteIdent(c.name)} ${SQL_TYPE[c.type]}`).join(', ')})`);
    const rowCount = await v.load(client, table);
    const profiled = rowCount <= (v.profileInlineMaxRows ?? Infinity);
    const columns = profiled ? await profileColumns(client, tableName, v.columns, rowCount) : unprofiled(v.columns);
    const id = randomUUID();
    await client.query(
      `INSERT INTO "DatasetVersion" (id, "datasetId", number, "tableName", "rowCount", "sourceKind", source, steps, "parentId", "createdById", "profiledAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        id,
        v.datasetId,
        number,
        tableName,
        rowCount,
        v.sourceKind,
        JSON.stringify(v.source ?? {}),
        JSON.stringify(v.steps ?? []),
        v.parentId ?? null,
        v.actor?.kind === 'user' ? v.actor.id : null,
        profiled ? new Date() : null,
      ],
    );
    await client.query(
      `INSERT INTO "DatasetColumn" (id, "versionId", position, name, type, "nullCount", "distinctCount", min, max, mean, stddev, histogram, estimated)
       SELECT gen_random_uuid(), $1, p.position, p.name, p.type::"ColumnType", p."nullCount", p."distinctCount", p.min, p.max, p.mean, p.stddev,
         p.histogram, p.estimated
       FROM ${PROFILE_RECORD}`,
      [id, JSON.stringify(columns)],
    );
    await client.query('UPDATE "Dataset" SET "currentVersionId" = $1, "sourceKind" = $2, "updatedAt" = now() WHERE id = $3', [
      id,
      v.sourceKind,
      v.datasetId,
    ]);
    await client.query(
      `INSERT INTO "AuditLog" ("actorId", "actorKind", action, "entityType", "entityId", details) VALUES ($1, $2, 'dataset.version', 'Dataset', $3, $4)`,
      [
        v.actor?.kind === 'user' ? v.actor.id : null,
        v.actor ? `${v.actor.kind}:${v.actor.name}` : 'system',
        v.datasetId,
        JSON.stringify({ number, rows: rowCount, sourceKind: v.sourceKind }),
      ],
    );
    // Delivered on commit only: listeners (the hot-report cache) learn the data changed.
    await client.query('SELECT pg_notify($1, $2)', [DATASET_VERSIONS_CHANNEL, v.datasetId]);
    await client.query('COMMIT');
    written = { id, datasetId: v.datasetId, number, tableName, rowCount, columns, profiled };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
    throw err;
  }
  client.release();
  if (!written.profiled) {
    profileVersion(pool, written.id).catch((err) => v.onProfileError?.(err));
  }
  return written;
}

/**
 * Computes and stores the profile of a version written without one. Safe to call from several
 * processes at once: the version row is locked, and a version being profiled elsewhere is skipped.
 * @returns whether this call profiled it
 */
export async function profileVersion(pool: pg.Pool, versionId: string): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      'SELECT "tableName", "rowCount" FROM "DatasetVersion" WHERE id = $1 AND "profiledAt" IS NULL FOR UPDATE SKIP LOCKED',
      [versionId],
    );
    if (rows.length === 0) {
      await client.query('COMMIT');
      return false;
    }
    const { rows: columns } = await client.query('SELECT name, type FROM "DatasetColumn" WHERE "versionId" = $1 ORDER BY position', [
      versionId,
    ]);
    const profiles = await profileColumns(client, rows[0].tableName, columns as ColumnSpec[], Number(rows[0].rowCount));
    await client.query(
      `UPDATE "DatasetColumn" c SET "nullCount" = p."nullCount", "distinctCount" = p."distinctCount", min = p.min, max = p.max,
         mean = p.mean, stddev = p.stddev, histogram = p.histogram, estimated = p.estimated
       FROM ${PROFILE_RECORD} WHERE c."versionId" = $1 AND c.position = p.position`,
      [versionId, JSON.stringify(profiles)],
    );
    await client.query('UPDATE "DatasetVersion" SET "profiledAt" = now() WHERE id = $1', [versionId]);
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Profiles every version left without one (a process stopped while profiling). */
export async function profilePendingVersions(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query('SELECT id FROM "DatasetVersion" WHERE "profiledAt" IS NULL ORDER BY "createdAt"');
  let done = 0;
  for (const { id } of rows) if (await profileVersion(pool, id)) done++;
  return done;
}

/** Formats one value for COPY's CSV format (NULL is an unquoted empty field). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return text === '' || /[",\n\r\\]/.test(text) || text.trim() !== text ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Streams rows into `table` with COPY; returns the number of rows written. */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: ColumnSpec[],
  rows: AsyncIterable<unknown[]> | Iterable<unknown[]>,
): Promise<number> {
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
  {
    columns,
    rows,
    sourceKind,
    source,
    ...policy
  }: { columns: ColumnSpec[]; rows: unknown[][]; sourceKind: SourceKind; source?: Record<string, unknown> } & ProfilePolicy,
): Promise<WrittenVersion> {
  return writeVersion(pool, {
    datasetId,
    actor,
    sourceKind,
    source,
    columns,
    ...policy,
    load: (client, table) => copyRows(client, table, columns, rows),
  });
}

/** Drops the tables of the given versions (inside the caller's transaction). */
export async function dropVersionTables(client: { $executeRawUnsafe(sql: string): Promise<unknown> }, tableNames: string[]): Promise<void> {
  for (const name of tableNames) await client.$executeRawUnsafe(`DROP TABLE IF EXISTS ${qualifiedTable(name)}`);
}
