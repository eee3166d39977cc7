// Reports: `report` serves a hot report from Redis or renders it; `runReport` always renders and
// keeps the run; `scheduleReport` runs one on a cron schedule (every templates replica ticks,
// each due occurrence is claimed by one of them, with its run and its deliveries recorded in the
// same transaction; deliveries.ts sends them). Runs a crash left RUNNING are swept: a scheduled
// one is rendered once more, any other fails.
import { Cron } from 'croner';
import { z } from 'zod';
import { audit } from '../../../lib/audit.js';
import { requireOwnerOrAdmin, requireRole, type Identity } from '../../../lib/auth/identity.js';
import type { Config } from '../../../lib/config.js';
import { badInput, ErrorCode, notFound, rateLimited, ReportGraphError } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/logger.js';
import type { Prisma, PrismaClient, ReportRun, ReportTemplate } from '../../../lib/prisma.js';
import { createRateLimiter, type RateLimiter } from '../../../lib/rateLimit.js';
import type { Redis } from '../../../lib/redis.js';
import type pg from 'pg';
import { isUuid, parseInput } from '../../../lib/validation.js';
import { bindParameters, cacheKey, checkSectionCount, render, type RenderDeps, type ReportCache, type RenderedReport } from './render.js';
import { recordDeliveries } from './deliveries.js';
import type { ReportHeads } from './reportHeads.js';
import { newWebhookSecret, parseTargets, removeSchedules, type DeliveryTargetsInput } from './schedules.js';
import type { ServedModels } from '../../../models/runtime/servedModels.js';
import type { Parameter } from './sections.js';
import { redactSecrets } from '../../../lib/network.js';

export interface ReportDeps {
  prisma: PrismaClient;
  /** Where section queries run: the dataset-query pool, apart from metadata. */
  queryPool: pg.Pool;
  redis: Redis;
  /** Hot reports: Redis with a copy in this process's memory. */
  reportCache: ReportCache;
  config: Config;
  /** The registry's models for CHART sections (the templates subgraph's own engine). */
  models?: ServedModels;
}

export async function liveTemplate(prisma: PrismaClient, id: string): Promise<ReportTemplate> {
  const t = isUuid(id) ? await prisma.reportTemplate.findFirst({ where: { id, deletedAt: null } }) : null;
  if (!t) throw notFound('template', id);
  return t;
}

export const renderDeps = ({ prisma, queryPool, config, models }: ReportDeps): RenderDeps => ({
  prisma,
  models,
  pool: queryPool,
  maxRows: config.datasets.queryMaxRows,
  timeoutMs: config.datasets.queryTimeoutMs,
  maxSections: config.quotas.reportMaxSections,
  maxReportRows: config.quotas.reportMaxRows,
  concurrency: config.quotas.reportSectionConcurrency,
});
export const declared = (t: Pick<ReportTemplate, 'parameters'>) =>
  Array.isArray(t.parameters) ? (t.parameters as unknown as Parameter[]) : [];

/** The rows a caller's quota counts: a user's own, or an API key's. */
export const createdBy = (who: Identity) => (who.kind === 'user' ? { createdById: who.id } : { createdByKeyId: who.id });

type MakerLookup = Pick<PrismaClient, 'user' | 'apiKey'> | Prisma.TransactionClient;

/** A user or API key as they are now: null when disabled, revoked or gone. */
export async function currentIdentity(db: MakerLookup, sub: { kind: Identity['kind']; id: string }): Promise<Identity | null> {
  if (sub.kind === 'user') {
    const user = await db.user.findUnique({ where: { id: sub.id }, select: { username: true, role: true, disabledAt: true } });
    return user && !user.disabledAt ? { id: sub.id, kind: 'user', name: user.username, role: user.role } : null;
  }
  const key = await db.apiKey.findUnique({ where: { id: sub.id }, select: { name: true, role: true, revokedAt: true } });
  return key && !key.revokedAt ? { id: sub.id, kind: 'apiKey', name: key.name, role: key.role } : null;
}

/**
 * Whether whoever made something that acts on its own later (a schedule, a public link) may still
 * act: a user not disabled, an API key not revoked. What no one is recorded as making stays active.
 */
