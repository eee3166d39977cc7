import { issueToken } from '../../../lib/auth/tokens.js';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { createApiKey, revokeApiKey } from '../data/apiKeys.js';
import { registerPersistedOperation, revokePersistedOperation } from '../data/persistedOperations.js';
import { exportReportLink } from '../data/exports.js';
import { runReport, scheduleReport } from '../data/reports.js';
import { deleteSchedule, updateSchedule } from '../data/schedules.js';
import { createSnapshotLink, revokeSnapshotLink, setSnapshotLinksEnabled } from '../data/snapshots.js';
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
  scheduleReport: (_, { templateId, cron, params, timezone, recipients, webhookUrl, formats }, ctx) =>
    scheduleReport(ctx, ctx.identity, templateId, cron, params, timezone, { recipients, webhookUrl, formats }),
  updateReportSchedule: (_, { id, input }, ctx) => updateSchedule(ctx, ctx.identity, id, input),
  deleteReportSchedule: (_, { id }, ctx) => deleteSchedule(ctx.prisma, ctx.identity, id),
  exportReport: (_, { templateId, params, format }, ctx) => exportReportLink(ctx, ctx.identity, templateId, params, format),
  createSnapshotLink: (_, { templateId, params, expiresInHours }, ctx) =>
    createSnapshotLink(ctx, ctx.identity, templateId, params, expiresInHours),
  revokeSnapshotLink: (_, { id }, ctx) => revokeSnapshotLink(ctx.prisma, ctx.identity, id),
  setSnapshotLinksEnabled: (_, { enabled }, ctx) => setSnapshotLinksEnabled(ctx.prisma, ctx.config, ctx.identity, enabled),
};
