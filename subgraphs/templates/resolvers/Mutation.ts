import { issueToken } from '../../../lib/auth/tokens.js';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { createApiKey, revokeApiKey } from '../data/apiKeys.js';
import { registerPersistedOperation, revokePersistedOperation } from '../data/persistedOperations.js';
import { runReport, scheduleReport } from '../data/reports.js';
import { createTemplate, deleteTemplate, updateTemplate } from '../data/templates.js';
import { authenticate, createUser } from '../data/users.js';
import { requireRole } from '../../../lib/auth/identity.js';

export const Mutation: MutationResolvers = {
  login: async (_, { username, password }, { prisma, config }) => {
    const user = await authenticate(prisma, username, password);
    const { token, expiresAt } = await issueToken(user, { secret: config.jwtSecret, ttlSeconds: config.jwtTtlSeconds });
    return { token, expiresAt, user };
  },

  createUser: (_, { input }, { identity, prisma }) => {
    requireRole(identity, 'ADMIN', 'Creating a user');
    return createUser(prisma, identity, input);
  },

  createApiKey: (_, { name, role }, { identity, prisma }) => createApiKey(prisma, identity, name, role),
  revokeApiKey: (_, { id }, { identity, prisma }) => revokeApiKey(prisma, identity, id),

  registerPersistedOperation: (_, { name, document }, { identity, prisma }) => registerPersistedOperation(prisma, identity, name, document),
  revokePersistedOperation: (_, { id }, { identity, prisma }) => revokePersistedOperation(prisma, identity, id),

  createTemplate: (_, { input }, ctx) => createTemplate(ctx, ctx.identity, input),
  updateTemplate: (_, { id, input }, ctx) => updateTemplate(ctx, ctx.identity, id, input),
  deleteTemplate: (_, { id }, { identity, prisma }) => deleteTemplate(prisma, identity, id),
  runReport: (_, { templateId, params }, ctx) => runReport(ctx, ctx.identity, templateId, params),
  scheduleReport: (_, { templateId, cron, params, timezone }, ctx) => scheduleReport(ctx, ctx.identity, templateId, cron, params, timezone),
};
