import { requireRole } from '../../../lib/auth/identity.js';
import { page } from '../../../lib/graphql/pagination.js';
import { isUuid } from '../../../lib/validation.js';
import { datasetQuery } from '../data/query.js';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  datasets: (_, args, { identity, prisma }) => {
    requireRole(identity, 'VIEWER');
    return prisma.dataset.findMany({ orderBy: { createdAt: 'asc' }, ...page(args) });
  },
  dataset: (_, { id }, { identity, loaders }) => {
    requireRole(identity, 'VIEWER');
    return isUuid(id) ? loaders.dataset.load(id) : null;
  },
  datasetQuery: (_, { input }, ctx) => datasetQuery(ctx, ctx.identity, input),
};
