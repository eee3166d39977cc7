import { requireRole } from '../../../lib/auth/identity.js';
import { page } from '../../../lib/graphql/pagination.js';
import { isUuid } from '../../../lib/validation.js';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { report } from '../data/reports.js';
import { listSchedules } from '../data/schedules.js';
import { listSnapshotLinks, snapshotLinksEnabled } from '../data/snapshots.js';

export const Query: QueryResolvers = {
  me: (_, __, { identity, loaders }) => (identity?.kind === 'user' ? loaders.user.load(identity.id) : null),

  users: (_, args, { identity, prisma }) => {
    requireRole(identity, 'ADMIN', 'Listing users');
    return prisma.user.findMany({ orderBy: { createdAt: 'asc' }, ...page(args) });
  },

  templates: (_, args, { identity, prisma }) => {
    requireRole(identity, 'VIEWER');
    return prisma.reportTemplate.findMany({ where: { deletedAt: null }, orderBy: { createdAt: 'asc' }, ...page(args) });
  },

  template: (_, { id }, { identity, loaders }) => {
    requireRole(identity, 'VIEWER');
    return isUuid(id) ? loaders.template.load(id) : null;
  },

  report: (_, { templateId, params }, ctx) => report(ctx, ctx.identity, templateId, params),

  apiKeys: (_, args, { identity, prisma }) => {
    requireRole(identity, 'ADMIN', 'Listing API keys');
    return prisma.apiKey.findMany({ orderBy: { createdAt: 'asc' }, ...page(args) });
  },

  persistedOperations: (_, args, { identity, prisma }) => {
    requireRole(identity, 'ADMIN', 'Listing persisted operations');
    return prisma.persistedOperation.findMany({ orderBy: { createdAt: 'asc' }, ...page(args) });
  },

  reportSchedules: (_, args, { identity, prisma }) => listSchedules(prisma, identity, args),
  snapshotLinks: (_, args, { identity, prisma }) => listSnapshotLinks(prisma, identity, args),
  snapshotLinksEnabled: (_, __, { identity, prisma, config }) => {
    requireRole(identity, 'VIEWER');
    return snapshotLinksEnabled(prisma, config);
  },
};
