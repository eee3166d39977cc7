// Sliding-window rate limits in Redis, shared by every replica: the count of the current fixed
// window plus the previous window's count weighted by how much of it still overlaps the sliding
// window (the approximation Cloudflare and Envoy use), in one atomic script. A busy key does not
// cost a Redis round trip per request: a process reserves a batch of its budget at once (a
// twentieth of the limit) and spends it locally. Reserved units count as used, so the limit is
// never exceeded; at worst a caller is refused a little early while another replica still holds
// a few of its units. Small limits (sign-ins) reserve one at a time, exactly. Concurrent requests
// for one key share one reservation.
import type { Redis } from './redis.js';

export interface RateLimitVerdict {
  allowed: boolean;
  /** Seconds until a refused caller may try again. */
  retryAfterSeconds: number;
}

// KEYS[1] current window, KEYS[2] previous window; ARGV: limit, window ms, elapsed ms in window,
// wanted units. Grants as many of the wanted units as fit (at least one, or refuses).
const SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local elapsed = tonumber(ARGV[3])
local wanted = tonumber(ARGV[4])
local estimate = previous * (window - elapsed) / window + current
local room = math.floor(limit - estimate)
if room < 1 then
  local wait = window - elapsed
  if current + 1 <= limit and previous > 0 then
    -- the previous window's weight shrinks as time passes: wait until enough of it has gone
    wait = math.ceil(window * (1 - (limit - current - 1) / previous)) - elapsed
  end
  return {0, math.max(wait, 1)}
end
local granted = math.min(wanted, room)
redis.call('INCRBY', KEYS[1], granted)
redis.call('PEXPIRE', KEYS[1], window * 2)
return {granted, 0}
`;

export interface RateLimiter {
  /**
   * Counts one request against `key`'s budget of `limit` per `windowSeconds`. A limit of 0 always
   * allows. Redis being unreachable allows too, without waiting for it: a limiter must not turn
   * an outage into one.
   */
  check(key: string, limit: number, windowSeconds?: number): Promise<RateLimitVerdict>;
}

/** Units a process reserves at once for a limit: a twentieth of it, one for small limits. */
export const batchOf = (limit: number) => Math.max(1, Math.floor(limit / 20));

const ALLOWED: RateLimitVerdict = { allowed: true, retryAfterSeconds: 0 };

export function createRateLimiter(redis: Redis, { now = () => Date.now() }: { now?: () => number } = {}): RateLimiter {
  /** Units this process holds per key, for the window they were reserved in. */
  const held = new Map<string, { window: number; units: number }>();
  /**
   * The reservation under way per key: requests arriving meanwhile wait for it and spend what it
   * brings, rather than each reserving a batch (which would spend the budget many times over).
   * It resolves to null when units were added to `held`, else to the verdict for every waiter.
   */
  const reserving = new Map<string, Promise<RateLimitVerdict | null>>();

  async function reserve(key: string, limit: number, window: number, t: number, index: number): Promise<RateLimitVerdict | null> {
    try {
      const [granted, waitMs] = (await redis.eval(
        SCRIPT,
        2,
        `ratelimit:${key}:${index}`,
        `ratelimit:${key}:${index - 1}`,
        limit,
        window,
        t - index * window,
        batchOf(limit),
      )) as [number, number];
      if (granted === 0) return { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) };
      if (held.size >= 100_000) held.clear(); // a bound on memory, not a policy
      const local = held.get(key);
      if (local && local.window === index) local.units += granted;
      else held.set(key, { window: index, units: granted });
      return null;
    } catch {
      return ALLOWED;
    }
  }

  return {
    async check(key, limit, windowSeconds = 60) {
      if (limit <= 0) return ALLOWED;
      const window = windowSeconds * 1000;
      // Each turn spends a held unit, or waits for a reservation that grants at least one or refuses.
      for (;;) {
        const t = now();
        const index = Math.floor(t / window);
        const local = held.get(key);
        if (local && local.window === index && local.units > 0) {
          local.units--;
          return ALLOWED;
        }
        // Redis away (or still connecting): fail open at once rather than wait for its reconnection.
        if (redis.status !== 'ready') return ALLOWED;
        let reservation = reserving.get(key);
        if (!reservation) {
          reservation = reserve(key, limit, window, t, index).finally(() => reserving.delete(key));
          reserving.set(key, reservation);
        }
        const verdict = await reservation;
        if (verdict) return verdict;
      }
    },
  };
}
