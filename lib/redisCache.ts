// Apollo's KeyValueCache on Redis (APQ, plan caches): errors are misses, so Redis being down
// degrades to no cache, never to failed requests.
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Redis } from './redis.js';

export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly defaultTtlSeconds = 24 * 3600,
  ) {}

  async get(key: string): Promise<string | undefined> {
    // Redis away (or still connecting): a miss now, not after its reconnection attempts.
    if (this.redis.status !== 'ready') return undefined;
    try {
      return (await this.redis.get(this.prefix + key)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    if (this.redis.status !== 'ready') return;
    const ttl = options?.ttl === null ? null : (options?.ttl ?? this.defaultTtlSeconds);
    try {
      if (ttl) await this.redis.set(this.prefix + key, value, 'EX', Math.max(1, Math.round(ttl)));
      else await this.redis.set(this.prefix + key, value);
    } catch {
      // a cache that cannot write is a cache that misses
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.redis.del(this.prefix + key)) > 0;
    } catch {
      return false;
    }
  }
}
