import type { BaseContext } from '../../lib/context.js';
import { loaderByKey, loaderOfMany } from '../../lib/graphql/loaders.js';
import type { PrismaClient } from '../../lib/prisma.js';

export function createLoaders(prisma: PrismaClient) {
  return {
    dataset: loaderByKey(
      (ids: readonly string[]) => prisma.dataset.findMany({ where: { id: { in: [...ids] } } }),
      (d) => d.id,
    ),
    version: loaderByKey(
      (ids: readonly string[]) => prisma.datasetVersion.findMany({ where: { id: { in: [...ids] } } }),
      (v) => v.id,
    ),
    versionsByDataset: loaderOfMany(
      (ids: readonly string[]) => prisma.datasetVersion.findMany({ where: { datasetId: { in: [...ids] } }, orderBy: { number: 'desc' } }),
      (v) => v.datasetId,
    ),
    columnsByVersion: loaderOfMany(
      (ids: readonly string[]) => prisma.datasetColumn.findMany({ where: { versionId: { in: [...ids] } }, orderBy: { position: 'asc' } }),
      (c) => c.versionId,
    ),
  };
}

export interface DatasetsContext extends BaseContext {
  loaders: ReturnType<typeof createLoaders>;
}
