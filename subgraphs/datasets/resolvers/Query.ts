import { requireRole } from '../../../lib/auth/identity.js';
import { page } from '../../../lib/graphql/pagination.js';
import { isUuid } from '../../../lib/validation.js';
import { datasetQuery } from '../data/query.js';
import { datasetsPage } from '../data/reads.js';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  datasets: async (_, args, { identity, pool, loaders }) => {
    requireRole(identity, 'VIEWER');
    const { take, skip } = page(args);
    // The current versions come in the same statement: row counts need no second one.
    return (await datasetsPage(pool, take, skip)).map(({ dataset, current }) => {
      if (current) loaders.version.prime(current.id, current);
      return dataset;
    });
  },
  dataset: (_, { id }, { identity, loaders }) => {
    requireRole(identity, 'VIEWER');
    return isUuid(id) ? loaders.dataset.load(id) : null;
  },
  datasetQuery: (_, { input }, ctx) => datasetQuery(ctx, ctx.identity, input),
};
