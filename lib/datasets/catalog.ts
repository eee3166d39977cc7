// Read-only facts about datasets that other parts need (templates check a template's dataset,
// insights check an analysis's column). The datasets subgraph owns and writes these tables.
import type { PrismaClient } from '../prisma.js';
import type { ColumnType } from './tables.js';
import { badInput, notFound } from '../errors.js';
import { isUuid } from '../validation.js';

export interface DatasetSummary {
  id: string;
  name: string;
  currentVersionId: string | null;
}

export async function findDataset(prisma: PrismaClient, id: string): Promise<DatasetSummary | null> {
  if (!isUuid(id)) return null;
  return prisma.dataset.findUnique({ where: { id }, select: { id: true, name: true, currentVersionId: true } });
}

/** The columns of a dataset's current version, in table order ([] before the first ingestion). */
export async function currentColumns(prisma: PrismaClient, datasetId: string) {
  const dataset = await prisma.dataset.findUnique({
    where: { id: datasetId },
    select: { currentVersion: { select: { id: true, columns: { orderBy: { position: 'asc' } } } } },
  });
  return dataset?.currentVersion?.columns ?? [];
}

/**
 * The version a read is about — the numbered one, or the current one — with its columns in
 * table order. NOT_FOUND for an unknown dataset; BAD_USER_INPUT when there is no such version.
 */
export async function resolveVersion(
  prisma: PrismaClient,
  datasetId: string,
  number?: number | null,
  fields = { datasetId: 'input.datasetId', version: 'input.version' },
) {
  const dataset = await findDataset(prisma, datasetId);
  if (!dataset) throw notFound('dataset', datasetId);
  const where =
    number === undefined || number === null
      ? dataset.currentVersionId
        ? { id: dataset.currentVersionId }
        : null
      : { datasetId_number: { datasetId, number } };
  const version = where ? await prisma.datasetVersion.findUnique({ where, include: { columns: { orderBy: { position: 'asc' } } } }) : null;
  if (!version) {
    throw number === undefined || number === null
      ? badInput(`dataset "${dataset.name}" has no data yet`, { field: fields.datasetId })
      : badInput(`${fields.version}: dataset "${dataset.name}" has no version ${number}`, { field: fields.version });
  }
  return { dataset, version, columns: version.columns.map((c) => ({ name: c.name, type: c.type })) };
}

/** A column with the profile facts charts and anomaly drivers read (distinct count, range). */
export interface ColumnProfile {
  name: string;
  type: ColumnType;
  distinctCount: number | null;
  min: unknown;
  max: unknown;
}

/** The columns of a version, in table order, with their profiles (null facts while it is being profiled). */
export async function profiledColumns(prisma: PrismaClient, versionId: string): Promise<ColumnProfile[]> {
  const columns = await prisma.datasetColumn.findMany({ where: { versionId }, orderBy: { position: 'asc' } });
  return columns.map((c) => ({
    name: c.name,
    type: c.type,
    distinctCount: c.distinctCount === null ? null : Number(c.distinctCount),
    min: c.min,
    max: c.max,
  }));
}
