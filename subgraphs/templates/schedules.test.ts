// Pausing, resuming and deleting report schedules through the gateway, as the Reports screen does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { demoSalesRows, demoSections } from '../../prisma/seed.js';
import { codes, gql, startTestStack, unique, userWithRole, type TestStack } from '../../test/support/stack.js';

let stack: TestStack;
let owner: { id: string; token: string };
let other: { token: string };
let viewer: { token: string };
let templateId: string;

const SCHEDULE =
  'mutation($t: ID!) { scheduleReport(templateId: $t, cron: "0 8 * * *", timezone: "Asia/Shanghai") { id enabled nextRunAt } }';
const UPDATE = 'mutation($id: ID!, $on: Boolean) { updateReportSchedule(id: $id, input: { enabled: $on }) { id enabled nextRunAt } }';
const DELETE = 'mutation($id: ID!) { deleteReportSchedule(id: $id) }';
const LIST = 'query($t: ID!) { template(id: $t) { schedules { id enabled } } }';

beforeAll(async () => {
  stack = await startTestStack({ REPORT_SCHEDULER_INTERVAL_SECONDS: '0', REPORT_SCHEDULES_PER_USER: '1' });
  [owner, other, viewer] = await Promise.all([
    userWithRole(stack, 'ANALYST'),
    userWithRole(stack, 'ANALYST'),
    userWithRole(stack, 'VIEWER'),
  ]);
  const datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('sales'), ownerId: owner.id } })).id;
  const { columns, rows } = demoSalesRows();
  await createVersionFromRows(stack.runtime.pool, null, datasetId, { columns, rows, sourceKind: 'CSV' });
  const t = await gql(
    stack.url,
    'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }',
    { i: { name: unique('report'), datasetId, parameters: [{ name: 'region', type: 'STRING' }], sections: demoSections } },
    owner.token,
  );
  templateId = t.data!.createTemplate.id;
});
afterAll(() => stack?.stop());

describe('report schedules', () => {
  it('pause and resume: a paused schedule frees its slot, and resuming takes one again', async () => {
    const first = (await gql(stack.url, SCHEDULE, { t: templateId }, owner.token)).data!.scheduleReport;
    // REPORT_SCHEDULES_PER_USER = 1: a second live schedule is refused...
    expect(codes(await gql(stack.url, SCHEDULE, { t: templateId }, owner.token))).toEqual(['FORBIDDEN']);
    const paused = await gql(stack.url, UPDATE, { id: first.id, on: false }, owner.token);
    expect(paused.data!.updateReportSchedule.enabled).toBe(false);
    // ...until the first is paused; then resuming the first is what is refused.
    const second = (await gql(stack.url, SCHEDULE, { t: templateId }, owner.token)).data!.scheduleReport;
    expect(codes(await gql(stack.url, UPDATE, { id: first.id, on: true }, owner.token))).toEqual(['FORBIDDEN']);
    expect((await gql(stack.url, DELETE, { id: second.id }, owner.token)).data!.deleteReportSchedule).toBe(true);
    const resumed = (await gql(stack.url, UPDATE, { id: first.id, on: true }, owner.token)).data!.updateReportSchedule;
    expect(resumed.enabled).toBe(true);
    // Next run counted from now: 08:00 Asia/Shanghai is 00:00 UTC, within the next day.
    const next = new Date(resumed.nextRunAt).getTime();
    expect(next).toBeGreaterThan(Date.now());
    expect(next - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    expect(new Date(resumed.nextRunAt).toISOString()).toMatch(/T00:00:00.000Z$/);
    const list = await gql(stack.url, LIST, { t: templateId }, owner.token);
    expect(list.data!.template.schedules).toEqual([{ id: first.id, enabled: true }]);
    await gql(stack.url, DELETE, { id: first.id }, owner.token);
  });

  it('are changed only by the template owner or an ADMIN', async () => {
    const { id } = (await gql(stack.url, SCHEDULE, { t: templateId }, owner.token)).data!.scheduleReport;
    expect(codes(await gql(stack.url, UPDATE, { id, on: false }, other.token))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(stack.url, DELETE, { id }, other.token))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(stack.url, DELETE, { id }, viewer.token))).toEqual(['FORBIDDEN']);
    const admin = await userWithRole(stack, 'ADMIN');
    expect((await gql(stack.url, DELETE, { id }, admin.token)).data!.deleteReportSchedule).toBe(true);
    expect(codes(await gql(stack.url, DELETE, { id }, admin.token))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(stack.url, UPDATE, { id: 'not-a-uuid', on: true }, admin.token))).toEqual(['NOT_FOUND']);
    const audit = await stack.runtime.prisma.auditLog.findMany({ where: { entityId: id }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['report.schedule', 'report.schedule.delete']);
  });
});
