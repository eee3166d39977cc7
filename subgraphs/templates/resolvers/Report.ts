import { redactSecrets } from '../../../lib/network.js';
import type {
  ReportDeliveryResolvers,
  ReportResolvers,
  ReportRunResolvers,
  ReportScheduleResolvers,
  SnapshotLinkResolvers,
} from '../__generated__/resolvers-types.js';
import { runDeliveryStatus } from '../data/deliveries.js';
import { reportPageUrl } from '../data/links.js';
import type { RenderedReport } from '../data/render.js';
import { canManage } from '../data/schedules.js';
import { snapshotLinkUrl } from '../data/snapshots.js';

export const Report: ReportResolvers = {
  template: async (r, _, { loaders }) => (await loaders.template.load(r.templateId))!,
  link: (r, _, { config }) => reportPageUrl(config.reports.publicUrl, r.templateId, r.params),
};

export const ReportRun: ReportRunResolvers = {
  template: async (run, _, { loaders }) => (await loaders.template.load(run.templateId))!,
  report: (run) => (run.result ? (run.result as unknown as RenderedReport) : null),
  schedule: (run, _, { identity, loaders }) =>
    run.scheduleId ? loaders.schedule.load(run.scheduleId).then((s) => (s && canManage(identity, s) ? s : null)) : null,
  // Deliveries name their recipients: only whoever manages the schedule (or an ADMIN) sees them.
  deliveries: async (run, _, { identity, loaders }) => {
    const schedule = run.scheduleId ? await loaders.schedule.load(run.scheduleId) : null;
    const allowed = schedule ? canManage(identity, schedule) : identity?.role === 'ADMIN';
    return allowed ? loaders.deliveriesOfRun.load(run.id) : [];
  },
  deliveryStatus: async (run, _, { loaders }) => runDeliveryStatus(await loaders.deliveriesOfRun.load(run.id)),
};

export const ReportSchedule: ReportScheduleResolvers = {
  template: async (s, _, { loaders }) => (await loaders.template.load(s.templateId))!,
  webhookUrl: (s) => (s.webhookUrl ? redactSecrets(s.webhookUrl) : null),
  // The secret signs what the receiver trusts: only whoever manages the schedule sees it.
  webhookSecret: (s, _, { identity }) => (canManage(identity, s) ? s.webhookSecret : null),
  runs: (s, { limit }, { prisma }) =>
    prisma.reportRun.findMany({ where: { scheduleId: s.id }, orderBy: { createdAt: 'desc' }, take: Math.min(limit ?? 20, 200) }),
};

export const ReportDelivery: ReportDeliveryResolvers = {
  nextAttemptAt: (d) => (d.status === 'PENDING' ? d.nextAttemptAt : null),
  log: (d, _, { prisma }) => prisma.deliveryAttempt.findMany({ where: { deliveryId: d.id }, orderBy: { attempt: 'asc' } }),
};

export const SnapshotLink: SnapshotLinkResolvers = {
  url: (link, _, { config }) => snapshotLinkUrl(config, link),
  template: async (link, _, { prisma }) => prisma.reportTemplate.findUniqueOrThrow({ where: { id: link.templateId } }),
  createdBy: (link, _, { loaders }) => (link.createdById ? loaders.user.load(link.createdById) : null),
};