export async function makerActive(db: MakerLookup, made: { createdById: string | null; createdByKeyId: string | null }): Promise<boolean> {
  if (made.createdById) return !!(await currentIdentity(db, { kind: 'user', id: made.createdById }));
  if (made.createdByKeyId) return !!(await currentIdentity(db, { kind: 'apiKey', id: made.createdByKeyId }));
  return true;
}

/**
 * A hot report: from the cache when the template, the data and the parameters are unchanged. A
 * hit reads only memory (the template's and dataset's current versions, the report's copy) or,
 * for a report this process has not held yet, Redis.
 */
export async function report(
  deps: ReportDeps & { reportHeads: ReportHeads },
  actor: Identity | null,
  templateId: string,
  rawParams: unknown,
): Promise<RenderedReport> {
  return (await hotReport(deps, actor, templateId, rawParams)).report;
}

/** `report`, with the dataset version it was rendered on (printed on exports). */
export async function hotReport(
  deps: ReportDeps & { reportHeads: ReportHeads },
  actor: Identity | null,
  templateId: string,
  rawParams: unknown,
): Promise<{ report: RenderedReport; dataVersionId: string }> {
  requireRole(actor, 'VIEWER');
  const head = isUuid(templateId) ? await deps.reportHeads.get(templateId) : null;
  if (!head) throw notFound('template', templateId);
  const params = bindParameters(head.parameters as Parameter[], rawParams);
  if (!head.dataVersionId) throw badInput("the template's dataset has no data yet", { field: 'templateId' });
  const hit = await deps.reportCache.read(cacheKey(head, head.dataVersionId, params));
  if (hit) return { report: hit, dataVersionId: head.dataVersionId };
  const template = await liveTemplate(deps.prisma, templateId);
  const { report: fresh, dataVersionId } = await render(renderDeps(deps), template, params);
  await deps.reportCache.write(cacheKey(template, dataVersionId, params), fresh);
  return { report: fresh, dataVersionId };
}

/** Renders a recorded run and stores its outcome (and refreshes the cache); rethrows a failure. */
async function finishRun(deps: ReportDeps, runId: string, template: ReportTemplate, params: Record<string, unknown>): Promise<ReportRun> {
  try {
    const { report: fresh, dataVersionId } = await render(renderDeps(deps), template, params);
    await deps.reportCache.write(cacheKey(template, dataVersionId, params), fresh);
    return await deps.prisma.reportRun.update({
      where: { id: runId },
      data: {
        status: 'SUCCEEDED',
        result: fresh as unknown as Prisma.InputJsonValue,
        dataVersionId,
        durationMs: Math.round(fresh.durationMs),
        finishedAt: new Date(),
      },
    });
  } catch (err) {
    await deps.prisma.reportRun.update({
      where: { id: runId },
      data: { status: 'FAILED', error: (err as Error).message, finishedAt: new Date() },
    });
    throw err;
  }
}

/** Renders now and stores the run; a template over REPORT_MAX_SECTIONS is refused before any run is recorded. */
/** One limiter per Redis connection: its batched reservations are per process. */
const runLimiters = new WeakMap<Redis, RateLimiter>();

export async function runReport(deps: ReportDeps, actor: Identity | null, templateId: string, rawParams: unknown): Promise<ReportRun> {
  const who = requireRole(actor, 'VIEWER');
  // Each run stores its whole result: a caller's runs by hand are budgeted, as Redis counts them across replicas.
  const perHour = deps.config.quotas.reportRunsPerHour;
  if (perHour > 0) {
    let limiter = runLimiters.get(deps.redis);
    if (!limiter) runLimiters.set(deps.redis, (limiter = createRateLimiter(deps.redis)));
    const verdict = await limiter.check(`report-runs:${who.kind}:${who.id}`, perHour, 3600);
    if (!verdict.allowed) {
      throw rateLimited(`At most ${perHour} report runs an hour (REPORT_RUNS_PER_HOUR)`, 'REPORT_RUNS_PER_HOUR', verdict.retryAfterSeconds);
    }
  }
  const template = await liveTemplate(deps.prisma, templateId);
  checkSectionCount(template, deps.config.quotas.reportMaxSections);
  const params = bindParameters(declared(template), rawParams);
  const run = await deps.prisma.reportRun.create({
    data: {
      templateId,
      templateVersion: template.version,
      params: params as Prisma.InputJsonValue,
      status: 'RUNNING',
      createdById: actor?.kind === 'user' ? actor.id : null,
    },
  });
  return finishRun(deps, run.id, template, params);
}

