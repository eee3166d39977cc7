import { describe, expect, it } from 'vitest';
import type { Identity } from '../../../lib/auth/identity.js';
import { loadConfig } from '../../../lib/config.js';
import { rejectionOf } from '../../../test/support/errors.js';
import { nextRun, scheduleReport, type ReportDeps } from './reports.js';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('nextRun', () => {
  it('runs a daily 08:00 in Asia/Shanghai at 00:00 UTC, strictly after the given time', () => {
    expect(iso(nextRun('0 8 * * *', 'Asia/Shanghai', at('2025-01-14T23:59:59Z')))).toBe('2025-01-15T00:00:00.000Z');
    expect(iso(nextRun('0 8 * * *', 'Asia/Shanghai', at('2025-01-15T00:00:00Z')))).toBe('2025-01-16T00:00:00.000Z');
  });

  it('keeps local time across the Europe/Berlin clock changes', () => {
    expect(iso(nextRun('0 8 * * *', 'Europe/Berlin', at('2025-03-29T12:00:00Z')))).toBe('2025-03-30T06:00:00.000Z');
    expect(iso(nextRun('0 8 * * *', 'Europe/Berlin', at('2025-03-28T12:00:00Z')))).toBe('2025-03-29T07:00:00.000Z');
    expect(iso(nextRun('0 8 * * *', 'Europe/Berlin', at('2025-10-25T12:00:00Z')))).toBe('2025-10-26T07:00:00.000Z');
  });

  it('runs a time skipped by the spring change once, an hour later, and a repeated time once', () => {
    expect(iso(nextRun('30 2 * * *', 'Europe/Berlin', at('2025-03-29T12:00:00Z')))).toBe('2025-03-30T01:30:00.000Z');
    const fallBack = nextRun('30 2 * * *', 'Europe/Berlin', at('2025-10-25T12:00:00Z'));
    expect(iso(fallBack)).toBe('2025-10-26T01:30:00.000Z');
    expect(iso(nextRun('30 2 * * *', 'Europe/Berlin', fallBack!))).toBe('2025-10-27T01:30:00.000Z');
  });

  it('reads UTC schedules, steps and six-field (seconds) patterns', () => {
    expect(iso(nextRun('*/15 * * * *', 'UTC', at('2025-01-01T00:07:00Z')))).toBe('2025-01-01T00:15:00.000Z');
    expect(iso(nextRun('0 9 * * 1', 'America/New_York', at('2025-01-01T00:00:00Z')))).toBe('2025-01-06T14:00:00.000Z');
    expect(iso(nextRun('0 0 * * * *', 'UTC', at('2025-01-01T00:07:00Z')))).toBe('2025-01-01T01:00:00.000Z');
    expect(iso(nextRun('0 0 1 1 *', 'UTC', at('2025-01-01T00:00:00Z')))).toBe('2026-01-01T00:00:00.000Z');
  });

  it('answers null for a schedule that never runs', () => {
    expect(nextRun('0 0 30 2 *', 'UTC', at('2025-01-01T00:00:00Z'))).toBeNull();
  });

  it('throws for an invalid pattern or an unknown time zone', () => {
    expect(() => nextRun('not a cron', 'UTC')).toThrow(/five or six/);
    expect(() => nextRun('61 * * * *', 'UTC')).toThrow(/minute/);
    expect(() => nextRun('0 8 * * *', 'Mars/Olympus')).toThrow(/Mars\/Olympus/);
  });
});

describe('scheduleReport', () => {
  const owner: Identity = { id: '00000000-0000-4000-8000-000000000001', name: 'ana', role: 'ANALYST', kind: 'user' };
  const templateId = '00000000-0000-4000-8000-0000000000aa';

  const fakeDeps = () => {
    const created: Array<Record<string, unknown>> = [];
    const audited: unknown[] = [];
    const tx = {
      $executeRaw: async () => 0,
      reportSchedule: {
        count: async () => 0,
        create: async ({ data }: { data: Record<string, unknown> }) => (created.push(data), { id: 'schedule-1', ...data }),
      },
      auditLog: { create: async (args: unknown) => void audited.push(args) },
    };
    const prisma = {
      reportTemplate: { findFirst: async () => ({ id: templateId, ownerId: owner.id, version: 1, parameters: [] }) },
      $transaction: async (fn: (t: typeof tx) => Promise<unknown>) => fn(tx),
    };
    // The documented defaults: 15 minutes between runs, 50 schedules each, no SMTP server.
    const config = loadConfig({});
    return { deps: { prisma, config } as unknown as ReportDeps, created, audited };
  };

  const errorOf = rejectionOf;

  it("stores the next run computed in the schedule's time zone", async () => {
    const { deps, created, audited } = fakeDeps();
    const before = Date.now();
    await scheduleReport(deps, owner, templateId, ' 0 8 * * * ', {}, 'Asia/Shanghai');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ templateId, cron: '0 8 * * *', timezone: 'Asia/Shanghai', createdById: owner.id, params: {} });
    const next = created[0]!.nextRunAt as Date;
    expect(next.toISOString()).toMatch(/T00:00:00\.000Z$/);
    expect(next.getTime()).toBeGreaterThan(before);
    expect(next.getTime() - before).toBeLessThanOrEqual(86_400_000);
    expect(audited).toHaveLength(1);
  });

  it('defaults to UTC', async () => {
    const { deps, created } = fakeDeps();
    await scheduleReport(deps, owner, templateId, '0 8 * * *', {}, null);
    expect(created[0]).toMatchObject({ timezone: 'UTC' });
    expect((created[0]!.nextRunAt as Date).toISOString()).toMatch(/T08:00:00\.000Z$/);
  });

  it('rejects an invalid cron as BAD_USER_INPUT on the cron field, storing nothing', async () => {
    const { deps, created } = fakeDeps();
    expect(await errorOf(scheduleReport(deps, owner, templateId, 'not a cron', {}))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'cron',
    });
    expect(await errorOf(scheduleReport(deps, owner, templateId, '0 25 * * *', {}))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'cron',
    });
    expect(await errorOf(scheduleReport(deps, owner, templateId, '   ', {}))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'cron' });
    expect(created).toHaveLength(0);
  });

  it('rejects an unknown time zone as BAD_USER_INPUT', async () => {
    const { deps, created } = fakeDeps();
    const err = await errorOf(scheduleReport(deps, owner, templateId, '0 8 * * *', {}, 'Mars/Olympus'));
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', field: 'timezone' });
    expect(err?.message).toContain('Mars/Olympus');
    expect(created).toHaveLength(0);
  });

  it('rejects a schedule that never runs', async () => {
    const { deps } = fakeDeps();
    expect(await errorOf(scheduleReport(deps, owner, templateId, '0 0 30 2 *', {}))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'cron',
      message: 'cron: the schedule never runs',
    });
  });

  it('lets only the owner or an admin schedule the template', async () => {
    const { deps, created } = fakeDeps();
    const other: Identity = { ...owner, id: '00000000-0000-4000-8000-000000000002' };
    expect(await errorOf(scheduleReport(deps, other, templateId, '0 8 * * *', {}))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await errorOf(scheduleReport(deps, null, templateId, '0 8 * * *', {}))).toMatchObject({ code: 'UNAUTHENTICATED' });
    await scheduleReport(deps, { ...other, role: 'ADMIN' }, templateId, '0 8 * * *', {});
    expect(created).toHaveLength(1);
  });
});
