// Delivering scheduled runs, at least once. A due occurrence records one delivery per channel
// (email, webhook) in the transaction that claims it, so no crash can lose one. Any replica then
// claims a due delivery (`FOR UPDATE SKIP LOCKED`) and leases it by moving `nextAttemptAt` past
// the attempt's longest duration, so two replicas never send the same one at once; a replica that
// dies mid-attempt leaves it to be tried again when the lease ends. Failures are retried with
// exponential backoff (DELIVERY_RETRY_BASE_SECONDS, doubling) up to DELIVERY_MAX_ATTEMPTS; every
// attempt is logged with what the receiver answered. Receivers de-duplicate by the delivery id
// (the webhook's `X-ReportGraph-Delivery`, the email's Message-ID).
import type { Logger } from '../../../lib/logger.js';
import type { DeliveryChannel, Prisma, ReportDelivery, ReportRun, ReportSchedule } from '../../../lib/prisma.js';
import { redactSecrets } from '../../../lib/network.js';
import type { RenderedReport } from './render.js';
import { runExportUrl, reportPageUrl, signLink, type LinkSubject } from './links.js';
import type { ReportDeps } from './reports.js';
import type { DeliveryServices } from '../delivery/services.js';
import { mailBody, summarize } from '../delivery/summary.js';
import type { SendOutcome } from '../delivery/mail.js';
import { fileStem, type ReportDocument } from '../export/document.js';
import { exportFile } from '../export/files.js';
import { FORMATS, type ExportFormat } from '../export/formats.js';
import { storedDocument } from '../export/sources.js';
import type { DownloadClaims } from './exports.js';

export type DeliveryDeps = ReportDeps & DeliveryServices;

/**
 * How long one attempt may take before another replica may try again: a PDF to print, files to
 * attach, an SMTP or HTTP exchange. Attempts are bounded well inside it by PDF_TIMEOUT_MS and
 * WEBHOOK_TIMEOUT_MS; the lease must outlast them, or a slow attempt could be doubled.
 */
export const LEASE_MS = 10 * 60_000;

/** Records the deliveries of a run just claimed, in the claiming transaction. */
export async function recordDeliveries(
  tx: Prisma.TransactionClient,
  schedule: Pick<ReportSchedule, 'id' | 'recipients' | 'webhookUrl'>,
  runId: string,
  now: Date,
): Promise<void> {
  const data: Prisma.ReportDeliveryCreateManyInput[] = [];
  if (schedule.recipients.length > 0)
    data.push({ runId, scheduleId: schedule.id, channel: 'EMAIL', target: schedule.recipients, nextAttemptAt: now });
  if (schedule.webhookUrl) {
    data.push({ runId, scheduleId: schedule.id, channel: 'WEBHOOK', target: [redactSecrets(schedule.webhookUrl)], nextAttemptAt: now });
  }
  if (data.length > 0) await tx.reportDelivery.createMany({ data, skipDuplicates: true });
}

/** The wait before attempt `attempts + 1`: base × 2^(attempts − 1), plus up to 10% so retries spread. */
export function backoffMs(attempts: number, baseSeconds: number, random = Math.random): number {
  const wait = baseSeconds * 1000 * 2 ** Math.max(0, attempts - 1);
  return Math.round(wait * (1 + random() * 0.1));
}

/**
 * Claims the most overdue delivery whose run is finished, leasing it (one more attempt counted);
 * null when none is due.
 */
async function claimDelivery(deps: ReportDeps, now: Date): Promise<ReportDelivery | null> {
  const [claimed] = await deps.prisma.$queryRaw<ReportDelivery[]>`
    UPDATE "ReportDelivery" SET "nextAttemptAt" = ${new Date(now.getTime() + LEASE_MS)}, attempts = attempts + 1
    WHERE id = (
      SELECT d.id FROM "ReportDelivery" d JOIN "ReportRun" r ON r.id = d."runId"
      WHERE d.status = 'PENDING' AND d."nextAttemptAt" <= ${now} AND r.status <> 'RUNNING'
        AND d.attempts < ${deps.config.reports.delivery.maxAttempts}
      ORDER BY d."nextAttemptAt" LIMIT 1 FOR UPDATE OF d SKIP LOCKED)
    RETURNING *`;
  return claimed ?? null;
}

/**
 * Deliveries whose every attempt ended with its process (the lease ran out with no outcome
 * recorded, DELIVERY_MAX_ATTEMPTS times): given up, so a delivery that kills its sender is not
 * tried for ever.
 */
async function giveUpOnLostAttempts(deps: ReportDeps, logger: Logger, now: Date): Promise<void> {
  const lost = await deps.prisma.reportDelivery.updateManyAndReturn({
    where: { status: 'PENDING', nextAttemptAt: { lte: now }, attempts: { gte: deps.config.reports.delivery.maxAttempts } },
    data: { status: 'FAILED', lastError: 'every attempt stopped with the process making it (DELIVERY_MAX_ATTEMPTS)' },
    select: { id: true, runId: true },
  });
  for (const d of lost) logger.warn({ deliveryId: d.id, runId: d.runId }, 'report delivery given up: its attempts never finished');
}

