// The hot-report cache's two tiers against the real Redis: a copy in memory that spares the round
// trip, bounded in bytes, never outliving the Redis entry it copies.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createReportCache, type RenderedReport } from './render.js';

const redis = new Redis(inject('redisUrl'), { keyPrefix: `${inject('redisKeyPrefix')}report-cache-test:` });
beforeAll(() => redis.ping());
afterAll(() => redis.disconnect());

const report = (n: number, pad = 0): RenderedReport => ({
  templateId: 't',
  templateVersion: 1,
  params: { n },
  sections: [{ kind: 'KPI', value: n, note: 'x'.repeat(pad) }],
  generatedAt: new Date(0).toISOString(),
  cached: false,
  durationMs: 1,
});
const key = (n: number) => `report:t:1:v:${n}-${Date.now()}`;

describe('hot-report cache', () => {
  it('serves a written report from memory, marked cached, even once Redis has lost it', async () => {
    const cache = createReportCache(redis, { ttlSeconds: 60, memoryBytes: 1 << 20 });
    const k = key(1);
    await cache.write(k, report(1));
    expect(await redis.get(k)).toBe(JSON.stringify(report(1)));
    await redis.del(k);
    expect(await cache.read(k)).toEqual({ ...report(1), cached: true });
    // Every caller gets the same copy, frozen: none can change what another is served.
    const served = (await cache.read(k))!;
    expect(() => served.sections.push('mutated')).toThrow(TypeError);
    expect((await cache.read(k))!.sections).toHaveLength(1);
  });

  it("reads another replica's report from Redis and keeps a copy no longer than Redis keeps it", async () => {
    const cache = createReportCache(redis, { ttlSeconds: 60, memoryBytes: 1 << 20 });
    const k = key(2);
    await redis.set(k, JSON.stringify(report(2)), 'PX', 300);
    expect(await cache.read(k)).toEqual({ ...report(2), cached: true });
    expect(cache.held().entries).toBe(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(await cache.read(k)).toBeNull();
    expect(cache.held().entries).toBe(0);
  });

  it('holds at most its bytes, dropping the least recently used; 0 holds nothing', async () => {
    const one = JSON.stringify(report(0, 1000)).length;
    const cache = createReportCache(redis, { ttlSeconds: 60, memoryBytes: 3 * one + 10 });
    const keys = [3, 4, 5, 6].map(key);
    for (const [i, k] of keys.slice(0, 3).entries()) await cache.write(k, report(i, 1000));
    await cache.read(keys[0]!); // now the most recently used
    await cache.write(keys[3]!, report(3, 1000));
    expect(cache.held()).toEqual({ entries: 3, bytes: 3 * one });
    await redis.del(...keys);
    expect((await Promise.all(keys.map((k) => cache.read(k)))).map((r) => r?.params.n ?? null)).toEqual([0, null, 2, 3]);
    // A report larger than the whole budget is not held at all.
    await cache.write(key(7), report(7, 10 * one));
    expect(cache.held().entries).toBe(3);

    const none = createReportCache(redis, { ttlSeconds: 60, memoryBytes: 0 });
    const k = key(8);
    await none.write(k, report(8));
    expect(none.held()).toEqual({ entries: 0, bytes: 0 });
    await redis.del(k);
    expect(await none.read(k)).toBeNull();
  });
});
