import { issueToken } from '../../../lib/auth/tokens.js';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { createApiKey, revokeApiKey } from '../data/apiKeys.js';
import { registerPersistedOperation, revokePersistedOperation } from '../data/persistedOperations.js';
import { runReport, scheduleReport } from '../data/reports.js';
import { deleteReportSchedule, updateReportSchedule } from '../data/schedules.js';
import { createTemplate, deleteTemplate, updateTemplate } from '../data/templates.js';
import { authenticate, createUser, updateUser } from '../data/users.js';
import { ACCESS_CHANGES_CHANNEL, type AccessChange } from '../../../lib/auth/identity.js';
import type { TemplatesContext } from '../context.js';

const hashPolicy = (ctx: TemplatesContext) => ({ log2N: ctx.config.auth.scryptLog2N });
/** After commit: gateways forget what they cached about the user or key and close its connections. */
const announce = (ctx: TemplatesContext, change: AccessChange) => ctx.pubsub.publish(ACCESS_CHANGES_CHANNEL, change);

export const Mutation: MutationResolvers = {
  login: async (_, { username, password }, ctx) => {
    const user = await authenticate(ctx.prisma, hashPolicy(ctx), username, password);
    const { token, expiresAt } = await issueToken(user, { secret: ctx.config.jwtSecret, ttlSeconds: ctx.config.jwtTtlSeconds });
    return { token, expiresAt, user };
  },

  createUser: (_, { input }, ctx) => createUser(ctx.prisma, hashPolicy(ctx), ctx.identity, input),
  updateUser: async (_, { id, input }, ctx) => {
    const user = await updateUser(ctx.prisma, hashPolicy(ctx), ctx.identity, id, input);
    await announce(ctx, { kind: 'user', id: user.id });
    return user;
  },

  createApiKey: (_, { name, role }, { identity, prisma }) => createApiKey(prisma, identity, name, role),
  revokeApiKey: async (_, { id }, ctx) => {
    const revoked = await revokeApiKey(ctx.prisma, ctx.identity, id);
    await announce(ctx, { kind: 'apiKey', id });
    return revoked;
  },

  registerPersistedOperation: (_, { name, document }, { identity, prisma }) => registerPersistedOperation(prisma, identity, name, document),
  revokePersistedOperation: (_, { id }, { identity, prisma }) => revokePersistedOperation(prisma, identity, id),

  createTemplate: (_, { input }, ctx) => createTemplate(ctx, ctx.identity, input),
  updateTemplate: (_, { id, input }, ctx) => updateTemplate(ctx, ctx.identity, id, input),
  deleteTemplate: (_, { id }, { identity, prisma }) => deleteTemplate(prisma, identity, id),
  runReport: (_, { templateId, params }, ctx) => runReport(ctx, ctx.identity, templateId, params),
  scheduleReport: (_, { templateId, cron, params, timezone }, ctx) => scheduleReport(ctx, ctx.identity, templateId, cron, params, timezone),
  updateReportSchedule: (_, { id, input }, ctx) =>
    updateReportSchedule({ prisma: ctx.prisma, schedulesPerUser: ctx.config.quotas.schedulesPerUser }, ctx.identity, id, input),
  deleteReportSchedule: (_, { id }, { identity, prisma }) => deleteReportSchedule(prisma, identity, id),
};
