// The long-lived things one process shares between all its parts: config, logger, Prisma, Redis.
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import type pg from 'pg';
import { createPool, createPrisma, type PrismaClient } from './prisma.js';
import { createPubSub, type PubSub } from './pubsub.js';
import { createRedis, type Redis } from './redis.js';

export interface Runtime {
  config: Config;
  logger: Logger;
  prisma: PrismaClient;
  /** The pg pool under Prisma, for raw SQL on dataset tables (COPY, DDL, aggregation). */
  pool: pg.Pool;
  redis: Redis;
  /** Live events over Redis pub/sub. */
  pubsub: PubSub;
  /** Registers work to stop when the runtime closes (timers, background loops). */
  onClose(stop: () => void | Promise<void>): void;
  /** Runs `work` every `seconds` (0: never) until the runtime closes; failures are logged. */
  every(seconds: number, what: string, work: () => Promise<unknown>): void;
  close(): Promise<void>;
}

export function createRuntime(config: Config, logger = createLogger(config)): Runtime {
  const pool = createPool(config.databaseUrl);
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle PostgreSQL connection failed'));
  const prisma = createPrisma(pool);
  const redis = createRedis(config.redisUrl, { keyPrefix: config.redisKeyPrefix });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  const pubsub = createPubSub(redis, config.redisKeyPrefix);
  const stops: Array<() => void | Promise<void>> = [];
  return {
    config,
    logger,
    prisma,
    pool,
    redis,
    pubsub,
    onClose: (stop) => {
      stops.push(stop);
    },
    every(seconds, what, work) {
      if (seconds <= 0) return;
      const timer = setInterval(() => {
        work().catch((err) => logger.error({ err }, `${what} failed`));
      }, seconds * 1000).unref();
      stops.push(() => clearInterval(timer));
    },
    async close() {
      for (const stop of stops.splice(0)) await stop();
      await pubsub.close();
      redis.disconnect();
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
