// Reports: `report` serves a hot report from Redis or renders it; `runReport` always renders and
// keeps the run; `scheduleReport` runs one on a cron schedule (every templates replica ticks,
// each due schedule is taken by one of them).
import { Cron } from 'croner';
import { z } from 'zod';
import { audit } from '../../../lib/audit.js';
import { requireOwnerOrAdmin, requireRole, type Identity } from '../../../lib/auth/identity.js';
import type { Config } from '../../../lib/config.js';
import { badInput, notFound } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/logger.js';
import type { Prisma, PrismaClient, ReportTemplate } from '../../../lib/prisma.js';
import type { Redis } from '../../../lib/redis.js';
import type pg from 'pg';
import { isUuid, parseInput } from '../../../lib/validation.js';
import { bindParameters, cacheKey, readCache, render, writeCache, type RenderedReport } from './render.js';
import type { ReportHeads } from './reportHeads.js';
import type { Parameter } from './sections.js';

export interface ReportDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
  redis: Redis;
  config: Config;
}

async function liveTemplate(prisma: PrismaClient, id: string): Promise<ReportTemplate> {
  const t = isUuid(id) ? await prisma.reportTemplate.findFirst({ where: { id, deletedAt: null } }) : null;
  if (!t) throw notFound('template', id);
  return t;
}

const renderDeps = (deps: ReportDeps) => ({
  prisma: deps.prisma,
  pool: deps.pool,
  maxRows: deps.config.datasets.queryMaxRows,
  timeoutMs: deps.config.datasets.queryTimeoutMs,
});
const declared = (t: ReportTemplate) => (Array.isArray(t.parameters) ? (t.parameters as unknown as Parameter[]) : []);

/**
 * A hot report: from the cache when the template, the data and the parameters are unchanged. A
 * hit reads only memory (the template's and dataset's current versions) and Redis.
 */
export async function report(
  deps: ReportDeps & { reportHeads: ReportHeads },
  actor: Identity | null,
  templateId: string,
  rawParams: unknown,
): Promise<RenderedReport> {
  requireRole(actor, 'VIEWER');
  const head = isUuid(templateId) ? await deps.reportHeads.get(templateId) : null;
  if (!head) throw notFound('template', templateId);
  const params = bindParameters(head.parameters as Parameter[], rawParams);
  if (!head.dataVersionId) throw badInput("the template's dataset has no data yet", { field: 'templateId' });
  const hit = await readCache(deps.redis, cacheKey(head, head.dataVersionId, params));
  if (hit) return hit;
  const template = await liveTemplate(deps.prisma, templateId);
  const { report: fresh, dataVersionId } = await render(renderDeps(deps), template, params);
  await writeCache(deps.redis, cacheKey(template, dataVersionId, params), fresh, deps.config.reportCacheTtlSeconds);
  return fresh;
}

/** Renders now, stores the run (and refreshes the cache). */
export async function runReport(
  deps: ReportDeps,
  actor: Identity | null,
  templateId: string,
  rawParams: unknown,
  scheduleId: string | null = null,
) {
  if (!scheduleId) requireRole(actor, 'VIEWER');
  const template = await liveTemplate(deps.prisma, templateId);
  const params = bindParameters(declared(template), rawParams);
  const run = await deps.prisma.reportRun.create({
    data: {
      templateId,
      templateVersion: template.version,
      params: params as Prisma.InputJsonValue,
      status: 'RUNNING',
      createdById: actor?.kind === 'user' ? actor.id : null,
      scheduleId,
    },
  });
  try {
    const { report: fresh, dataVersionId } = await render(renderDeps(deps), template, params);
    await writeCache(deps.redis, cacheKey(template, dataVersionId, params), fresh, deps.config.reportCacheTtlSeconds);
    return await deps.prisma.reportRun.update({
      where: { id: run.id },
      data: {
        status: 'SUCCEEDED',
        result: fresh as unknown as Prisma.InputJsonValue,
        durationMs: Math.round(fresh.durationMs),
        finishedAt: new Date(),
      },
    });
  } catch (err) {
    await deps.prisma.reportRun.update({
      where: { id: run.id },
      data: { status: 'FAILED', error: (err as Error).message, finishedAt: new Date() },
    });
    throw err;
  }
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

export function nextRun(cron: string, timezone: string, after = new Date()): Date | null {
  return new Cron(cron, { timezone, paused: true }).nextRun(after);
}

export async function scheduleReport(
  deps: ReportDeps,
  actor: Identity | null,
  templateId: string,
  rawCron: string,
  rawParams: unknown,
  rawTimezone?: string | null,
) {
  const template = await liveTemplate(deps.prisma, templateId);
  const who = requireOwnerOrAdmin(actor, template.ownerId, 'template');
  const { cron, timezone } = parseInput(scheduleSchema, { cron: rawCron, timezone: rawTimezone ?? undefined }, '');
  let next: Date | null;
  try {
    next = nextRun(cron, timezone);
  } catch (err) {
    throw badInput(`cron: ${(err as Error).message}`, { field: 'cron' });
  }
  if (!next) throw badInput('cron: the schedule never runs', { field: 'cron' });
  const params = bindParameters(declared(template), rawParams);
  return deps.prisma.$transaction(async (tx) => {
    const schedule = await tx.reportSchedule.create({
      data: {
        templateId,
        cron,
        timezone,
        params: params as Prisma.InputJsonValue,
        nextRunAt: next,
        createdById: who.kind === 'user' ? who.id : null,
      },
    });
    await audit(tx, who, 'report.schedule', { type: 'ReportSchedule', id: schedule.id }, { templateId, cron, timezone });
    return schedule;
  });
}

/** Runs the schedules that are due; each is claimed by one process (row lock, SKIP LOCKED). */
export async function runDueSchedules(deps: ReportDeps, logger: Logger, now = new Date()): Promise<number> {
  let ran = 0;
  for (;;) {
    const claimed = await deps.prisma.$transaction(async (tx) => {
      const [due] = await tx.$queryRaw<Array<{ id: string; templateId: string; cron: string; timezone: string; params: unknown }>>`
        SELECT id, "templateId", cron, timezone, params FROM "ReportSchedule"
        WHERE enabled AND "nextRunAt" <= ${now} ORDER BY "nextRunAt" LIMIT 1 FOR UPDATE SKIP LOCKED`;
      if (!due) return null;
      await tx.reportSchedule.update({ where: { id: due.id }, data: { lastRunAt: now, nextRunAt: nextRun(due.cron, due.timezone, now) } });
      return due;
    });
    if (!claimed) return ran;
    ran++;
    await runReport(deps, null, claimed.templateId, claimed.params, claimed.id).catch((err) =>
      logger.warn({ scheduleId: claimed.id, err: (err as Error).message }, 'scheduled report failed'),
    );
  }
}

export type ReportRunRow = Awaited<ReturnType<typeof runReport>>;
