import { badInput } from '../errors.js';

/** The most rows one top-level list returns, whatever `limit` asks for. */
export const MAX_PAGE_SIZE = 1000;

/** `limit`/`offset` arguments of top-level lists, checked, as Prisma's `take`/`skip`. */
export function page(args: { limit?: number | null; offset?: number | null }): { take: number; skip: number } {
  const take = args.limit ?? 100;
  const skip = args.offset ?? 0;
  if (!Number.isInteger(take) || take < 0 || take > MAX_PAGE_SIZE) {
    throw badInput(`limit must be between 0 and ${MAX_PAGE_SIZE}`, { field: 'limit' });
  }
  if (!Number.isInteger(skip) || skip < 0) throw badInput('offset must be 0 or more', { field: 'offset' });
  return { take, skip };
}
