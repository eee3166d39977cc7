// Model inputs for drift: recent values per feature (capped Redis lists), and the first N values
// a version sees, which become its reference when none came with it at registration.
import type { Redis } from '../redis.js';

const KEEP = 5000;
export const REFERENCE_SAMPLE = 500;

const recentKey = (versionId: string, feature: string) => `models:inputs:${versionId}:${feature}`;
const seedKey = (versionId: string, feature: string) => `models:reference-seed:${versionId}:${feature}`;
const featuresKey = (versionId: string) => `models:features:${versionId}`;

export async function recordFeatures(
  redis: Redis,
  versionId: string,
  rows: Array<Record<string, number>>,
  now = Date.now(),
): Promise<void> {
  const byFeature = new Map<string, string[]>();
  for (const row of rows) {
    for (const [feature, value] of Object.entries(row)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      byFeature.set(feature, [...(byFeature.get(feature) ?? []), `${now}:${value}`]);
    }
  }
  if (byFeature.size === 0) return;
  const tx = redis.multi().sadd(featuresKey(versionId), ...byFeature.keys());
  for (const [feature, entries] of byFeature) {
    tx.lpush(recentKey(versionId, feature), ...entries).ltrim(recentKey(versionId, feature), 0, KEEP - 1);
    tx.rpush(seedKey(versionId, feature), ...entries).ltrim(seedKey(versionId, feature), 0, REFERENCE_SAMPLE - 1);
  }
  await tx.exec();
}

const parse = (entries: string[]) => {
  const values = new Float64Array(entries.length);
  let oldest = Infinity;
  let newest = 0;
  entries.forEach((e, i) => {
    const sep = e.indexOf(':');
    const t = Number(e.slice(0, sep));
    values[i] = Number(e.slice(sep + 1));
    oldest = Math.min(oldest, t);
    newest = Math.max(newest, t);
  });
  return { values, oldest: new Date(oldest), newest: new Date(newest) };
};

export async function featuresOf(redis: Redis, versionId: string): Promise<string[]> {
  return (await redis.smembers(featuresKey(versionId))).sort();
}

/** The most recent `n` values of a feature, with the time span they cover. */
export async function recentValues(redis: Redis, versionId: string, feature: string, n: number) {
  return parse(await redis.lrange(recentKey(versionId, feature), 0, n - 1));
}

/** The first REFERENCE_SAMPLE values the version saw, once there are that many. */
export async function referenceSeed(redis: Redis, versionId: string, feature: string): Promise<Float64Array | null> {
  const entries = await redis.lrange(seedKey(versionId, feature), 0, REFERENCE_SAMPLE - 1);
  return entries.length >= REFERENCE_SAMPLE ? parse(entries).values : null;
}
