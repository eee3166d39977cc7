import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../prisma/__generated__/client.js';
import { instrumentPool } from './tracing/index.js';

export { PrismaClient };
export type * from '../prisma/__generated__/client.js';
export { Prisma } from '../prisma/__generated__/client.js';
/** The schema's enums (values and types): the one source for roles, column types, kinds, tasks. */
export * from '../prisma/__generated__/enums.js';

/**
 * One client per process, on the process's pg pool (shared with the raw SQL that dataset tables
 * need: COPY, DDL); parts receive it, they never create their own.
 */
export function createPrisma(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}

export function createPool(databaseUrl: string, { max = 10 }: { max?: number } = {}): pg.Pool {
  // SQL spans when tracing is on (the pool as it is otherwise).
  return instrumentPool(new pg.Pool({ connectionString: databaseUrl, max }));
}