/** The day and time of an occurrence where the schedule lives: `2026-12-01 08:00 (Asia/Shanghai)`. */
export function occurrenceLabel(at: Date, timezone: string): { day: string; when: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  return { day, when: `${day} ${parts.hour}:${parts.minute} (${timezone})` };
}

/** Who a schedule's download links act for: its creator, while they still exist. */
async function creatorOf(deps: ReportDeps, schedule: ReportSchedule): Promise<LinkSubject | null> {
  if (schedule.createdById) {
    const u = await deps.prisma.user.findUnique({ where: { id: schedule.createdById } });
    return u ? { id: u.id, kind: 'user', role: u.role, name: u.username } : null;
  }
  if (schedule.createdByKeyId) {
    const k = await deps.prisma.apiKey.findUnique({ where: { id: schedule.createdByKeyId } });
    return k ? { id: k.id, kind: 'apiKey', role: k.role, name: k.name } : null;
  }
  return null;
}

/** Signed links to the run's report in each format, valid DELIVERY_LINK_TTL_SECONDS. */
function fileLinks(deps: ReportDeps, run: ReportRun, subject: LinkSubject | null, formats: ExportFormat[], now: Date) {
  const { publicUrl, linkSecret, delivery } = deps.config.reports;
  if (!subject) return {};
  const exp = now.getTime() + delivery.linkTtlSeconds * 1000;
  return Object.fromEntries(
    formats.map((f) => {
      const claims: DownloadClaims = { sub: subject, id: run.id, f, exp };
      return [f, runExportUrl(publicUrl, run.id, FORMATS[f].ext, signLink('run-export', claims, linkSecret))];
    }),
  );
}

interface Occurrence {
  delivery: ReportDelivery;
  run: ReportRun;
  schedule: ReportSchedule;
  doc: ReportDocument | null;
  templateName: string;
  now: Date;
}

async function sendEmail(deps: DeliveryDeps, o: Occurrence): Promise<SendOutcome> {
  if (!deps.mailer)
    return { ok: false, responseCode: null, error: 'email delivery is not set up on this server (SMTP_URL)', permanent: true };
  const { day, when } = occurrenceLabel(o.run.scheduledFor ?? o.run.createdAt, o.schedule.timezone);
  const stem = `${fileStem(o.doc!.name)}-${day}`;
  const links = fileLinks(deps, o.run, await creatorOf(deps, o.schedule), o.schedule.formats, o.now);
  const attachments = [];
  const linked = [];
  for (const format of o.schedule.formats) {
    const filename = `${stem}.${FORMATS[format].ext}`;
    const content = await exportFile(deps, o.doc!, format);
    // Too large to attach: linked instead, so the email still arrives (mail servers refuse large messages).
    if (content.length <= deps.config.reports.mail.maxAttachmentBytes)
      attachments.push({ filename, content, contentType: FORMATS[format].contentType });
    else if (links[format]) linked.push({ name: filename, url: links[format] });
  }
  const body = mailBody(o.doc!, when, {
    report: reportPageUrl(deps.config.reports.publicUrl, o.run.templateId, o.doc!.params),
    files: linked,
  });
  return deps.mailer.send({ to: o.delivery.target, ...body, attachments, deliveryId: o.delivery.id });
}

/** The webhook's JSON event: what ran, its KPIs and narratives, links to the report and its files. */
async function webhookEvent(deps: ReportDeps, o: Occurrence) {
  const succeeded = o.run.status === 'SUCCEEDED';
  return {
    id: o.delivery.id,
    type: succeeded ? 'report.delivered' : 'report.failed',
    createdAt: o.now.toISOString(),
    schedule: { id: o.schedule.id, cron: o.schedule.cron, timezone: o.schedule.timezone },
    run: {
      id: o.run.id,
      status: o.run.status,
      scheduledFor: o.run.scheduledFor?.toISOString() ?? null,
      durationMs: o.run.durationMs,
      error: o.run.error,
    },
    report: {
      templateId: o.run.templateId,
      name: o.templateName,
      params: o.run.params,
      ...(o.doc ? { generatedAt: o.doc.generatedAt, dataVersion: o.doc.dataVersion, ...summarize(o.doc) } : {}),
    },
    links: {
      report: reportPageUrl(deps.config.reports.publicUrl, o.run.templateId, (o.run.params ?? {}) as Record<string, unknown>),
      files: succeeded ? fileLinks(deps, o.run, await creatorOf(deps, o.schedule), o.schedule.formats, o.now) : {},
    },
  };
}

async function sendWebhook(deps: DeliveryDeps, o: Occurrence): Promise<SendOutcome> {
  const event = await webhookEvent(deps, o);
  return deps.webhooks.send({
    url: o.schedule.webhookUrl!,
    secret: o.schedule.webhookSecret!,
    event: event.type,
    deliveryId: o.delivery.id,
    body: JSON.stringify(event),
    now: o.now,
  });
}

