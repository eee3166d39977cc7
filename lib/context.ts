// The per-request context every subgraph builds on. Loaders are per request (never shared across
// requests): each subgraph adds its own in `createContext`.
import type { Identity } from './auth/identity.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { PrismaClient } from './prisma.js';
import type { PubSub } from './pubsub.js';
import type { Redis } from './redis.js';
import type pg from 'pg';

export interface RequestInfo {
  identity: Identity | null;
  requestId: string;
}

export interface BaseContext extends RequestInfo {
  config: Config;
  logger: Logger;
  prisma: PrismaClient;
  pool: pg.Pool;
  /** Clients' dataset queries run here (see Runtime.queryPool). */
  queryPool: pg.Pool;
  /** New dataset versions are written here (see Runtime.ingestPool). */
  ingestPool: pg.Pool;
  redis: Redis;
  pubsub: PubSub;
}
