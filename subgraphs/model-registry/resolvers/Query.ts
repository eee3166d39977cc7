import { requireRole } from '../../../lib/auth/identity.js';
import { page } from '../../../lib/graphql/pagination.js';
import { chooseVersion } from '../../../lib/registry/selection.js';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  models: (_, args, { identity, prisma }) => {
    requireRole(identity, 'VIEWER');
    return prisma.model.findMany({ orderBy: { name: 'asc' }, ...page(args) });
  },
  model: (_, { name }, { identity, prisma }) => {
    requireRole(identity, 'VIEWER');
    return prisma.model.findUnique({ where: { name } });
  },
  chooseModelVersion: async (_, { modelName, stickyKey }, { identity, prisma, loaders }) => {
    requireRole(identity, 'VIEWER');
    const chosen = await chooseVersion(prisma, modelName, stickyKey);
    return chosen ? loaders.version.load(chosen.versionId) : null;
  },
};
