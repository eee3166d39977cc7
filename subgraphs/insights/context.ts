import DataLoader from 'dataloader';
import type { BaseContext } from '../../lib/context.js';
import type { AnalysisQueue } from './queue.js';
import type { ServedModels } from '../../models/runtime/servedModels.js';
import { loaderByKey, loaderOfMany } from '../../lib/graphql/loaders.js';
import { Prisma, type AnalysisJob, type Insight, type PrismaClient } from '../../lib/prisma.js';

/**
 * Newest-first rows per dataset, one query for every dataset in the request (the gateway resolves
 * `Dataset.analysisJobs` for a whole list in one `_entities` call), paged per dataset with a window.
 */
function pagedByDataset<T extends { datasetId: string }>(prisma: PrismaClient, table: 'AnalysisJob' | 'Insight') {
  const loaders = new Map<string, DataLoader<string, T[]>>();
  return (take: number, skip: number) => {
    const key = `${take}:${skip}`;
    let loader = loaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, T[]>(async (ids) => {
        const rows = await prisma.$queryRaw<(T & { rn: bigint })[]>`
          SELECT * FROM (
            SELECT t.*, row_number() OVER (PARTITION BY t."datasetId" ORDER BY t."createdAt" DESC, t.id) AS rn
            FROM ${Prisma.raw(`"${table}"`)} t WHERE t."datasetId" = ANY(${[...ids]}::uuid[])
          ) paged WHERE rn > ${skip} AND rn <= ${skip + take} ORDER BY rn`;
        const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
        for (const { rn: _rn, ...row } of rows) groups.get(row.datasetId)?.push(row as unknown as T);
        return ids.map((id) => groups.get(id)!);
      });
      loaders.set(key, loader);
    }
    return loader;
  };
}

export function createLoaders(prisma: PrismaClient) {
  return {
    job: loaderByKey(
      (ids: readonly string[]) => prisma.analysisJob.findMany({ where: { id: { in: [...ids] } } }),
      (j) => j.id,
    ),
    insightsByJob: loaderOfMany(
      (ids: readonly string[]) => prisma.insight.findMany({ where: { jobId: { in: [...ids] } }, orderBy: { createdAt: 'asc' } }),
      (i) => i.jobId,
    ),
    jobsByDataset: pagedByDataset<AnalysisJob>(prisma, 'AnalysisJob'),
    insightsByDataset: pagedByDataset<Insight>(prisma, 'Insight'),
  };
}

export interface InsightsContext extends BaseContext {
  loaders: ReturnType<typeof createLoaders>;
  /** The analysis queue (opened on first use). */
  queue(): AnalysisQueue;
  /** The registry's models on this subgraph's own engine (opened on first use): chart suggestions. */
  models: ServedModels;
}
