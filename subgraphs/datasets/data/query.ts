import { requireRole, type Identity } from '../../../lib/auth/identity.js';
import type { Config } from '../../../lib/config.js';
import { resolveVersion } from '../../../lib/datasets/catalog.js';
import { compileQuery, runQuery, type DatasetQuery } from '../../../lib/datasets/query.js';
import type pg from 'pg';
import type { PrismaClient } from '../../../lib/prisma.js';

/** `datasetQuery`: compiles the request against the version's columns and runs it in PostgreSQL. */
export async function datasetQuery(
  deps: { prisma: PrismaClient; queryPool: pg.Pool; config: Config },
  actor: Identity | null,
  input: DatasetQuery & { datasetId: string; version?: number | null },
) {
  requireRole(actor, 'VIEWER');
  const { version, columns } = await resolveVersion(deps.prisma, input.datasetId, input.version);
  const { queryMaxRows: maxRows, queryTimeoutMs: timeoutMs } = deps.config.datasets;
  const compiled = compileQuery(version.tableName, columns, input, { maxRows });
  const result = await runQuery(deps.queryPool, compiled, { maxRows, timeoutMs });
  return { ...result, version };
}

export type DatasetQueryResult = Awaited<ReturnType<typeof datasetQuery>>;
