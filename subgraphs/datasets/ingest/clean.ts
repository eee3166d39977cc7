// Cleaning: each step is a SQL transformation of the previous one's rows (a chain of CTEs over
// the current version's table), run in PostgreSQL into a new version that records its steps.
import type pg from 'pg';
import type { Identity } from '../../../lib/auth/identity.js';
import { badInput } from '../../../lib/errors.js';
import { resolveVersion } from '../../../lib/datasets/catalog.js';
import { bindValue } from '../../../lib/datasets/query.js';
import {
  isNumeric,
  qualifiedTable,
  quoteIdent,
  SQL_TYPE,
  writeVersion,
  type ColumnSpec,
  type ColumnType,
  type ProfilePolicy,
  type WrittenVersion,
} from '../../../lib/datasets/tables.js';
import type { PrismaClient } from '../../../lib/prisma.js';
import { fromCopyError } from './copyErrors.js';
import { requireWritableDataset } from './csv.js';

export type CleaningStep =
  | { op: 'DEDUPE'; columns?: string[] | null }
  | { op: 'FILL_MISSING'; columns: string[]; strategy: 'MEAN' | 'MEDIAN' | 'MODE' | 'CONSTANT' | 'DROP'; value?: unknown }
  | { op: 'TRIM'; columns?: string[] | null }
  | { op: 'CAST'; columns: string[]; type: ColumnType };

export interface CleaningStepInput {
  op: CleaningStep['op'];
  columns?: string[] | null;
  strategy?: 'MEAN' | 'MEDIAN' | 'MODE' | 'CONSTANT' | 'DROP' | null;
  value?: unknown;
  type?: ColumnType | null;
}

