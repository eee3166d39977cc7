// Which model version serves a request: the traffic split, deterministically per sticky key
// (the same user or dataset always meets the same version), else the `production` alias, else
// the newest version. Used by the registry and by the insights workers.
import { createHash } from 'node:crypto';
import type { PrismaClient } from '../prisma.js';

export interface Weighted {
  versionId: string;
  version: number;
  weight: number;
}

/** A stable bucket in [0, 10000) for a key: the first 8 hex digits of sha256(model:key). */
export function bucketOf(modelName: string, stickyKey: string): number {
  return parseInt(createHash('sha256').update(`${modelName}\0${stickyKey}`).digest('hex').slice(0, 8), 16) % 10_000;
}

/** Picks from weights (percent, summing to 100) by the key's bucket; versions in ascending order. */
export function pickByWeights<T extends Weighted>(weights: T[], modelName: string, stickyKey: string): T | null {
  const active = weights.filter((w) => w.weight > 0).sort((a, b) => a.version - b.version);
  if (active.length === 0) return null;
  const bucket = bucketOf(modelName, stickyKey);
  let upper = 0;
  for (const w of active) {
    upper += w.weight * 100;
    if (bucket < upper) return w;
  }
  return active.at(-1)!;
}

export interface ChosenVersion {
  modelId: string;
  versionId: string;
  version: number;
  sha256: string;
  reason: 'split' | 'production' | 'latest';
}

export async function chooseVersion(prisma: PrismaClient, modelName: string, stickyKey: string): Promise<ChosenVersion | null> {
  const model = await prisma.model.findUnique({
    where: { name: modelName },
    include: {
      trafficSplit: { include: { version: { select: { version: true, sha256: true } } } },
      aliases: { where: { alias: 'production' }, include: { version: { select: { id: true, version: true, sha256: true } } } },
    },
  });
  if (!model) return null;
  const picked = pickByWeights(
    model.trafficSplit.map((w) => ({ versionId: w.versionId, version: w.version.version, weight: w.weight, sha256: w.version.sha256 })),
    modelName,
    stickyKey,
  );
  if (picked) return { modelId: model.id, versionId: picked.versionId, version: picked.version, sha256: picked.sha256, reason: 'split' };
  const production = model.aliases[0]?.version;
  if (production)
    return { modelId: model.id, versionId: production.id, version: production.version, sha256: production.sha256, reason: 'production' };
  const latest = await prisma.modelVersion.findFirst({
    where: { modelId: model.id },
    orderBy: { version: 'desc' },
    select: { id: true, version: true, sha256: true },
  });
  return latest ? { modelId: model.id, versionId: latest.id, version: latest.version, sha256: latest.sha256, reason: 'latest' } : null;
}
