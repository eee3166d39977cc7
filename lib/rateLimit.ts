// Sliding-window rate limits in Redis, shared by every replica: the count of the current fixed
// window plus the previous window's count weighted by how much of it still overlaps the sliding
// window (the approximation Cloudflare and Envoy use), in one atomic script per check.
import type { Redis } from './redis.js';

export interface RateLimitVerdict {
  allowed: boolean;
  /** Requests left in the window after this one (0 when refused). */
  remaining: number;
  /** Seconds until a refused caller may try again. */
  retryAfterSeconds: number;
}

// KEYS[1] current window, KEYS[2] previous window; ARGV: limit, window ms, elapsed ms in window, cost.
const SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local elapsed = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local estimate = previous * (window - elapsed) / window + current
if estimate + cost > limit then
  local wait = window - elapsed
  if current + cost <= limit and previous > 0 then
    -- the previous window's weight shrinks as time passes: wait until enough of it has gone
    wait = math.ceil(window * (1 - (limit - current - cost) / previous)) - elapsed
  end
  return {0, 0, math.max(wait, 1)}
end
redis.call('INCRBY', KEYS[1], cost)
redis.call('PEXPIRE', KEYS[1], window * 2)
return {1, math.floor(limit - estimate - cost), 0}
`;

export interface RateLimiter {
  /**
   * Counts `cost` against `key`'s budget of `limit` per `windowSeconds`. A limit of 0 always
   * allows. Redis being unreachable allows too: a limiter must not turn an outage into one.
   */
  check(key: string, limit: number, windowSeconds?: number, cost?: number): Promise<RateLimitVerdict>;
}

export function createRateLimiter(redis: Redis, { now = () => Date.now() }: { now?: () => number } = {}): RateLimiter {
  return {
    async check(key, limit, windowSeconds = 60, cost = 1) {
      if (limit <= 0) return { allowed: true, remaining: Infinity, retryAfterSeconds: 0 };
      const window = windowSeconds * 1000;
      const t = now();
      const index = Math.floor(t / window);
      try {
        const [allowed, remaining, waitMs] = (await redis.eval(
          SCRIPT,
          2,
          `ratelimit:${key}:${index}`,
          `ratelimit:${key}:${index - 1}`,
          limit,
          window,
          t - index * window,
          cost,
        )) as [number, number, number];
        return { allowed: allowed === 1, remaining, retryAfterSeconds: Math.ceil(waitMs / 1000) };
      } catch {
        return { allowed: true, remaining: limit, retryAfterSeconds: 0 };
      }
    },
  };
}