/** Compiles the steps into one statement selecting the cleaned rows, and the resulting columns. */
export function compileCleaning(tableName: string, input: ColumnSpec[], steps: CleaningStepInput[]) {
  if (steps.length === 0) throw badInput('steps: give at least one step', { field: 'steps' });
  const params: unknown[] = [];
  const bind = (v: unknown) => `$${params.push(v)}`;
  let columns = input.map((c) => ({ ...c }));
  // Each row's place in the table travels through every step: DEDUPE keeps the first row of each
  // group, and the new version keeps the old one's order. A version's table is written once, so
  // its physical order is its load order.
  let row = '__row';
  while (input.some((c) => c.name === row)) row = `_${row}`;
  const ROW = quoteIdent(row);
  const ctes: string[] = [`s0 AS (SELECT *, ctid AS ${ROW} FROM ${qualifiedTable(tableName)})`];
  const recorded: CleaningStep[] = [];
  steps.forEach((step, i) => {
    const field = `steps.${i}`;
    const prev = `s${i}`;
    const named = (names: string[] | null | undefined, required: boolean) => {
      if (required && !names?.length) throw badInput(`${field}.columns: name at least one column`, { field: `${field}.columns` });
      return (names ?? []).map((n, k) => {
        const c = columns.find((col) => col.name === n);
        if (!c) throw badInput(`${field}.columns.${k}: unknown column "${n}"`, { field: `${field}.columns.${k}` });
        return c;
      });
    };
    /** Every column as it was, but `targets` rewritten by `expr`. */
    const rewrite = (targets: Set<string>, expr: (c: ColumnSpec) => string) =>
      `SELECT ${columns.map((c) => `${targets.has(c.name) ? expr(c) : quoteIdent(c.name)} AS ${quoteIdent(c.name)}`).join(', ')}, ${ROW} FROM ${prev}`;
    let body: string;
    switch (step.op) {
      case 'DEDUPE': {
        const keys = named(step.columns, false);
        const on = (keys.length ? keys : columns).map((c) => quoteIdent(c.name)).join(', ');
        body = `SELECT DISTINCT ON (${on}) * FROM ${prev} ORDER BY ${on}, ${ROW}`;
        recorded.push({ op: 'DEDUPE', columns: keys.map((c) => c.name) });
        break;
      }
      case 'TRIM': {
        const chosen = named(step.columns, false);
        const targets = new Set((chosen.length ? chosen : columns.filter((c) => c.type === 'TEXT')).map((c) => c.name));
        for (const c of chosen) {
          if (c.type !== 'TEXT')
            throw badInput(`${field}.columns: TRIM works on TEXT; "${c.name}" is ${c.type}`, { field: `${field}.columns` });
        }
        body = rewrite(targets, (c) => `btrim(${quoteIdent(c.name)})`);
        recorded.push({ op: 'TRIM', columns: [...targets] });
        break;
      }
      case 'FILL_MISSING': {
        const chosen = named(step.columns, true);
        const strategy = step.strategy;
        if (!strategy) throw badInput(`${field}.strategy: FILL_MISSING needs a strategy`, { field: `${field}.strategy` });
        const targets = new Set(chosen.map((c) => c.name));
        if (strategy === 'DROP') {
          body = `SELECT * FROM ${prev} WHERE ${chosen.map((c) => `${quoteIdent(c.name)} IS NOT NULL`).join(' AND ')}`;
        } else {
          const fill = (c: ColumnSpec) => {
            const col = quoteIdent(c.name);
            const cast = SQL_TYPE[c.type];
            if ((strategy === 'MEAN' || strategy === 'MEDIAN') && !isNumeric(c.type)) {
              throw badInput(`${field}.strategy: ${strategy} needs numeric columns; "${c.name}" is ${c.type}`, {
                field: `${field}.strategy`,
              });
            }
            const stat =
              strategy === 'MEAN'
                ? `avg(${col})`
                : strategy === 'MEDIAN'
                  ? `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${col})`
                  : strategy === 'MODE'
                    ? `mode() WITHIN GROUP (ORDER BY ${col})`
                    : `${bind(bindValue(step.value, c.type, `${field}.value`))}::${cast}`;
            // An integer column stays integer: its mean or median is rounded.
            const value =
              strategy === 'CONSTANT'
                ? stat
                : `(SELECT ${c.type === 'INTEGER' && strategy !== 'MODE' ? `round(${stat})` : stat} FROM ${prev})::${cast}`;
            return `coalesce(${col}, ${value})`;
          };
          body = rewrite(targets, fill);
        }
        recorded.push({ op: 'FILL_MISSING', columns: [...targets], strategy, ...(strategy === 'CONSTANT' ? { value: step.value } : {}) });
        break;
      }
      case 'CAST': {
        const chosen = named(step.columns, true);
        const type = step.type;
        if (!type) throw badInput(`${field}.type: CAST needs a type`, { field: `${field}.type` });
        const targets = new Set(chosen.map((c) => c.name));
        // Through text, so any type reaches any other; a value that does not fit fails with its column.
        body = rewrite(targets, (c) => `btrim(${quoteIdent(c.name)}::text)::${SQL_TYPE[type]}`);
        columns = columns.map((c) => (targets.has(c.name) ? { ...c, type } : c));
        recorded.push({ op: 'CAST', columns: [...targets], type });
        break;
      }
      default:
        throw badInput(`${field}.op: unknown step`, { field: `${field}.op` });
    }
    ctes.push(`s${i + 1} AS (${body})`);
  });
  const names = columns.map((c) => quoteIdent(c.name)).join(', ');
  return { sql: `WITH ${ctes.join(', ')} SELECT ${names} FROM s${steps.length} ORDER BY ${ROW}`, params, columns, steps: recorded };
}

export async function cleanDataset(
  deps: { prisma: PrismaClient; ingestPool: pg.Pool },
  actor: Identity | null,
  datasetId: string,
  steps: CleaningStepInput[],
  policy: ProfilePolicy,
): Promise<WrittenVersion> {
  const { who } = await requireWritableDataset(deps.prisma, actor, datasetId);
  const { version, columns } = await resolveVersion(deps.prisma, datasetId, null, { datasetId: 'datasetId', version: 'datasetId' });
  const compiled = compileCleaning(version.tableName, columns, steps);
  return writeVersion(deps.ingestPool, {
    datasetId,
    actor: who,
    sourceKind: version.sourceKind,
    source: version.source as Record<string, unknown>,
    steps: compiled.steps,
    parentId: version.id,
    columns: compiled.columns,
    ...policy,
    load: async (client, table) => {
      try {
        const r = await client.query(`INSERT INTO ${table} ${compiled.sql}`, compiled.params);
        return r.rowCount ?? 0;
      } catch (err) {
        const cleaned = fromCopyError(err);
        if (cleaned === err) throw err;
        throw badInput(`steps: ${(err as Error).message}`, { field: 'steps' });
      }
    },
  });
}