/** An IANA time zone the runtime knows (`Asia/Shanghai`, `UTC`). */
const timeZone = z.string().superRefine((tz, ctx) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(tz)} is not a known time zone (use an IANA name such as Asia/Shanghai)` });
  }
});

const scheduleSchema = z.object({
  cron: z.string().trim().min(1),
  timezone: timeZone.default('UTC'),
});

/** The next run of a cron schedule strictly after `after`, in `timezone`; null when it never runs. */
export function nextRun(cron: string, timezone: string, after = new Date()): Date | null {
  return new Cron(cron, { timezone, paused: true }).nextRun(after);
}

/** Runs looked at for a schedule's shortest gap: enough to meet the short one in `0,5 9 * * *`. */
const GAP_SAMPLE = 10;

/** The shortest gap, in ms, between the next `count` runs of a schedule; Infinity when it runs at most once. */
export function shortestGap(cron: string, timezone: string, after = new Date(), count = GAP_SAMPLE): number {
  let shortest = Infinity;
  let previous = nextRun(cron, timezone, after);
  for (let i = 1; previous && i < count; i++) {
    const next = nextRun(cron, timezone, previous);
    if (next) shortest = Math.min(shortest, next.getTime() - previous.getTime());
    previous = next;
  }
  return shortest;
}

/** A schedule that fires more often than REPORT_SCHEDULE_MIN_INTERVAL_MINUTES renders for nobody: refused. */
export function checkInterval(cron: string, timezone: string, minMinutes: number): void {
  const gap = shortestGap(cron, timezone);
  if (gap >= minMinutes * 60_000) return;
  const seconds = Math.round(gap / 1000);
  const shown = seconds % 60 === 0 ? `${seconds / 60} minute(s)` : `${seconds} second(s)`;
  throw badInput(
    `cron: runs ${shown} apart; report schedules must be at least ${minMinutes} minutes apart (REPORT_SCHEDULE_MIN_INTERVAL_MINUTES)`,
    { field: 'cron', limit: 'REPORT_SCHEDULE_MIN_INTERVAL_MINUTES' },
  );
}

/**
 * Refuses a caller who already has `limit` live schedules. It runs in the transaction that stores
 * the schedule, under a lock per caller, so a burst of requests cannot all pass the same count.
 */
export async function holdScheduleSlot(tx: Prisma.TransactionClient, who: Identity, limit: number): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('report-schedules'), hashtext(${who.id}))`;
  const owned = await tx.reportSchedule.count({ where: { ...createdBy(who), enabled: true, template: { deletedAt: null } } });
  if (owned < limit) return;
  throw new ReportGraphError(
    ErrorCode.FORBIDDEN,
    `You have ${owned} report schedules, the most one caller may have (REPORT_SCHEDULES_PER_USER = ${limit})`,
    { limit: 'REPORT_SCHEDULES_PER_USER' },
  );
}

/** Validates the cron and time zone; resolves to them with the schedule's first run. */
export function parseSchedule(rawCron: string, rawTimezone: string | null | undefined) {
  const { cron, timezone } = parseInput(scheduleSchema, { cron: rawCron, timezone: rawTimezone ?? undefined }, '');
  let next: Date | null;
  try {
    next = nextRun(cron, timezone);
  } catch (err) {
    throw badInput(`cron: ${(err as Error).message}`, { field: 'cron' });
  }
  if (!next) throw badInput('cron: the schedule never runs', { field: 'cron' });
  return { cron, timezone, next };
}

/**
 * Runs the template on a cron schedule: the owner or an ADMIN, at most REPORT_SCHEDULES_PER_USER
 * schedules each, runs at least REPORT_SCHEDULE_MIN_INTERVAL_MINUTES apart. Each run is delivered
 * to `targets` (email recipients, a webhook, in `formats`).
 */
