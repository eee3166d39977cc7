import DataLoader from 'dataloader';
import type { BaseContext } from '../../lib/context.js';
import type { AnalysisQueue } from './queue.js';
import type { ServedModels } from '../../models/runtime/servedModels.js';
import { loaderByKey, loaderOfMany } from '../../lib/graphql/loaders.js';
import type { PrismaClient } from '../../lib/prisma.js';
import type pg from 'pg';
import { insightsByDataset, jobsByDataset } from './data/reads.js';

/**
 * Newest-first rows per dataset, one statement for every dataset in the request (the gateway
 * resolves `Dataset.analysisJobs` for a whole list in one `_entities` call), paged per dataset.
 */
function pagedByDataset<T extends { datasetId: string }>(
  fetch: (ids: readonly string[], take: number, skip: number) => Promise<T[]>,
): (take: number, skip: number) => DataLoader<string, T[]> {
  const loaders = new Map<string, DataLoader<string, T[]>>();
  return (take, skip) => {
    const key = `${take}:${skip}`;
    let loader = loaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, T[]>(async (ids) => {
        const rows = await fetch(ids, take, skip);
        const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
        for (const row of rows) groups.get(row.datasetId)?.push(row);
        return ids.map((id) => groups.get(id)!);
      });
      loaders.set(key, loader);
    }
    return loader;
  };
}

/** Per-request loaders: the dataset lists' reads on prepared statements (`pool`), the rest through Prisma. */
export function createLoaders(prisma: PrismaClient, pool: pg.Pool) {
  return {
    job: loaderByKey(
      (ids: readonly string[]) => prisma.analysisJob.findMany({ where: { id: { in: [...ids] } } }),
      (j) => j.id,
    ),
    insightsByJob: loaderOfMany(
      (ids: readonly string[]) => prisma.insight.findMany({ where: { jobId: { in: [...ids] } }, orderBy: { createdAt: 'asc' } }),
      (i) => i.jobId,
    ),
    jobsByDataset: pagedByDataset((ids, take, skip) => jobsByDataset(pool, ids, take, skip)),
    insightsByDataset: pagedByDataset((ids, take, skip) => insightsByDataset(pool, ids, take, skip)),
  };
}

export interface InsightsContext extends BaseContext {
  loaders: ReturnType<typeof createLoaders>;
  /** The analysis queue (opened on first use). */
  queue(): AnalysisQueue;
  /** The registry's models on this subgraph's own engine (opened on first use): chart suggestions. */
  models: ServedModels;
}
