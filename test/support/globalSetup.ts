// Vitest global setup: one fresh PostgreSQL database and one Redis key prefix per test run,
// migrated once, dropped (and the keys deleted) at the end.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase } from '../../lib/db/admin.js';
import { migrate } from '../../lib/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    redisKeyPrefix: string;
  }
}

const serverUrl = process.env.TEST_DATABASE_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const dbName = `rg_test_${runId}`;
  const databaseUrl = await createDatabase(serverUrl, dbName);
  await migrate(databaseUrl);
  const redisKeyPrefix = `rg:test:${runId}:`;
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redisUrl);
  project.provide('redisKeyPrefix', redisKeyPrefix);

  return async () => {
    await dropDatabase(serverUrl, dbName);
    const redis = new Redis(redisUrl);
    try {
      const keys = await redis.keys(`${redisKeyPrefix}*`);
      if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  };
}
