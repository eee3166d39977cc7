// Import from a PostgreSQL source: the query runs read-only (a READ ONLY transaction with a
// statement timeout) on the source, and its rows stream across COPY TO → COPY FROM, never held.
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Identity } from '../../../lib/auth/identity.js';
import { redactUrl } from '../../../lib/config.js';
import { badInput } from '../../../lib/errors.js';
import {
  quoteIdent,
  writeVersion,
  type ColumnSpec,
  type ColumnType,
  type ProfilePolicy,
  type WrittenVersion,
} from '../../../lib/datasets/tables.js';
import type { PrismaClient } from '../../../lib/prisma.js';
import { requireWritableDataset } from './csv.js';

/** Source column types by type OID; anything else arrives as its text form. */
const TYPES: Record<number, ColumnType> = {
  20: 'INTEGER',
  21: 'INTEGER',
  23: 'INTEGER',
  26: 'INTEGER',
  700: 'FLOAT',
  701: 'FLOAT',
  1700: 'FLOAT',
  16: 'BOOLEAN',
  1082: 'DATE',
  1114: 'TIMESTAMP',
  1184: 'TIMESTAMP',
};

const SOURCE_ERRORS = /^(22|23|25|28|3D|3F|42|53|54|57|08)/;

function sourceError(err: unknown, what: string): unknown {
  const e = err as { code?: string; message?: string };
  if (e.code === '57014') return badInput(`sql: the source query ran past the time limit and was stopped`, { field: 'sql' });
  if (e.code === '25006') return badInput('sql: the source query tried to write; imports are read-only', { field: 'sql' });
  if ((e.code && SOURCE_ERRORS.test(e.code)) || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|timeout|password|SSL/i.test(e.message ?? '')) {
    return badInput(`${what}: ${e.message}`, { field: what === 'connectionUrl' ? 'connectionUrl' : 'sql' });
  }
  return err;
}

export async function importFromPostgres(
  deps: { prisma: PrismaClient; pool: pg.Pool },
  actor: Identity | null,
  datasetId: string,
  connectionUrl: string,
  rawSql: string,
  { timeoutMs, ...policy }: { timeoutMs: number } & ProfilePolicy,
): Promise<WrittenVersion> {
  const { who } = await requireWritableDataset(deps.prisma, actor, datasetId);
  let url: URL;
  try {
    url = new URL(connectionUrl);
  } catch {
    throw badInput('connectionUrl: not a URL', { field: 'connectionUrl' });
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw badInput('connectionUrl: must start with postgresql://', { field: 'connectionUrl' });
  }
  // One statement: trailing semicolons are dropped, anything after one is a second statement and
  // fails as a syntax error inside the wrapping subquery.
  const sql = rawSql.trim().replace(/;+\s*$/, '');
  if (!sql) throw badInput('sql: empty', { field: 'sql' });

  const source = new pg.Client({ connectionString: connectionUrl, connectionTimeoutMillis: Math.min(timeoutMs, 10_000) });
  source.on('error', () => {});
  try {
    await source.connect();
  } catch (err) {
    throw sourceError(err, 'connectionUrl');
  }
  try {
    await source.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}`);
    let columns: ColumnSpec[];
    try {
      const described = await source.query(`SELECT * FROM (${sql}) AS source LIMIT 0`);
      columns = described.fields.map((f) => ({ name: f.name, type: TYPES[f.dataTypeID] ?? 'TEXT' }));
    } catch (err) {
      throw sourceError(err, 'sql');
    }
    return await writeVersion(deps.pool, {
      datasetId,
      actor: who,
      sourceKind: 'POSTGRES',
      source: { connection: redactUrl(connectionUrl).replace(/\/\/[^@/]*@/, '//'), sql },
      columns,
      ...policy,
      load: async (client, table) => {
        const names = columns.map((c) => quoteIdent(c.name)).join(', ');
        const reading = source.query(copyTo(`COPY (SELECT * FROM (${sql}) AS source) TO STDOUT WITH (FORMAT csv)`));
        const writing = client.query(copyFrom(`COPY ${table} (${names}) FROM STDIN WITH (FORMAT csv)`));
        try {
          await pipeline(reading, writing);
        } catch (err) {
          throw sourceError(err, 'sql');
        }
        return Number(writing.rowCount);
      },
    });
  } finally {
    await source.query('ROLLBACK').catch(() => {});
    await source.end().catch(() => {});
  }
}
