import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { batchOf, createRateLimiter } from './rateLimit.js';

const redis = new Redis(inject('redisUrl'), { keyPrefix: `${inject('redisKeyPrefix')}rl-test:` });
// Connected first: a limiter whose Redis is not ready fails open at once (see the last test).
beforeAll(() => redis.ping());
afterAll(() => redis.disconnect());

const allowedOf = async (check: () => Promise<{ allowed: boolean }>, n: number) => {
  const verdicts = [];
  for (let i = 0; i < n; i++) verdicts.push((await check()).allowed);
  return verdicts;
};

describe('sliding-window rate limits', () => {
  it('allows the budget, refuses the rest with a wait, and counts across windows', async () => {
    let t = 1_000_000 * 60_000; // the start of a window
    const limiter = createRateLimiter(redis, { now: () => t });
    const key = `k-${Date.now()}`;
    expect(await allowedOf(() => limiter.check(key, 5, 60), 6)).toEqual([true, true, true, true, true, false]);
    const refused = await limiter.check(key, 5, 60);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    // A quarter into the next window, 75% of the previous window's 5 still count: 3.75 + 1 ≤ 5.
    t += 75_000;
    expect(await allowedOf(() => limiter.check(key, 5, 60), 2)).toEqual([true, false]);
    // Two windows later nothing of the first remains.
    t += 120_000;
    expect(await allowedOf(() => limiter.check(key, 5, 60), 5)).toEqual([true, true, true, true, true]);
  });

  it('never lets replicas together exceed the limit, however they batch their reservations', async () => {
    const t = 2_000_000 * 60_000;
    const replicas = [
      createRateLimiter(redis, { now: () => t }),
      createRateLimiter(redis, { now: () => t }),
      createRateLimiter(redis, { now: () => t }),
    ];
    const key = `shared-${Date.now()}`;
    let allowed = 0;
    for (let i = 0; i < 400; i++) if ((await replicas[i % 3]!.check(key, 200, 60)).allowed) allowed++;
    expect(batchOf(200)).toBe(10);
    expect(allowed).toBeLessThanOrEqual(200);
    expect(allowed).toBeGreaterThanOrEqual(200 - 3 * (batchOf(200) - 1)); // at most a batch stranded per replica
  });

  it('asks Redis once per batch, not once per request', async () => {
    const limiter = createRateLimiter(redis);
    const key = `batched-${Date.now()}`;
    let calls = 0;
    const counting = new Proxy(redis, {
      get: (target, prop) =>
        prop === 'eval'
          ? (...args: unknown[]) => (calls++, (target.eval as (...a: unknown[]) => unknown)(...args))
          : Reflect.get(target, prop),
    });
    const counted = createRateLimiter(counting as Redis);
    for (let i = 0; i < 100; i++) await counted.check(key, 1000, 60);
    expect(calls).toBe(2); // batches of 50
    expect((await limiter.check(`${key}:0`, 0)).allowed).toBe(true);
  });

  it('shares one reservation among concurrent requests: a burst neither wastes the budget nor is refused early', async () => {
    const t = 3_000_000 * 60_000; // the start of a window
    const limiter = createRateLimiter(redis, { now: () => t });
    const key = `burst-${Date.now()}`;
    // 60 at once against 1,000 a minute (batches of 50): two reservations, every one allowed.
    const verdicts = await Promise.all(Array.from({ length: 60 }, () => limiter.check(key, 1000, 60)));
    expect(verdicts.every((v) => v.allowed)).toBe(true);
    expect(Number(await redis.get(`ratelimit:${key}:3000000`))).toBe(100);
    // And a small limit under a burst: exactly the limit allowed, the rest refused with a wait.
    const small = await Promise.all(Array.from({ length: 8 }, () => limiter.check(`${key}:small`, 5, 60)));
    expect(small.filter((v) => v.allowed)).toHaveLength(5);
    expect(small.filter((v) => !v.allowed).every((v) => v.retryAfterSeconds > 0)).toBe(true);
  });

  it('lets requests through when Redis cannot be reached', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    down.on('error', () => {});
    expect((await createRateLimiter(down).check('any', 1)).allowed).toBe(true);
    down.disconnect();
  });
});
