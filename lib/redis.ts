import { Redis } from 'ioredis';

export type { Redis };

/**
 * A Redis client that never queues commands forever: while Redis is down, commands fail fast
 * (callers degrade, e.g. skip the cache) and the client keeps reconnecting in the background.
 */
export function createRedis(url: string, { keyPrefix = '', lazy = false }: { keyPrefix?: string; lazy?: boolean } = {}): Redis {
  return new Redis(url, {
    keyPrefix,
    lazyConnect: lazy,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
}
