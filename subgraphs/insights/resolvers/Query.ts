import { requireRole } from '../../../lib/auth/identity.js';
import { page } from '../../../lib/graphql/pagination.js';
import { isUuid } from '../../../lib/validation.js';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { suggestChart } from '../data/charts.js';

export const Query: QueryResolvers = {
  analysisJob: (_, { id }, { identity, loaders }) => {
    requireRole(identity, 'VIEWER');
    return isUuid(id) ? loaders.job.load(id) : null;
  },
  analysisJobs: (_, { status, ...args }, { identity, prisma }) => {
    requireRole(identity, 'VIEWER');
    return prisma.analysisJob.findMany({
      where: status ? { status } : {},
      orderBy: { createdAt: 'desc' },
      ...page(args),
    });
  },
  suggestChart: (_, { input }, ctx) => suggestChart(ctx, ctx.identity, input),
};
