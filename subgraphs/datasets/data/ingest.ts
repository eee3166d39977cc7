// Entry points of ingestion shared by GraphQL and HTTP: they return the new version's row.
import { Readable } from 'node:stream';
import type pg from 'pg';
import type { Identity } from '../../../lib/auth/identity.js';
import type { Config } from '../../../lib/config.js';
import type { ProfilePolicy } from '../../../lib/datasets/tables.js';
import type { Logger } from '../../../lib/logger.js';
import type { PrismaClient } from '../../../lib/prisma.js';
import { cleanDataset, type CleaningStepInput } from '../ingest/clean.js';
import { ingestCsv, type CsvIngestResult } from '../ingest/csv.js';
import { importFromPostgres } from '../ingest/postgres.js';
import { importFromRest } from '../ingest/rest.js';
import type { CsvOptions } from '../ingest/csvFormat.js';
import type { Progress } from '../ingest/lineGuard.js';

export interface IngestDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
  /** Versions are written on this pool's connections (Runtime.ingestPool). */
  ingestPool: pg.Pool;
  config: Config;
  logger: Logger;
}

/** Large versions are profiled just after they become current; a failure there is logged. */
export function profilePolicy({ config, logger }: Pick<IngestDeps, 'config' | 'logger'>): ProfilePolicy {
  return {
    profileInlineMaxRows: config.datasets.profileInlineMaxRows,
    onProfileError: (err) => logger.error({ err }, 'profiling a dataset version failed; it will be retried at the next start'),
  };
}

export function ingestCsvBody(
  deps: IngestDeps,
  actor: Identity | null,
  datasetId: string,
  body: Readable,
  options: CsvOptions & { fileName?: string },
  onProgress?: (p: Progress) => void,
): Promise<CsvIngestResult> {
  const { ingestMaxBytes: maxBytes, ingestMaxLineBytes: maxLineBytes } = deps.config.datasets;
  return ingestCsv(deps, actor, datasetId, body, options, { maxBytes, maxLineBytes, onProgress, ...profilePolicy(deps) });
}

/** `ingestCsv(datasetId, csv, options)`: the same path as a file upload, for inline text. */
export async function ingestCsvText(
  deps: IngestDeps,
  actor: Identity | null,
  datasetId: string,
  csv: string,
  options: CsvOptions | null | undefined,
) {
  const written = await ingestCsvBody(deps, actor, datasetId, Readable.from([Buffer.from(csv)]), options ?? {});
  return versionRow(deps, written.id);
}

async function versionRow(deps: IngestDeps, id: string) {
  return deps.prisma.datasetVersion.findUniqueOrThrow({ where: { id } });
}

export async function importPostgres(deps: IngestDeps, actor: Identity | null, datasetId: string, connectionUrl: string, sql: string) {
  const written = await importFromPostgres(deps, actor, datasetId, connectionUrl, sql, {
    timeoutMs: deps.config.datasets.importTimeoutMs,
    ...profilePolicy(deps),
  });
  return versionRow(deps, written.id);
}

export async function importRest(
  deps: IngestDeps,
  actor: Identity | null,
  datasetId: string,
  url: string,
  recordsPath: string | null | undefined,
) {
  const { importAllowPrivateNetworks: allowPrivate, importTimeoutMs: timeoutMs, importMaxBytes: maxBytes } = deps.config.datasets;
  const written = await importFromRest(deps, actor, datasetId, url, recordsPath, {
    allowPrivate,
    timeoutMs,
    maxBytes,
    ...profilePolicy(deps),
  });
  return versionRow(deps, written.id);
}

export async function clean(deps: IngestDeps, actor: Identity | null, datasetId: string, steps: CleaningStepInput[]) {
  const written = await cleanDataset(deps, actor, datasetId, steps, profilePolicy(deps));
  return versionRow(deps, written.id);
}
