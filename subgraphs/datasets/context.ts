import type { BaseContext } from '../../lib/context.js';
import { loaderByKey, loaderOfMany } from '../../lib/graphql/loaders.js';
import type { PrismaClient } from '../../lib/prisma.js';
import type pg from 'pg';
import { datasetsByIds, versionsByIds } from './data/reads.js';

/** Per-request loaders: lookups by id on prepared statements (`pool`), the rest through Prisma. */
export function createLoaders(prisma: PrismaClient, pool: pg.Pool) {
  return {
    dataset: loaderByKey(
      (ids: readonly string[]) => datasetsByIds(pool, ids),
      (d) => d.id,
    ),
    version: loaderByKey(
      (ids: readonly string[]) => versionsByIds(pool, ids),
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
