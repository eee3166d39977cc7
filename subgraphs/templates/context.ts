import type { BaseContext } from '../../lib/context.js';
import { loaderByKey, loaderOfMany } from '../../lib/graphql/loaders.js';
import type { PrismaClient } from '../../lib/prisma.js';
import type pg from 'pg';
import { usersByIds } from './data/reads.js';
import type { ReportHeads } from './data/reportHeads.js';
import type { ReportCache } from './data/render.js';
import type { ServedModels } from '../../models/runtime/servedModels.js';

/** Per-request loaders: users by id on a prepared statement (`pool`), the rest through Prisma. */
export function createLoaders(prisma: PrismaClient, pool: pg.Pool) {
  return {
    user: loaderByKey(
      (ids: readonly string[]) => usersByIds(pool, ids),
      (u) => u.id,
    ),
    template: loaderByKey(
      (ids: readonly string[]) => prisma.reportTemplate.findMany({ where: { id: { in: [...ids] }, deletedAt: null } }),
      (t) => t.id,
    ),
    templateVersions: loaderOfMany(
      (ids: readonly string[]) =>
        prisma.templateVersion.findMany({ where: { templateId: { in: [...ids] } }, orderBy: { version: 'desc' } }),
      (v) => v.templateId,
    ),
    schedule: loaderByKey(
      (ids: readonly string[]) => prisma.reportSchedule.findMany({ where: { id: { in: [...ids] } } }),
      (s) => s.id,
    ),
    deliveriesOfRun: loaderOfMany(
      (ids: readonly string[]) => prisma.reportDelivery.findMany({ where: { runId: { in: [...ids] } }, orderBy: { channel: 'asc' } }),
      (d) => d.runId,
    ),
    templatesByOwner: loaderOfMany(
      (ids: readonly string[]) =>
        prisma.reportTemplate.findMany({ where: { ownerId: { in: [...ids] }, deletedAt: null }, orderBy: { createdAt: 'asc' } }),
      (t) => t.ownerId!,
    ),
  };
}

export interface TemplatesContext extends BaseContext {
  loaders: ReturnType<typeof createLoaders>;
  /** The current versions hot reports are keyed by (process-wide, kept fresh by NOTIFY). */
  reportHeads: ReportHeads;
  /** Hot reports: Redis with a copy in this process's memory. */
  reportCache: ReportCache;
  /** The registry's models on this subgraph's own engine (opened on first use): report charts. */
  models: ServedModels;
}
