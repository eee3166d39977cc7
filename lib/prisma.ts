import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../prisma/__generated__/client.js';

export { PrismaClient };
export type * from '../prisma/__generated__/client.js';
export { Prisma } from '../prisma/__generated__/client.js';
export * as $Enums from '../prisma/__generated__/enums.js';

/** One client per process (it owns a pg pool); parts receive it, they never create their own. */
export function createPrisma(databaseUrl: string, { poolSize = 10 }: { poolSize?: number } = {}): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize }) });
}
