// Dataset rows live in real tables, one per immutable version, in the `data` schema. Identifiers
// are always quoted here and values always bound: nothing from a user is ever spliced into SQL.
import { randomUUID } from 'node:crypto';
import type { Identity } from '../auth/identity.js';
import { audit } from '../audit.js';
import { badInput } from '../errors.js';
import type { Prisma, PrismaClient } from '../prisma.js';

export const DATA_SCHEMA = 'data';

export type ColumnType = 'INTEGER' | 'FLOAT' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP' | 'TEXT';

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

type Tx = Prisma.TransactionClient;

/** Computes each column's profile in one SQL pass over the version's table. */
export async function profileColumns(tx: Tx, tableName: string, columns: ColumnSpec[]) {
  if (columns.length === 0) return [];
  const parts = columns.map((c, i) => {
    const col = quoteIdent(c.name);
    const numeric = c.type === 'INTEGER' || c.type === 'FLOAT';
    const ordered = c.type !== 'BOOLEAN';
    return [
      `count(*) - count(${col}) AS n${i}`,
      `count(DISTINCT ${col}) AS d${i}`,
      ordered ? `min(${col})::text AS lo${i}` : `NULL::text AS lo${i}`,
      ordered ? `max(${col})::text AS hi${i}` : `NULL::text AS hi${i}`,
      numeric ? `avg(${col})::float8 AS m${i}` : `NULL::float8 AS m${i}`,
      numeric ? `stddev_samp(${col})::float8 AS s${i}` : `NULL::float8 AS s${i}`,
    ].join(', ');
  });
  const [row] = await tx.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT ${parts.join(', ')} FROM ${qualifiedTable(tableName)}`);
  return columns.map((c, i) => ({
    name: c.name,
    type: c.type,
    position: i,
    nullCount: BigInt(row![`n${i}`] as bigint),
    distinctCount: BigInt(row![`d${i}`] as bigint),
    min: typedBound(c.type, row![`lo${i}`] as string | null),
    max: typedBound(c.type, row![`hi${i}`] as string | null),
    mean: (row![`m${i}`] as number | null) ?? null,
    stddev: (row![`s${i}`] as number | null) ?? null,
  }));
}

function typedBound(type: ColumnType, text: string | null): Prisma.InputJsonValue | undefined {
  if (text === null) return undefined;
  if (type === 'INTEGER' || type === 'FLOAT') return Number(text);
  if (type === 'TIMESTAMP') return new Date(text).toISOString();
  return text;
}

/**
 * Writes a new version from rows already in memory (demo data, small inline sources): creates the
 * table, inserts the rows, profiles it and moves `currentVersion`, all in one transaction — a
 * failure leaves the previous version current and no table behind.
 */
export async function createVersionFromRows(
  prisma: PrismaClient,
  actor: Identity | null,
  datasetId: string,
  {
    columns,
    rows,
    sourceKind,
    source = {},
  }: { columns: ColumnSpec[]; rows: unknown[][]; sourceKind: 'CSV' | 'POSTGRES' | 'REST'; source?: Prisma.InputJsonValue },
) {
  return prisma.$transaction(async (tx) => {
    // Serialises concurrent writers of one dataset so version numbers never collide.
    await tx.$queryRaw`SELECT id FROM "Dataset" WHERE id = ${datasetId}::uuid FOR UPDATE`;
    const last = await tx.datasetVersion.findFirst({ where: { datasetId }, orderBy: { number: 'desc' } });
    const number = (last?.number ?? 0) + 1;
    const tableName = versionTableName(datasetId, number);
    const table = qualifiedTable(tableName);
    await tx.$executeRawUnsafe(
      `CREATE TABLE ${table} (${columns.map((c) => `${quoteIdent(c.name)} ${SQL_TYPE[c.type]}`).join(', ')})`,
    );
    const BATCH = Math.max(1, Math.floor(30000 / Math.max(columns.length, 1)));
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const values = batch
        .map((_, r) => `(${columns.map((c, k) => `$${r * columns.length + k + 1}::${SQL_TYPE[c.type]}`).join(', ')})`)
        .join(', ');
      await tx.$executeRawUnsafe(`INSERT INTO ${table} VALUES ${values}`, ...batch.flat());
    }
    const profiles = await profileColumns(tx, tableName, columns);
    const version = await tx.datasetVersion.create({
      data: {
        id: randomUUID(),
        datasetId,
        number,
        tableName,
        rowCount: BigInt(rows.length),
        sourceKind,
        source,
        createdById: actor?.kind === 'user' ? actor.id : null,
        columns: { create: profiles },
      },
    });
    await tx.dataset.update({ where: { id: datasetId }, data: { currentVersionId: version.id, sourceKind } });
    await audit(tx, actor, 'dataset.version', { type: 'Dataset', id: datasetId }, { number, rows: rows.length });
    return version;
  });
}

/** Drops the tables of the given versions (inside the caller's transaction). */
export async function dropVersionTables(tx: Tx, tableNames: string[]): Promise<void> {
  for (const name of tableNames) await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS ${qualifiedTable(name)}`);
}
