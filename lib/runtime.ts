// The long-lived things one process shares between all its parts: config, logger, Prisma, Redis.
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createPrisma, type PrismaClient } from './prisma.js';
import { createRedis, type Redis } from './redis.js';

export interface Runtime {
  config: Config;
  logger: Logger;
  prisma: PrismaClient;
  redis: Redis;
  close(): Promise<void>;
}

export function createRuntime(config: Config, logger = createLogger(config)): Runtime {
  const prisma = createPrisma(config.databaseUrl);
  const redis = createRedis(config.redisUrl, { keyPrefix: config.redisKeyPrefix });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  return {
    config,
    logger,
    prisma,
    redis,
    async close() {
      redis.disconnect();
      await prisma.$disconnect();
    },
  };
}
