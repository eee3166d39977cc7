// Attacks through report schedules, as an ANALYST would make them: webhooks aimed into the
// private network (by address, by name, by redirect), more recipients than allowed, header
// injection in an address, email with no SMTP server, and reading another owner's secrets. Each is
// refused with a coded error naming the field or setting, or — for what only the connection can
// tell — fails the delivery for good without a byte reaching the target.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { demoSalesRows, demoSections } from '../../prisma/seed.js';
import { runDueDeliveries, type DeliveryDeps } from '../../subgraphs/templates/data/deliveries.js';
import { runDueSchedules } from '../../subgraphs/templates/data/reports.js';
import { createDeliveryServices } from '../../subgraphs/templates/delivery/services.js';
import { expectStillServes } from '../support/attack.js';
import { startReceiver } from '../support/outbound.js';
import { codes, gql, ownDatabase, reportDeps, startTestStack, testEnv, unique, userWithRole, type TestStack } from '../support/stack.js';

let db: Awaited<ReturnType<typeof ownDatabase>>;
let stack: TestStack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let inside: Awaited<ReturnType<typeof startReceiver>>;
let strict: DeliveryDeps & { close(): Promise<void> };
let open: DeliveryDeps & { close(): Promise<void> };
let analyst: { id: string; token: string };
let templateId: string;

const SCHEDULE = `mutation($t: ID!, $hook: String, $to: [String!]) {
  scheduleReport(templateId: $t, cron: "0 6 * * *", webhookUrl: $hook, recipients: $to) { id nextRunAt webhookUrl webhookSecret } }`;

/** Deliveries as a templates replica with `allowPrivate` would make them. */
function replica(allowPrivate: boolean) {
  const config = loadConfig(
    testEnv({ DATABASE_URL: db.url, WEBHOOK_ALLOW_PRIVATE_NETWORKS: String(allowPrivate), WEBHOOK_TIMEOUT_MS: '3000' }),
  );
  const services = createDeliveryServices(config, stack.runtime.logger);
  return { ...reportDeps(stack.runtime), config, ...services, close: services.close };
}

beforeAll(async () => {
  [db, receiver, inside] = await Promise.all([ownDatabase(), startReceiver(), startReceiver()]);
  // No SMTP_URL: this deployment sends no email. Webhooks reach only public addresses (the default).
  stack = await startTestStack({ DATABASE_URL: db.url, REPORT_SCHEDULER_INTERVAL_SECONDS: '0', REPORT_SCHEDULE_MAX_RECIPIENTS: '2' });
  [strict, open] = [replica(false), replica(true)];
  analyst = await userWithRole(stack, 'ANALYST');
  const datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('sales'), ownerId: analyst.id } })).id;
  await createVersionFromRows(stack.runtime.pool, null, datasetId, { ...demoSalesRows(), sourceKind: 'CSV' });
  const t = await gql(
    stack.url,
    'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }',
    { i: { name: unique('Revenue'), datasetId, parameters: [{ name: 'region', type: 'STRING' }], sections: demoSections } },
    analyst.token,
  );
  templateId = t.data!.createTemplate.id;
});
afterAll(async () => {
  await Promise.all([strict?.close(), open?.close()]);
  await stack?.stop();
  await Promise.all([receiver?.close(), inside?.close()]);
  await db?.drop();
});

/** Makes the schedule's next run due now and runs it and its deliveries on `deps`. */
async function runOnce(scheduleId: string, deps: DeliveryDeps) {
  const { nextRunAt } = await stack.runtime.prisma.reportSchedule.findUniqueOrThrow({ where: { id: scheduleId } });
  const at = new Date(nextRunAt!.getTime() + 1000);
  await runDueSchedules(reportDeps(stack.runtime), stack.runtime.logger, at);
  await runDueDeliveries(deps, stack.runtime.logger, at);
  return stack.runtime.prisma.reportDelivery.findFirstOrThrow({
    where: { scheduleId },
    orderBy: { createdAt: 'desc' },
    include: { log: true },
  });
}

