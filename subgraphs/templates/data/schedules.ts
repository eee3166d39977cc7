// Where a schedule's runs go — email recipients with the report attached in `formats`, a signed
// webhook — and how people manage their schedules: list, change, pause and resume, delete. A
// schedule is its creator's (and every ADMIN's); nobody else sees its recipients or webhook.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { z } from 'zod';
import { audit } from '../../../lib/audit.js';
import { requireRole, type Identity } from '../../../lib/auth/identity.js';
import type { Config } from '../../../lib/config.js';
import { badInput, notFound } from '../../../lib/errors.js';
import { page } from '../../../lib/graphql/pagination.js';
import { isPrivateAddress, redactSecrets } from '../../../lib/network.js';
import type { Prisma, PrismaClient, ReportSchedule } from '../../../lib/prisma.js';
import { isUuid, parseInput } from '../../../lib/validation.js';
import { ExportFormat } from '../export/formats.js';
import { bindParameters } from './render.js';
import { checkInterval, createdBy, declared, holdScheduleSlot, nextRun, parseSchedule, type ReportDeps } from './reports.js';

/** Where each run of a schedule goes. */
export interface DeliveryTargets {
  recipients: string[];
  webhookUrl: string | null;
  formats: ExportFormat[];
}

export interface DeliveryTargetsInput {
  recipients?: readonly string[] | null;
  webhookUrl?: string | null;
  formats?: readonly ExportFormat[] | null;
}

/** What a schedule sends when no formats are named. */
const DEFAULT_FORMATS: ExportFormat[] = ['PDF'];
const MAX_URL_LENGTH = 2048;

const webhookUrl = (allowPrivate: boolean) =>
  z
    .string()
    .trim()
    .max(MAX_URL_LENGTH)
    .superRefine((raw, ctx) => {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return ctx.addIssue({ code: 'custom', message: 'not a URL' });
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        return ctx.addIssue({ code: 'custom', message: 'must be http:// or https://' });
      // Names are checked when the webhook is called, on the address connected to; a literal address can be refused now.
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (!allowPrivate && net.isIP(host) && isPrivateAddress(host)) {
        ctx.addIssue({ code: 'custom', message: `${host} is a private address (WEBHOOK_ALLOW_PRIVATE_NETWORKS)` });
      }
    });

/** Checks recipients, webhook and formats against the settings; BAD_USER_INPUT naming the field. */
export function parseTargets(config: Config, input: DeliveryTargetsInput): DeliveryTargets {
  const { maxRecipients, mail, webhook } = config.reports;
  const schema = z.object({
    recipients: z
      .array(z.email('not an email address').max(254))
      .max(maxRecipients, `at most ${maxRecipients} recipients (REPORT_SCHEDULE_MAX_RECIPIENTS)`)
      .nullish(),
    webhookUrl: webhookUrl(webhook.allowPrivateNetworks).nullish(),
    formats: z.array(z.enum(ExportFormat)).nullish(),
  });
  const parsed = parseInput(schema, input, '');
  const recipients = [...new Set((parsed.recipients ?? []).map((r) => r.toLowerCase()))];
  if (recipients.length > 0 && !mail.smtpUrl) {
    throw badInput('recipients: email delivery is not set up on this server (SMTP_URL)', { field: 'recipients' });
  }
  const formats = parsed.formats?.length ? [...new Set(parsed.formats)] : DEFAULT_FORMATS;
  return { recipients, webhookUrl: parsed.webhookUrl || null, formats };
}

/** A webhook signing secret, Stripe-style: shown to the schedule's owner, used to check signatures. */
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

/** The schedules a caller may see and change: their own; every one for an ADMIN. */
const visibleTo = (who: Identity): Prisma.ReportScheduleWhereInput => (who.role === 'ADMIN' ? {} : createdBy(who));

export const canManage = (who: Identity | null, s: Pick<ReportSchedule, 'createdById' | 'createdByKeyId'>) =>
  !!who && (who.role === 'ADMIN' || (who.kind === 'user' ? s.createdById === who.id : s.createdByKeyId === who.id));

/** `reportSchedules`: the caller's own schedules (every one for an ADMIN), of live templates. */
export function listSchedules(
  prisma: PrismaClient,
  actor: Identity | null,
  args: { templateId?: string | null; limit?: number | null; offset?: number | null },
) {
  const who = requireRole(actor, 'VIEWER');
  if (args.templateId && !isUuid(args.templateId)) return [];
  return prisma.reportSchedule.findMany({
    where: { ...visibleTo(who), ...(args.templateId ? { templateId: args.templateId } : {}), template: { deletedAt: null } },
    orderBy: { createdAt: 'asc' },
    ...page(args),
  });
}

/** A schedule the caller manages; NOT_FOUND for one they may not see (its existence is theirs to know). */
async function managedSchedule(prisma: PrismaClient, actor: Identity | null, id: string) {
  const who = requireRole(actor, 'ANALYST', 'Changing a report schedule');
  const schedule = isUuid(id)
    ? await prisma.reportSchedule.findFirst({ where: { id, ...visibleTo(who) }, include: { template: true } })
    : null;
  if (!schedule || schedule.template.deletedAt) throw notFound('report schedule', id);
  return { who, schedule };
}

