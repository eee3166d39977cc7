// Changing a report schedule once it exists: pause and resume it, or delete it. The template's
// owner or an ADMIN, as for creating one. A resumed schedule counts against its creator's
// REPORT_SCHEDULES_PER_USER again and next runs from now: the occurrences it slept through are
// skipped, not delivered in a burst.
import { audit } from '../../../lib/audit.js';
import { requireOwnerOrAdmin, type Identity } from '../../../lib/auth/identity.js';
import { notFound, withDatabaseErrors } from '../../../lib/errors.js';
import type { PrismaClient, ReportSchedule } from '../../../lib/prisma.js';
import { isUuid } from '../../../lib/validation.js';
import { holdScheduleSlot, nextRun } from './reports.js';

async function scheduleOf(prisma: PrismaClient, actor: Identity | null, id: string) {
  const schedule = isUuid(id) ? await prisma.reportSchedule.findUnique({ where: { id }, include: { template: true } }) : null;
  if (!schedule || schedule.template.deletedAt) throw notFound('schedule', id);
  const who = requireOwnerOrAdmin(actor, schedule.template.ownerId, 'template');
  return { schedule, who };
}

export async function updateReportSchedule(
  deps: { prisma: PrismaClient; schedulesPerUser: number },
  actor: Identity | null,
  id: string,
  input: { enabled?: boolean | null },
): Promise<ReportSchedule> {
  const { schedule, who } = await scheduleOf(deps.prisma, actor, id);
  if (input.enabled === undefined || input.enabled === null || input.enabled === schedule.enabled) return schedule;
  const enabled = input.enabled;
  return deps.prisma.$transaction(async (tx) => {
    if (enabled) await holdScheduleSlot(tx, who, deps.schedulesPerUser);
    const updated = await tx.reportSchedule.update({
      where: { id },
      data: { enabled, ...(enabled ? { nextRunAt: nextRun(schedule.cron, schedule.timezone) } : {}) },
    });
    await audit(tx, who, enabled ? 'report.schedule.resume' : 'report.schedule.pause', { type: 'ReportSchedule', id });
    return updated;
  });
}

/** Removes the schedule; the runs it made stay in the template's history. */
export async function deleteReportSchedule(prisma: PrismaClient, actor: Identity | null, id: string): Promise<boolean> {
  const { who } = await scheduleOf(prisma, actor, id);
  await withDatabaseErrors('schedule', () =>
    prisma.$transaction(async (tx) => {
      await tx.reportSchedule.delete({ where: { id } });
      await audit(tx, who, 'report.schedule.delete', { type: 'ReportSchedule', id });
    }),
  );
  return true;
}