describe('webhooks into the private network', () => {
  it('are refused when scheduled by a private address, in any of its spellings, and nothing is stored', async () => {
    const before = await stack.runtime.prisma.reportSchedule.count();
    for (const hook of [
      `http://127.0.0.1:${receiver.port}/x`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.8/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0.0.0.0/hook',
      'file:///etc/passwd',
      'gopher://example.com/x',
    ]) {
      const r = await gql(stack.url, SCHEDULE, { t: templateId, hook }, analyst.token);
      expect(r.errors?.[0]?.extensions, hook).toMatchObject({ code: 'BAD_USER_INPUT', field: 'webhookUrl' });
    }
    expect(await stack.runtime.prisma.reportSchedule.count()).toBe(before);
  });

  it('by a name that resolves to one, fail for good on the first attempt, and the target gets nothing', async () => {
    const s = await gql(stack.url, SCHEDULE, { t: templateId, hook: `http://localhost:${receiver.port}/hook` }, analyst.token);
    expect(s.errors).toBeUndefined();
    const delivery = await runOnce(s.data!.scheduleReport.id, strict);
    expect(delivery).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(delivery.lastError).toBe(
      'localhost is a private address; webhooks reach only public ones unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true',
    );
    expect(receiver.calls).toHaveLength(0);
  });

  it('by a redirect, are not followed: the redirect fails the delivery and the inner target gets nothing', async () => {
    // The outer receiver is allowed here (as a public one would be) and answers with a redirect inside.
    const s = await gql(stack.url, SCHEDULE, { t: templateId, hook: `http://localhost:${receiver.port}/hook` }, analyst.token);
    receiver.answer(307, { location: inside.url });
    const delivery = await runOnce(s.data!.scheduleReport.id, open);
    receiver.answer(200);
    expect(receiver.calls).toHaveLength(1);
    expect(delivery).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(delivery.log[0]).toMatchObject({ ok: false, responseCode: 307 });
    expect(inside.calls).toHaveLength(0);
    await expectStillServes(stack, analyst.token);
  });
});

describe('recipients', () => {
  it('are capped by REPORT_SCHEDULE_MAX_RECIPIENTS, must be addresses (no header injection), and need an SMTP server', async () => {
    const three = await gql(stack.url, SCHEDULE, { t: templateId, to: ['a@example.com', 'b@example.com', 'c@example.com'] }, analyst.token);
    expect(three.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'recipients' });
    expect(three.errors?.[0]?.message).toContain('REPORT_SCHEDULE_MAX_RECIPIENTS');
    const injected = await gql(stack.url, SCHEDULE, { t: templateId, to: ['a@example.com\r\nBcc: all@example.com'] }, analyst.token);
    expect(injected.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'recipients.0' });
    const noSmtp = await gql(stack.url, SCHEDULE, { t: templateId, to: ['a@example.com'] }, analyst.token);
    expect(noSmtp.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'recipients' });
    expect(noSmtp.errors?.[0]?.message).toContain('SMTP_URL');
  });
});

describe("another owner's schedule", () => {
  it('keeps its signing secret, recipients and deliveries from everyone but its owner and ADMINs', async () => {
    const hook = 'https://user:pa55@hooks.example.com/report?token=s3cret&team=ops';
    const s = await gql(stack.url, SCHEDULE, { t: templateId, hook }, analyst.token);
    expect(s.errors).toBeUndefined();
    // Shown without the credentials it carries, even to its owner.
    expect(s.data!.scheduleReport.webhookUrl).toBe('https://hooks.example.com/report?token=***&team=ops');
    const id = s.data!.scheduleReport.id;
    await runOnce(id, strict);
    const other = await userWithRole(stack, 'ANALYST');
    const viewer = await userWithRole(stack, 'VIEWER');
    for (const who of [other, viewer]) {
      expect((await gql(stack.url, '{ reportSchedules { id webhookSecret } }', {}, who.token)).data!.reportSchedules).toEqual([]);
      const runs = await gql(
        stack.url,
        'query($t: ID!) { template(id: $t) { schedules { id } runs(limit: 50) { deliveryStatus deliveries { target } schedule { webhookSecret } } } }',
        { t: templateId },
        who.token,
      );
      expect(runs.errors).toBeUndefined();
      expect(runs.data!.template.schedules).toEqual([]);
      expect(runs.data!.template.runs.every((r: any) => r.deliveries.length === 0 && r.schedule === null)).toBe(true);
      expect(codes(await gql(stack.url, 'mutation($id: ID!) { deleteReportSchedule(id: $id) }', { id }, who.token))).toEqual([
        who === viewer ? 'FORBIDDEN' : 'NOT_FOUND',
      ]);
    }
    const admin = await userWithRole(stack, 'ADMIN');
    const seen = await gql(stack.url, '{ reportSchedules(limit: 100) { id webhookSecret } }', {}, admin.token);
    expect(seen.data!.reportSchedules.find((x: { id: string }) => x.id === id).webhookSecret).toMatch(/^whsec_/);
  });
});