export interface UpdateScheduleInput extends DeliveryTargetsInput {
  cron?: string | null;
  timezone?: string | null;
  params?: unknown;
  paused?: boolean | null;
  enabled?: boolean | null;
  rotateWebhookSecret?: boolean | null;
}

/** Whether the schedule should run after the update: `paused` and `enabled` say the same, one inverted. */
function enabledAfter(input: UpdateScheduleInput, current: boolean): boolean {
  const paused = input.paused ?? null;
  const enabled = input.enabled ?? null;
  if (paused !== null && enabled !== null && paused === enabled) {
    throw badInput('input.paused: contradicts input.enabled; give one of them', { field: 'input.paused' });
  }
  return enabled ?? (paused === null ? current : !paused);
}

/**
 * `updateReportSchedule`: changes what is given. Pausing stops runs; resuming counts against
 * REPORT_SCHEDULES_PER_USER again and starts from the next occurrence after now (what was missed
 * while paused is not run). A new cron or time zone moves the next run.
 */
export async function updateSchedule(deps: ReportDeps, actor: Identity | null, id: string, input: UpdateScheduleInput, now = new Date()) {
  const { who, schedule } = await managedSchedule(deps.prisma, actor, id);
  const timing =
    input.cron != null || input.timezone != null ? parseSchedule(input.cron ?? schedule.cron, input.timezone ?? schedule.timezone) : null;
  if (timing) checkInterval(timing.cron, timing.timezone, deps.config.quotas.scheduleMinIntervalMinutes);
  const params = input.params !== undefined ? bindParameters(declared(schedule.template), input.params) : undefined;
  const targets = parseTargets(deps.config, {
    recipients: input.recipients ?? schedule.recipients,
    // An empty string removes the webhook.
    webhookUrl: input.webhookUrl === undefined || input.webhookUrl === null ? schedule.webhookUrl : input.webhookUrl || null,
    formats: input.formats ?? schedule.formats,
  });
  const enabled = enabledAfter(input, schedule.enabled);
  const cron = timing?.cron ?? schedule.cron;
  const timezone = timing?.timezone ?? schedule.timezone;
  const moves = timing || (enabled && !schedule.enabled);
  const secret =
    targets.webhookUrl && (input.rotateWebhookSecret || !schedule.webhookSecret)
      ? newWebhookSecret()
      : targets.webhookUrl
        ? schedule.webhookSecret
        : null;
  return deps.prisma.$transaction(async (tx) => {
    if (enabled && !schedule.enabled) await holdScheduleSlot(tx, who, deps.config.quotas.schedulesPerUser);
    const updated = await tx.reportSchedule.update({
      where: { id: schedule.id },
      data: {
        cron,
        timezone,
        enabled,
        ...(params !== undefined ? { params: params as Prisma.InputJsonValue } : {}),
        ...(moves ? { nextRunAt: nextRun(cron, timezone, now) } : {}),
        recipients: targets.recipients,
        webhookUrl: targets.webhookUrl,
        webhookSecret: secret,
        formats: targets.formats,
      },
    });
    await audit(
      tx,
      who,
      'report.schedule.update',
      { type: 'ReportSchedule', id: schedule.id },
      {
        enabled,
        cron,
        timezone,
        recipients: targets.recipients.length,
        webhook: targets.webhookUrl ? redactSecrets(targets.webhookUrl) : null,
        formats: targets.formats,
        rotatedSecret: secret !== schedule.webhookSecret,
      },
    );
    return updated;
  });
}

/** Deletes schedules (and cancels what they had still to deliver) in the caller's transaction. */
export async function removeSchedules(
  tx: Prisma.TransactionClient,
  where: Prisma.ReportScheduleWhereInput,
  reason: string,
): Promise<number> {
  const ids = (await tx.reportSchedule.findMany({ where, select: { id: true } })).map((s) => s.id);
  if (ids.length === 0) return 0;
  await tx.reportDelivery.updateMany({
    where: { scheduleId: { in: ids }, status: 'PENDING' },
    data: { status: 'CANCELLED', lastError: reason },
  });
  const { count } = await tx.reportSchedule.deleteMany({ where: { id: { in: ids } } });
  return count;
}

/** `deleteReportSchedule`: its runs stay (with their outcomes); deliveries not yet made are cancelled. */
export async function deleteSchedule(prisma: PrismaClient, actor: Identity | null, id: string): Promise<boolean> {
  const { who, schedule } = await managedSchedule(prisma, actor, id);
  await prisma.$transaction(async (tx) => {
    await removeSchedules(tx, { id: schedule.id }, 'the schedule was deleted');
    await audit(tx, who, 'report.schedule.delete', { type: 'ReportSchedule', id: schedule.id }, { templateId: schedule.templateId });
  });
  return true;
}
