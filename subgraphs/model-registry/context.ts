import type { BaseContext } from '../../lib/context.js';
import { loaderByKey, loaderOfMany } from '../../lib/graphql/loaders.js';
import type { PrismaClient } from '../../lib/prisma.js';

export function createLoaders(prisma: PrismaClient) {
  return {
    model: loaderByKey(
      (ids: readonly string[]) => prisma.model.findMany({ where: { id: { in: [...ids] } } }),
      (m) => m.id,
    ),
    version: loaderByKey(
      (ids: readonly string[]) => prisma.modelVersion.findMany({ where: { id: { in: [...ids] } } }),
      (v) => v.id,
    ),
    versionsByModel: loaderOfMany(
      (ids: readonly string[]) => prisma.modelVersion.findMany({ where: { modelId: { in: [...ids] } }, orderBy: { version: 'desc' } }),
      (v) => v.modelId,
    ),
    aliasesByModel: loaderOfMany(
      (ids: readonly string[]) => prisma.modelAlias.findMany({ where: { modelId: { in: [...ids] } }, orderBy: { alias: 'asc' } }),
      (a) => a.modelId,
    ),
    weightsByModel: loaderOfMany(
      (ids: readonly string[]) => prisma.trafficWeight.findMany({ where: { modelId: { in: [...ids] } }, orderBy: { weight: 'desc' } }),
      (w) => w.modelId,
    ),
    driftByVersion: loaderOfMany(
      (ids: readonly string[]) => prisma.driftReport.findMany({ where: { versionId: { in: [...ids] } }, orderBy: { createdAt: 'desc' } }),
      (d) => d.versionId,
    ),
    artifactSize: loaderByKey(
      (shas: readonly string[]) =>
        prisma.modelArtifact.findMany({ where: { sha256: { in: [...shas] } }, select: { sha256: true, sizeBytes: true } }),
      (a) => a.sha256,
    ),
  };
}

export interface ModelRegistryContext extends BaseContext {
  loaders: ReturnType<typeof createLoaders>;
}