const CANCELLED = Symbol('cancelled');
type Attempt = SendOutcome | { [CANCELLED]: string };

/** One attempt at a claimed delivery; never throws (a failure is an outcome to record). */
async function attempt(deps: DeliveryDeps, delivery: ReportDelivery, now: Date): Promise<Attempt> {
  const [run, schedule] = await Promise.all([
    deps.prisma.reportRun.findUniqueOrThrow({ where: { id: delivery.runId }, include: { template: { select: { name: true } } } }),
    deps.prisma.reportSchedule.findUnique({ where: { id: delivery.scheduleId } }),
  ]);
  if (!schedule) return { [CANCELLED]: 'the schedule was deleted' };
  const channel: DeliveryChannel = delivery.channel;
  if (channel === 'WEBHOOK' && !schedule.webhookUrl) return { [CANCELLED]: 'the schedule no longer has a webhook' };
  if (channel === 'EMAIL' && run.status !== 'SUCCEEDED') return { [CANCELLED]: `the report failed: ${run.error ?? 'no result'}` };
  try {
    const doc =
      run.status === 'SUCCEEDED' && run.result
        ? await storedDocument(deps.prisma, run.template.name, run.result as unknown as RenderedReport, run.dataVersionId)
        : null;
    const occurrence = { delivery, run, schedule, doc, templateName: run.template.name, now };
    return channel === 'EMAIL' ? await sendEmail(deps, occurrence) : await sendWebhook(deps, occurrence);
  } catch (err) {
    return { ok: false, responseCode: null, error: (err as Error).message, permanent: false };
  }
}

/** Records an attempt's outcome: delivered, retried later, or given up (FAILED, CANCELLED). */
async function recordOutcome(deps: ReportDeps, delivery: ReportDelivery, outcome: Attempt, startedAt: Date, durationMs: number, now: Date) {
  const { maxAttempts, retryBaseSeconds } = deps.config.reports.delivery;
  const cancelled = CANCELLED in outcome ? outcome[CANCELLED] : null;
  const sent = cancelled === null ? (outcome as SendOutcome) : null;
  const giveUp = !!sent && !sent.ok && (sent.permanent || delivery.attempts >= maxAttempts);
  const data: Prisma.ReportDeliveryUpdateInput = cancelled
    ? { status: 'CANCELLED', lastError: cancelled }
    : sent!.ok
      ? { status: 'DELIVERED', deliveredAt: now, lastError: null }
      : giveUp
        ? { status: 'FAILED', lastError: sent!.error }
        : { lastError: sent!.error, nextAttemptAt: new Date(now.getTime() + backoffMs(delivery.attempts, retryBaseSeconds)) };
  await deps.prisma.$transaction([
    deps.prisma.reportDelivery.update({ where: { id: delivery.id }, data }),
    deps.prisma.deliveryAttempt.create({
      data: {
        deliveryId: delivery.id,
        attempt: delivery.attempts,
        startedAt,
        durationMs,
        ok: !!sent?.ok,
        responseCode: sent?.responseCode ?? null,
        error: cancelled ?? sent!.error,
      },
    }),
  ]);
  return { delivered: !!sent?.ok, gaveUp: giveUp };
}

/**
 * Makes every delivery due at `now` (each claimed by one replica), oldest first; resolves to how
 * many were attempted. Tests pass a fixed `now` to walk through retries.
 */
export async function runDueDeliveries(deps: DeliveryDeps, logger: Logger, now = new Date()): Promise<number> {
  await giveUpOnLostAttempts(deps, logger, now);
  let attempted = 0;
  for (let delivery = await claimDelivery(deps, now); delivery; delivery = await claimDelivery(deps, now)) {
    attempted++;
    const startedAt = new Date();
    const outcome = await attempt(deps, delivery, now);
    const { delivered, gaveUp } = await recordOutcome(deps, delivery, outcome, startedAt, Date.now() - startedAt.getTime(), now);
    const log = { deliveryId: delivery.id, runId: delivery.runId, channel: delivery.channel, attempt: delivery.attempts };
    if (delivered) logger.info(log, 'report delivered');
    else if (gaveUp) logger.warn({ ...log, error: (outcome as SendOutcome).error }, 'report delivery failed for good');
    else if (!(CANCELLED in outcome)) logger.warn({ ...log, error: outcome.error }, 'report delivery failed; will retry');
  }
  return attempted;
}

/** A run's deliveries taken together, for `ReportRun.deliveryStatus`. */
export function runDeliveryStatus(
  deliveries: Array<Pick<ReportDelivery, 'status'>>,
): 'NONE' | 'PENDING' | 'DELIVERED' | 'PARTIAL' | 'FAILED' {
  if (deliveries.length === 0) return 'NONE';
  if (deliveries.some((d) => d.status === 'PENDING')) return 'PENDING';
  const delivered = deliveries.filter((d) => d.status === 'DELIVERED').length;
  if (delivered === deliveries.length) return 'DELIVERED';
  return delivered > 0 ? 'PARTIAL' : 'FAILED';
}