export async function scheduleReport(
  deps: ReportDeps,
  actor: Identity | null,
  templateId: string,
  rawCron: string,
  rawParams: unknown,
  rawTimezone?: string | null,
  rawTargets: DeliveryTargetsInput = {},
) {
  const template = await liveTemplate(deps.prisma, templateId);
  const who = requireOwnerOrAdmin(actor, template.ownerId, 'template');
  const { cron, timezone, next } = parseSchedule(rawCron, rawTimezone);
  checkInterval(cron, timezone, deps.config.quotas.scheduleMinIntervalMinutes);
  const params = bindParameters(declared(template), rawParams);
  const targets = parseTargets(deps.config, rawTargets);
  return deps.prisma.$transaction(async (tx) => {
    await holdScheduleSlot(tx, who, deps.config.quotas.schedulesPerUser);
    const schedule = await tx.reportSchedule.create({
      data: {
        templateId,
        cron,
        timezone,
        params: params as Prisma.InputJsonValue,
        nextRunAt: next,
        ...targets,
        webhookSecret: targets.webhookUrl ? newWebhookSecret() : null,
        ...createdBy(who),
      },
    });
    await audit(
      tx,
      who,
      'report.schedule',
      { type: 'ReportSchedule', id: schedule.id },
      {
        templateId,
        cron,
        timezone,
        recipients: targets.recipients.length,
        webhook: targets.webhookUrl ? redactSecrets(targets.webhookUrl) : null,
        formats: targets.formats,
      },
    );
    return schedule;
  });
}

/** A claimed occurrence whose run is recorded RUNNING and waits to be rendered. */
interface ClaimedRun {
  runId: string;
  template: ReportTemplate;
  params: Record<string, unknown>;
}

interface DueSchedule {
  id: string;
  templateId: string;
  cron: string;
  timezone: string;
  params: unknown;
  nextRunAt: Date;
  recipients: string[];
  webhookUrl: string | null;
  createdById: string | null;
  createdByKeyId: string | null;
}

/**
 * Records the run of one occurrence, once: the unique (scheduleId, scheduledFor) key makes a
 * second claim of the same occurrence record nothing. Parameters the template no longer accepts
 * make a FAILED run, so the schedule moves on instead of failing on every tick.
 */
async function recordOccurrence(tx: Prisma.TransactionClient, due: DueSchedule, template: ReportTemplate): Promise<ClaimedRun | null> {
  let params: Record<string, unknown> = {};
  let error: string | null = null;
  try {
    params = bindParameters(declared(template), due.params);
  } catch (err) {
    error = (err as Error).message;
  }
  const [run] = await tx.reportRun.createManyAndReturn({
    data: {
      templateId: template.id,
      templateVersion: template.version,
      params: (error ? due.params : params) as Prisma.InputJsonValue,
      status: error ? 'FAILED' : 'RUNNING',
      error,
      finishedAt: error ? new Date() : null,
      scheduleId: due.id,
      scheduledFor: due.nextRunAt,
    },
    skipDuplicates: true,
    select: { id: true },
  });
  // Recorded with the run: a crash after this commit leaves deliveries to make, never lost ones.
  if (run) await recordDeliveries(tx, due, run.id, new Date());
  return run && !error ? { runId: run.id, template, params } : null;
}

/**
 * Claims the most overdue occurrence of any schedule, in one transaction: the schedule moves on and
 * the occurrence's run is recorded together, so a crash after the commit leaves a RUNNING run for
 * the sweep, never a lost occurrence. Resolves to null when nothing is due, else to the run to
 * render (null when there is nothing to render: already recorded, bad parameters, template gone).
 */
export async function claimDueOccurrence(deps: ReportDeps, now = new Date()): Promise<{ run: ClaimedRun | null; paused?: string } | null> {
  return deps.prisma.$transaction(async (tx) => {
    const [due] = await tx.$queryRaw<DueSchedule[]>`
      SELECT id, "templateId", cron, timezone, params, "nextRunAt", recipients, "webhookUrl", "createdById", "createdByKeyId"
      FROM "ReportSchedule"
      WHERE enabled AND "nextRunAt" <= ${now} ORDER BY "nextRunAt" LIMIT 1 FOR UPDATE SKIP LOCKED`;
    if (!due) return null;
    const template = await tx.reportTemplate.findFirst({ where: { id: due.templateId, deletedAt: null } });
    if (!template) {
      // Deleting a template removes its schedules; one left from before that rule goes now.
      await removeSchedules(tx, { id: due.id }, 'the template was deleted');
      return { run: null };
    }
    if (!(await makerActive(tx, due))) {
      // Its maker was disabled (or its key revoked): it sends nothing in their name. Paused, not
      // deleted — an ADMIN may resume it or give the report to someone else.
      await tx.reportSchedule.update({ where: { id: due.id }, data: { enabled: false } });
      return { run: null, paused: due.id };
    }
    await tx.reportSchedule.update({ where: { id: due.id }, data: { lastRunAt: now, nextRunAt: nextRun(due.cron, due.timezone, now) } });
    return { run: await recordOccurrence(tx, due, template) };
  });
}

