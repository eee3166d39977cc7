// Read-only facts about datasets that other parts need (templates check a template's dataset,
// insights check an analysis's column). The datasets subgraph owns and writes these tables.
import type { PrismaClient } from '../prisma.js';
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
