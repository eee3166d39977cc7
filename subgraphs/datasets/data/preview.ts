// A version's first rows as stored, for a dataset page. No ORDER BY: a sort would read the whole
// table however small the page, and a version's table is written once, in load order, so a plain
// scan meets its rows in that order and stops after `limit` of them.
import type pg from 'pg';
import type { Config } from '../../../lib/config.js';
import { runQuery } from '../../../lib/datasets/query.js';
import { qualifiedTable, quoteIdent, type ColumnSpec } from '../../../lib/datasets/tables.js';
import { badInput } from '../../../lib/errors.js';
import { MAX_PAGE_SIZE } from '../../../lib/graphql/pagination.js';

export async function previewRows(
  deps: { queryPool: pg.Pool; config: Config },
  version: { tableName: string },
  columns: ColumnSpec[],
  limit: number,
): Promise<unknown[][]> {
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) {
    throw badInput(`limit must be between 0 and ${MAX_PAGE_SIZE}`, { field: 'limit' });
  }
  if (columns.length === 0) return [];
  const sql = `SELECT ${columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${qualifiedTable(version.tableName)} LIMIT $1`;
  const timeoutMs = deps.config.datasets.queryTimeoutMs;
  const result = await runQuery(deps.queryPool, { sql, params: [limit], columns, limit }, { maxRows: MAX_PAGE_SIZE, timeoutMs });
  return result.rows;
}
