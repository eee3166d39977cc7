// Which model version serves a request: the traffic split, deterministically per sticky key
// (the same user or dataset always meets the same version), else the `production` alias. Never
// merely the newest: registering a version must not put it under everyone's analyses — only an
// ADMIN's split or alias does that. Used by the registry and by the insights workers.
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

/** A version the split or an alias names: what serving needs to load it. */
export interface Candidate extends Weighted {
  sha256: string;
}

export interface ChosenVersion {
  modelId: string;
  versionId: string;
  version: number;
  sha256: string;
  reason: 'split' | 'production';
}

/**
 * The serving rule without the database: the split by the key's bucket, else `production`, else
 * nothing — never the newest version, which anyone allowed to register could have put there.
 */
export function servingVersion(
  split: Candidate[],
  production: Omit<Candidate, 'weight'> | null,
  modelName: string,
  stickyKey: string,
): Omit<ChosenVersion, 'modelId'> | null {
  const picked = pickByWeights(split, modelName, stickyKey);
  if (picked) return { versionId: picked.versionId, version: picked.version, sha256: picked.sha256, reason: 'split' };
  if (!production) return null;
  return { versionId: production.versionId, version: production.version, sha256: production.sha256, reason: 'production' };
}

/**
 * The version that serves `stickyKey`: by the model's traffic split, else its `production` alias.
 * @returns null when the model does not exist or neither names a version (a newly registered
 *   version is not served until an ADMIN puts it in the split or moves `production` to it)
 */
export async function chooseVersion(prisma: PrismaClient, modelName: string, stickyKey: string): Promise<ChosenVersion | null> {
  const model = await prisma.model.findUnique({
    where: { name: modelName },
    include: {
      trafficSplit: { include: { version: { select: { version: true, sha256: true } } } },
      aliases: { where: { alias: 'production' }, include: { version: { select: { id: true, version: true, sha256: true } } } },
    },
  });
  if (!model) return null;
  const split = model.trafficSplit.map((w) => ({
    versionId: w.versionId,
    version: w.version.version,
    weight: w.weight,
    sha256: w.version.sha256,
  }));
  const alias = model.aliases[0]?.version;
  const production = alias ? { versionId: alias.id, version: alias.version, sha256: alias.sha256 } : null;
  const chosen = servingVersion(split, production, modelName, stickyKey);
  return chosen ? { modelId: model.id, ...chosen } : null;
}
