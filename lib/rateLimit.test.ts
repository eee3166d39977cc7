import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createRateLimiter } from './rateLimit.js';

const redis = new Redis(inject('redisUrl'), { keyPrefix: `${inject('redisKeyPrefix')}rl-test:` });
afterAll(() => redis.disconnect());

describe('sliding-window rate limits', () => {
  it('allows the budget, refuses the rest with a wait, and counts across windows', async () => {
    let t = 1_000_000 * 60_000; // the start of a window
    const limiter = createRateLimiter(redis, { now: () => t });
    const key = `k-${Date.now()}`;
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push(await limiter.check(key, 5, 60));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, true, true, false]);
    expect(verdicts[4]!.remaining).toBe(0);
    expect(verdicts[5]!.retryAfterSeconds).toBeGreaterThan(0);
    // A quarter into the next window, 75% of the previous window's 5 still count: 3.75 + 1 ≤ 5.
    t += 75_000;
    expect((await limiter.check(key, 5, 60)).allowed).toBe(true);
    expect((await limiter.check(key, 5, 60)).allowed).toBe(false);
    // Two windows later nothing of the first remains.
    t += 120_000;
    expect((await limiter.check(key, 5, 60)).remaining).toBe(4);
  });

  it('keeps keys apart, charges a cost, and never limits a zero budget', async () => {
    const limiter = createRateLimiter(redis);
    const base = `c-${Date.now()}`;
    expect((await limiter.check(`${base}:a`, 10, 60, 10)).allowed).toBe(true);
    expect((await limiter.check(`${base}:a`, 10, 60, 1)).allowed).toBe(false);
    expect((await limiter.check(`${base}:b`, 10, 60, 1)).allowed).toBe(true);
    expect((await limiter.check(`${base}:c`, 0)).allowed).toBe(true);
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
