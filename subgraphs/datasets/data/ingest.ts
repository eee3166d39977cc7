// Entry points of ingestion shared by GraphQL and HTTP: they return the new version's row.
import { Readable } from 'node:stream';
import type pg from 'pg';
import type { Identity } from '../../../lib/auth/identity.js';
import type { Config } from '../../../lib/config.js';
import type { ProfilePolicy } from '../../../lib/datasets/tables.js';
import type { Logger } from '../../../lib/logger.js';
import type { PrismaClient } from '../../../lib/prisma.js';
import { ingestCsv, type CsvIngestResult } from '../ingest/csv.js';
import type { CsvOptions } from '../ingest/csvFormat.js';
import type { Progress } from '../ingest/lineGuard.js';

export interface IngestDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
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
export async function ingestCsvText(deps: IngestDeps, actor: Identity | null, datasetId: string, csv: string, options: CsvOptions | null | undefined) {
  const written = await ingestCsvBody(deps, actor, datasetId, Readable.from([Buffer.from(csv)]), options ?? {});
  return deps.prisma.datasetVersion.findUniqueOrThrow({ where: { id: written.id } });
}