/** Runs the occurrences that are due; each is claimed by one process (row lock, SKIP LOCKED). */
export async function runDueSchedules(deps: ReportDeps, logger: Logger, now = new Date()): Promise<number> {
  let ran = 0;
  for (let claimed = await claimDueOccurrence(deps, now); claimed; claimed = await claimDueOccurrence(deps, now)) {
    ran++;
    const { run, paused } = claimed;
    if (paused) logger.warn({ scheduleId: paused }, 'report schedule paused: whoever made it is disabled or their API key revoked');
    if (!run) continue;
    await finishRun(deps, run.runId, run.template, run.params).catch((err) =>
      logger.warn({ runId: run.runId, err: (err as Error).message }, 'scheduled report failed'),
    );
  }
  return ran;
}

/** How often a cluster sweeps report runs left RUNNING. */
export const SWEEP_SECONDS = 60;

/** Renders a scheduled run gets before the sweep gives up on it. */
const MAX_SCHEDULED_ATTEMPTS = 2;

/**
 * Report runs RUNNING longer than STUCK_WORK_MINUTES, whose process died: a scheduled one is
 * rendered once more (its occurrence is claimed, so nothing else would run it), any other — and a
 * scheduled one already retried — is marked FAILED. Each fix is logged on one line.
 */
export async function sweepStuckRuns(deps: ReportDeps, logger: Logger, now = new Date()): Promise<{ retried: number; failed: number }> {
  const minutes = deps.config.quotas.stuckWorkMinutes;
  const stuck = { status: 'RUNNING' as const, startedAt: { lt: new Date(now.getTime() - minutes * 60_000) } };
  // Taken first: their new startedAt keeps them out of the update below.
  const retries = await deps.prisma.reportRun.updateManyAndReturn({
    where: { ...stuck, scheduleId: { not: null }, attempts: { lt: MAX_SCHEDULED_ATTEMPTS } },
    data: { attempts: { increment: 1 }, startedAt: now },
  });
  const error = `the process rendering this report stopped before it finished (RUNNING for over ${minutes} minutes, STUCK_WORK_MINUTES)`;
  const failed = await deps.prisma.reportRun.updateManyAndReturn({
    where: stuck,
    data: { status: 'FAILED', error, finishedAt: now },
    select: { id: true, scheduleId: true },
  });
  for (const run of failed) logger.warn({ runId: run.id, scheduleId: run.scheduleId }, `report run marked FAILED: ${error}`);
  for (const run of retries) await retryRun(deps, logger, run);
  return { retried: retries.length, failed: failed.length };
}

/** Renders a swept scheduled run again, on its template as it is now. */
async function retryRun(deps: ReportDeps, logger: Logger, run: ReportRun): Promise<void> {
  logger.info(
    { runId: run.id, scheduleId: run.scheduleId, attempt: run.attempts },
    'scheduled report run left RUNNING: rendering it again',
  );
  try {
    const template = await liveTemplate(deps.prisma, run.templateId);
    await deps.prisma.reportRun.update({ where: { id: run.id }, data: { templateVersion: template.version } });
    await finishRun(deps, run.id, template, bindParameters(declared(template), run.params));
  } catch (err) {
    const message = (err as Error).message;
    // finishRun records its own failures; a missing template or parameters it no longer takes end here.
    await deps.prisma.reportRun.updateMany({
      where: { id: run.id, status: 'RUNNING' },
      data: { status: 'FAILED', error: message, finishedAt: new Date() },
    });
    logger.warn({ runId: run.id, err: message }, 'retried report run failed');
  }
}

export type ReportRunRow = Awaited<ReturnType<typeof runReport>>;
