// The long-lived things one process shares between all its parts: config, logger, Prisma, Redis.
// Parts own their background work (start/stop); the runtime only opens and closes connections.
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
  /** The pg pool under Prisma, for raw SQL on dataset tables (COPY, DDL, profiles). */
  pool: pg.Pool;
  /**
   * A pool of its own for clients' dataset queries (datasetQuery, report sections), DATASET_QUERY_POOL_SIZE
   * connections: however many long queries callers send, they wait here and never starve the
   * metadata queries every request makes.
   */
  queryPool: pg.Pool;
  /**
   * A pool of its own for writing new dataset versions (uploads, imports, cleaning), INGEST_POOL_SIZE
   * connections: an upload holds its connection while its body arrives, and stalled uploads must
   * not take the connections every request's metadata queries need.
   */
  ingestPool: pg.Pool;
  redis: Redis;
  /** Live events over Redis pub/sub. */
  pubsub: PubSub;
  close(): Promise<void>;
}

export function createRuntime(config: Config, logger = createLogger(config)): Runtime {
  const pool = createPool(config.databaseUrl);
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle PostgreSQL connection failed'));
  const prisma = createPrisma(pool);
  const queryPool = createPool(config.databaseUrl, { max: config.datasets.queryPoolSize });
  queryPool.on('error', (err) => logger.warn({ err: err.message }, 'idle PostgreSQL connection (dataset queries) failed'));
  const ingestPool = createPool(config.databaseUrl, { max: config.datasets.ingestPoolSize });
  ingestPool.on('error', (err) => logger.warn({ err: err.message }, 'idle PostgreSQL connection (dataset writes) failed'));
  const redis = createRedis(config.redisUrl, { keyPrefix: config.redisKeyPrefix });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  const pubsub = createPubSub(redis, config.redisKeyPrefix, logger);
  return {
    config,
    logger,
    prisma,
    pool,
    queryPool,
    ingestPool,
    redis,
    pubsub,
    async close() {
      await pubsub.close();
      redis.disconnect();
      await prisma.$disconnect();
      await pool.end();
      await queryPool.end();
      await ingestPool.end();
    },
  };
}
