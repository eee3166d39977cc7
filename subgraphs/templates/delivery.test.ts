// The story of a scheduled report, against real receivers: an analyst schedules the demo report
// every morning at 08:00 Asia/Shanghai to an email address and a webhook; each run arrives by
// SMTP (PDF and XLSX attached, KPIs and narrative in the body) and as a signed webhook; a
// receiver that fails is retried with backoff; two replicas never deliver twice; the analyst
// pauses, resumes and deletes the schedule. The scheduler runs at chosen moments (`now`).
import { createHmac } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { demoSalesRows, demoSections } from '../../prisma/seed.js';
import { readPdf, startMailbox, startReceiver } from '../../test/support/outbound.js';
import { codes, gql, ownDatabase, reportDeps, startTestStack, unique, userWithRole, type TestStack } from '../../test/support/stack.js';
import { runDueDeliveries, type DeliveryDeps } from './data/deliveries.js';
import { runDueSchedules } from './data/reports.js';
import { createDeliveryServices } from './delivery/services.js';

const PUBLIC_URL = 'https://reports.example.com';
let db: Awaited<ReturnType<typeof ownDatabase>>;
let stack: TestStack;
let mailbox: Awaited<ReturnType<typeof startMailbox>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let replicas: Array<DeliveryDeps & { close(): Promise<void> }>;
let analyst: { id: string; token: string };
let templateId: string;
const { columns, rows } = demoSalesRows();
const total = (rows as [string, string, number][]).reduce((s, r) => s + r[2], 0);
const shown = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 2 });

const SCHEDULE = `mutation($t: ID!, $to: [String!], $hook: String) {
  scheduleReport(templateId: $t, cron: "0 8 * * *", timezone: "Asia/Shanghai", recipients: $to, webhookUrl: $hook, formats: [PDF, XLSX]) {
    id nextRunAt enabled recipients webhookUrl webhookSecret formats } }`;
const RUNS = `query($t: ID) { reportSchedules(templateId: $t, limit: 5) { id enabled nextRunAt runs { id status durationMs error scheduledFor deliveryStatus
  deliveries { channel target status attempts lastError nextAttemptAt log { attempt ok responseCode error } } } } }`;

/** The link's path and query on the test's gateway (links carry PUBLIC_URL's origin). */
const local = (link: string) => {
  const url = new URL(link);
  expect(url.origin).toBe(PUBLIC_URL);
  return `${stack.url}${url.pathname}${url.search}`;
};

/** What a receiver does to trust a call: recompute the signature over `<t>.<body>` and compare. */
function verify(headers: Record<string, unknown>, body: string, secret: string) {
  const [t, v1] = String(headers['x-reportgraph-signature'])
    .split(',')
    .map((kv) => kv.split('=')[1]!);
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return { valid: expected === v1, timestamp: Number(t) };
}

const tick = async (now: Date, replica = replicas[0]!) => {
  const ran = await runDueSchedules(reportDeps(stack.runtime), stack.runtime.logger, now);
  const delivered = await runDueDeliveries(replica, stack.runtime.logger, now);
  return { ran, delivered };
};

beforeAll(async () => {
  [db, mailbox, receiver] = await Promise.all([ownDatabase(), startMailbox(), startReceiver()]);
  stack = await startTestStack({
    DATABASE_URL: db.url,
    REPORT_SCHEDULER_INTERVAL_SECONDS: '0',
    SMTP_URL: mailbox.url,
    MAIL_FROM: 'Reports <reports@example.com>',
    PUBLIC_URL,
    // The receiver listens on loopback.
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_TIMEOUT_MS: '5000',
    DELIVERY_RETRY_BASE_SECONDS: '60',
    DELIVERY_MAX_ATTEMPTS: '3',
  });
  // Two replicas of the templates subgraph, as far as delivering goes: each its own browser, mailer and connections.
  replicas = [0, 1].map(() => {
    const services = createDeliveryServices(stack.runtime.config, stack.runtime.logger);
    return { ...reportDeps(stack.runtime), ...services, close: services.close };
  });
  analyst = await userWithRole(stack, 'ANALYST');
  const datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('Monthly sales'), ownerId: analyst.id } })).id;
  await createVersionFromRows(stack.runtime.pool, null, datasetId, { columns, rows, sourceKind: 'CSV' });
  const t = await gql(
    stack.url,
    'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }',
    { i: { name: 'Monthly revenue report', datasetId, parameters: [{ name: 'region', type: 'STRING' }], sections: demoSections } },
    analyst.token,
  );
  expect(t.errors).toBeUndefined();
  templateId = t.data!.createTemplate.id;
});
afterAll(async () => {
  await Promise.all((replicas ?? []).map((r) => r.close()));
  await stack?.stop();
  await Promise.all([mailbox?.close(), receiver?.close()]);
  await db?.drop();
});

describe('a report scheduled every morning at 08:00 Asia/Shanghai, to an email address and a webhook', () => {
  let schedule: { id: string; nextRunAt: string; webhookSecret: string };
  let first: Date;

  it('is scheduled: the next run is at 00:00 UTC, the webhook gets a signing secret', async () => {
    const r = await gql(stack.url, SCHEDULE, { t: templateId, to: ['CFO@example.com'], hook: receiver.url }, analyst.token);
    expect(r.errors).toBeUndefined();
    schedule = r.data!.scheduleReport;
    expect(schedule).toMatchObject({ enabled: true, recipients: ['cfo@example.com'], webhookUrl: receiver.url, formats: ['PDF', 'XLSX'] });
    expect(schedule.webhookSecret).toMatch(/^whsec_/);
    first = new Date(schedule.nextRunAt);
    expect(first.toISOString()).toMatch(/T00:00:00\.000Z$/);
  });

  it('delivers the run by email, with the PDF and the workbook attached and the KPIs in the body', async () => {
    expect(await tick(new Date(first.getTime() + 1000))).toEqual({ ran: 1, delivered: 2 });
    expect(mailbox.messages).toHaveLength(1);
    const mail = mailbox.messages[0]!;
    expect(mail.to).toEqual(['cfo@example.com']);
    expect(mail.from).toBe('reports@example.com');
    const day = new Date(first.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(mail.headers.subject).toBe(`Monthly revenue report — ${day} 08:00 (Asia/Shanghai)`);
    expect(mail.html).toContain(shown(total));
    expect(mail.html).toContain(`${PUBLIC_URL}/reports/${templateId}`);
    expect(mail.text).toMatch(/Revenue by quarter: [\d,.]+ in total over 16 rows/);
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      [`Monthly-revenue-report-${day}.pdf`, 'application/pdf'],
      [`Monthly-revenue-report-${day}.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]);
    const pdf = await readPdf(mail.attachments[0]!.content);
    expect(pdf.pages).toBeGreaterThanOrEqual(1);
    expect(pdf.text).toContain('Monthly revenue report');
    expect(pdf.text).toContain(shown(total));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(mail.attachments[1]!.content as unknown as ArrayBuffer);
    const regions = workbook.getWorksheet('By region')!;
    const sum = [2, 3, 4].reduce((s, r) => s + (regions.getCell(r, 2).value as number), 0);
    expect(sum).toBeCloseTo(total, 2);
  });

  it('delivers it to the webhook, signed with the schedule secret, with links that download the run', async () => {
    expect(receiver.calls).toHaveLength(1);
    const { headers, body } = receiver.calls[0]!;
    const { valid, timestamp } = verify(headers, body, schedule.webhookSecret);
    expect(valid).toBe(true);
    expect(Math.abs(timestamp - (first.getTime() + 1000) / 1000)).toBeLessThan(5);
    expect(verify(headers, body.replace('Monthly', 'Yearly'), schedule.webhookSecret).valid).toBe(false);
    const event = JSON.parse(body);
    expect(headers['x-reportgraph-event']).toBe('report.delivered');
    expect(headers['x-reportgraph-delivery']).toBe(event.id);
    expect(event).toMatchObject({
      type: 'report.delivered',
      schedule: { id: schedule.id, timezone: 'Asia/Shanghai' },
      run: { status: 'SUCCEEDED', scheduledFor: first.toISOString() },
      report: { templateId, name: 'Monthly revenue report', dataVersion: { number: 1 } },
      links: { report: `${PUBLIC_URL}/reports/${templateId}` },
    });
    expect(event.report.kpis).toEqual([{ title: 'Revenue', value: expect.closeTo(total, 2) }]);
    // The links work without credentials: the receiver is a machine with no account.
    const xlsx = await fetch(local(event.links.files.XLSX));
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    expect(workbook.getWorksheet('Summary')!.getCell('A1').value).toBe('Monthly revenue report');
    const pdf = await fetch(local(event.links.files.PDF));
    expect((await readPdf(Buffer.from(await pdf.arrayBuffer()))).text).toContain(shown(total));
    // A link names its run and format: the XLSX link's signature does not open the PDF.
    const swapped = local(event.links.files.XLSX).replace('export.xlsx', 'export.pdf');
    expect((await fetch(swapped)).status).toBe(401);
  });

  it('records the run: status, duration and each channel delivered on the first attempt', async () => {
    const r = await gql(stack.url, RUNS, { t: templateId }, analyst.token);
    expect(r.errors).toBeUndefined();
    const [run] = r.data!.reportSchedules[0].runs;
    expect(run).toMatchObject({ status: 'SUCCEEDED', error: null, scheduledFor: first.toISOString(), deliveryStatus: 'DELIVERED' });
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    expect(run.deliveries).toEqual([
      expect.objectContaining({ channel: 'EMAIL', target: ['cfo@example.com'], status: 'DELIVERED', attempts: 1, nextAttemptAt: null }),
      expect.objectContaining({ channel: 'WEBHOOK', target: [receiver.url], status: 'DELIVERED', attempts: 1 }),
    ]);
    expect(run.deliveries[1].log).toEqual([{ attempt: 1, ok: true, responseCode: 200, error: null }]);
    expect(run.deliveries[0].log[0]).toMatchObject({ attempt: 1, ok: true, responseCode: 250 });
  });

  it('retries a webhook that fails, with backoff, until it answers — the same delivery id each time', async () => {
    const second = new Date(first.getTime() + 86400_000);
    receiver.answer(503);
    expect(await tick(new Date(second.getTime() + 1000))).toEqual({ ran: 1, delivered: 2 });
    expect(mailbox.messages).toHaveLength(2);
    let r = await gql(stack.url, RUNS, { t: templateId }, analyst.token);
    let [run] = r.data!.reportSchedules[0].runs;
    expect(run.deliveryStatus).toBe('PENDING');
    const hook = run.deliveries.find((d: { channel: string }) => d.channel === 'WEBHOOK');
    expect(hook).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'HTTP 503: receiver unavailable' });
    // The first retry waits DELIVERY_RETRY_BASE_SECONDS (60 s, up to 10% more).
    const retryAt = new Date(hook.nextAttemptAt).getTime() - (second.getTime() + 1000);
    expect(retryAt).toBeGreaterThanOrEqual(60_000);
    expect(retryAt).toBeLessThanOrEqual(66_000);
    expect(await runDueDeliveries(replicas[0]!, stack.runtime.logger, new Date(second.getTime() + 30_000))).toBe(0);
    receiver.answer(200);
    expect(await runDueDeliveries(replicas[0]!, stack.runtime.logger, new Date(second.getTime() + 70_000))).toBe(1);
    r = await gql(stack.url, RUNS, { t: templateId }, analyst.token);
    [run] = r.data!.reportSchedules[0].runs;
    expect(run.deliveryStatus).toBe('DELIVERED');
    const done = run.deliveries.find((d: { channel: string }) => d.channel === 'WEBHOOK');
    expect(done.log.map((a: { responseCode: number }) => a.responseCode)).toEqual([503, 200]);
    const calls = receiver.calls.slice(1);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.headers['x-reportgraph-delivery']).toBe(calls[1]!.headers['x-reportgraph-delivery']);
  });

  it('gives up after DELIVERY_MAX_ATTEMPTS, and at once on an answer no retry can change', async () => {
    const third = new Date(first.getTime() + 2 * 86400_000);
    receiver.answer(500);
    await tick(new Date(third.getTime() + 1000));
    await runDueDeliveries(replicas[0]!, stack.runtime.logger, new Date(third.getTime() + 10 * 60_000));
    await runDueDeliveries(replicas[0]!, stack.runtime.logger, new Date(third.getTime() + 30 * 60_000));
    let [run] = (await gql(stack.url, RUNS, { t: templateId }, analyst.token)).data!.reportSchedules[0].runs;
    expect(run.deliveryStatus).toBe('PARTIAL');
    expect(run.deliveries.find((d: { channel: string }) => d.channel === 'WEBHOOK')).toMatchObject({ status: 'FAILED', attempts: 3 });
    const fourth = new Date(first.getTime() + 3 * 86400_000);
    receiver.answer(410);
    await tick(new Date(fourth.getTime() + 1000));
    [run] = (await gql(stack.url, RUNS, { t: templateId }, analyst.token)).data!.reportSchedules[0].runs;
    expect(run.deliveries.find((d: { channel: string }) => d.channel === 'WEBHOOK')).toMatchObject({ status: 'FAILED', attempts: 1 });
    receiver.answer(200);
  });

  it('is delivered once when two replicas deliver at the same moment', async () => {
    const fifth = new Date(first.getTime() + 4 * 86400_000);
    const [mails, calls] = [mailbox.messages.length, receiver.calls.length];
    await runDueSchedules(reportDeps(stack.runtime), stack.runtime.logger, new Date(fifth.getTime() + 1000));
    const at = new Date(fifth.getTime() + 2000);
    const counts = await Promise.all([
      runDueDeliveries(replicas[0]!, stack.runtime.logger, at),
      runDueDeliveries(replicas[1]!, stack.runtime.logger, at),
      runDueDeliveries(replicas[1]!, stack.runtime.logger, at),
    ]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(mailbox.messages.length - mails).toBe(1);
    expect(receiver.calls.length - calls).toBe(1);
  });

  it('retries an attempt whose process died when its lease ends, and gives up after DELIVERY_MAX_ATTEMPTS such deaths', async () => {
    const due = async () => (await stack.runtime.prisma.reportSchedule.findUniqueOrThrow({ where: { id: schedule.id } })).nextRunAt!;
    const day = await due();
    await runDueSchedules(reportDeps(stack.runtime), stack.runtime.logger, new Date(day.getTime() + 1000));
    const run = await stack.runtime.prisma.reportRun.findFirstOrThrow({ where: { scheduleId: schedule.id, scheduledFor: day } });
    const hook = { runId: run.id, channel: 'WEBHOOK' as const };
    // A replica claimed it (one attempt counted, leased) and died before recording anything.
    const leased = new Date(day.getTime() + 2000);
    await stack.runtime.prisma.reportDelivery.updateMany({
      where: hook,
      data: { attempts: 1, nextAttemptAt: new Date(leased.getTime() + 10 * 60_000) },
    });
    const calls = receiver.calls.length;
    expect(await runDueDeliveries(replicas[1]!, stack.runtime.logger, new Date(leased.getTime() + 60_000))).toBe(1); // the email only
    expect(receiver.calls.length).toBe(calls);
    expect(await runDueDeliveries(replicas[1]!, stack.runtime.logger, new Date(leased.getTime() + 11 * 60_000))).toBe(1);
    expect(receiver.calls.length).toBe(calls + 1);
    expect(await stack.runtime.prisma.reportDelivery.findFirstOrThrow({ where: hook })).toMatchObject({ status: 'DELIVERED', attempts: 2 });
    // Every one of DELIVERY_MAX_ATTEMPTS attempts died: given up, never tried again.
    const next = await due();
    await runDueSchedules(reportDeps(stack.runtime), stack.runtime.logger, new Date(next.getTime() + 1000));
    const nextRun = await stack.runtime.prisma.reportRun.findFirstOrThrow({ where: { scheduleId: schedule.id, scheduledFor: next } });
    await stack.runtime.prisma.reportDelivery.updateMany({ where: { runId: nextRun.id }, data: { attempts: 3, nextAttemptAt: next } });
    expect(await runDueDeliveries(replicas[1]!, stack.runtime.logger, new Date(next.getTime() + 1000))).toBe(0);
    expect(
      await stack.runtime.prisma.reportDelivery.findMany({ where: { runId: nextRun.id }, select: { status: true, lastError: true } }),
    ).toEqual([
      { status: 'FAILED', lastError: 'every attempt stopped with the process making it (DELIVERY_MAX_ATTEMPTS)' },
      { status: 'FAILED', lastError: 'every attempt stopped with the process making it (DELIVERY_MAX_ATTEMPTS)' },
    ]);
    expect(receiver.calls.length).toBe(calls + 1);
  });

  it('is paused (no runs), resumed from the next morning, and deleted (gone, nothing more runs)', async () => {
    const PAUSE = 'mutation($id: ID!, $p: Boolean) { updateReportSchedule(id: $id, input: { paused: $p }) { enabled nextRunAt } }';
    const paused = await gql(stack.url, PAUSE, { id: schedule.id, p: true }, analyst.token);
    expect(paused.data!.updateReportSchedule.enabled).toBe(false);
    const later = new Date(first.getTime() + 30 * 86400_000);
    expect((await tick(later)).ran).toBe(0);
    const contradiction = await gql(
      stack.url,
      'mutation($id: ID!) { updateReportSchedule(id: $id, input: { paused: false, enabled: false }) { enabled } }',
      { id: schedule.id },
      analyst.token,
    );
    expect(contradiction.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.paused' });
    const resumed = await gql(
      stack.url,
      'mutation($id: ID!) { updateReportSchedule(id: $id, input: { enabled: true }) { enabled nextRunAt } }',
      { id: schedule.id },
      analyst.token,
    );
    expect(resumed.data!.updateReportSchedule.enabled).toBe(true);
    const next = new Date(resumed.data!.updateReportSchedule.nextRunAt);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.toISOString()).toMatch(/T00:00:00\.000Z$/);

    const runs = await stack.runtime.prisma.reportRun.count({ where: { scheduleId: schedule.id } });
    const del = await gql(stack.url, 'mutation($id: ID!) { deleteReportSchedule(id: $id) }', { id: schedule.id }, analyst.token);
    expect(del.data).toEqual({ deleteReportSchedule: true });
    expect((await gql(stack.url, RUNS, { t: templateId }, analyst.token)).data!.reportSchedules).toEqual([]);
    expect((await tick(new Date(first.getTime() + 60 * 86400_000))).ran).toBe(0);
    // Its runs stay, with their outcomes.
    expect(await stack.runtime.prisma.reportRun.count({ where: { scheduleId: schedule.id } })).toBe(runs);
    expect(codes(await gql(stack.url, 'mutation($id: ID!) { deleteReportSchedule(id: $id) }', { id: schedule.id }, analyst.token))).toEqual(
      ['NOT_FOUND'],
    );
  });
});

describe('schedules people manage', () => {
  it('changes cron, time zone, recipients and formats, and refuses what could not be delivered', async () => {
    const s = await gql(stack.url, SCHEDULE, { t: templateId, to: ['a@example.com'] }, analyst.token);
    const id = s.data!.scheduleReport.id;
    const UPDATE =
      'mutation($id: ID!, $i: UpdateReportScheduleInput!) { updateReportSchedule(id: $id, input: $i) { cron timezone nextRunAt recipients formats webhookUrl webhookSecret } }';
    const u = await gql(
      stack.url,
      UPDATE,
      { id, i: { cron: '30 7 * * 1', timezone: 'Europe/Oslo', recipients: ['b@example.com'], formats: ['CSV'], webhookUrl: receiver.url } },
      analyst.token,
    );
    expect(u.errors).toBeUndefined();
    expect(u.data!.updateReportSchedule).toMatchObject({
      cron: '30 7 * * 1',
      timezone: 'Europe/Oslo',
      recipients: ['b@example.com'],
      formats: ['CSV'],
      webhookUrl: receiver.url,
    });
    const secret = u.data!.updateReportSchedule.webhookSecret;
    expect(secret).toMatch(/^whsec_/);
    const rotated = await gql(stack.url, UPDATE, { id, i: { rotateWebhookSecret: true } }, analyst.token);
    expect(rotated.data!.updateReportSchedule.webhookSecret).not.toBe(secret);
    const removed = await gql(stack.url, UPDATE, { id, i: { webhookUrl: '' } }, analyst.token);
    expect(removed.data!.updateReportSchedule).toMatchObject({ webhookUrl: null, webhookSecret: null });
    for (const [i, field] of [
      [{ recipients: ['not an address'] }, 'recipients.0'],
      [{ webhookUrl: 'ftp://example.com/x' }, 'webhookUrl'],
      [{ cron: '* * * * *' }, 'cron'],
      [{ params: { country: 'NO' } }, 'params.country'],
    ] as const) {
      const bad = await gql(stack.url, UPDATE, { id, i }, analyst.token);
      expect(bad.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    // Another analyst neither sees nor changes it.
    const other = await userWithRole(stack, 'ANALYST');
    expect(codes(await gql(stack.url, UPDATE, { id, i: { paused: true } }, other.token))).toEqual(['NOT_FOUND']);
    expect((await gql(stack.url, RUNS, { t: templateId }, other.token)).data!.reportSchedules).toEqual([]);
  });

  it('goes with its template: deleting the template removes its schedules and cancels what they had left to deliver', async () => {
    const t = await gql(
      stack.url,
      'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }',
      {
        i: {
          name: unique('short-lived'),
          datasetId: (await stack.runtime.prisma.reportTemplate.findUniqueOrThrow({ where: { id: templateId } })).datasetId,
          parameters: [{ name: 'region', type: 'STRING' }],
          sections: demoSections.slice(0, 1),
        },
      },
      analyst.token,
    );
    const short = t.data!.createTemplate.id;
    const s = await gql(stack.url, SCHEDULE, { t: short, hook: receiver.url }, analyst.token);
    const due = new Date(s.data!.scheduleReport.nextRunAt);
    await runDueSchedules(reportDeps(stack.runtime), stack.runtime.logger, new Date(due.getTime() + 1000));
    const pending = await stack.runtime.prisma.reportDelivery.findFirstOrThrow({ where: { scheduleId: s.data!.scheduleReport.id } });
    expect(pending.status).toBe('PENDING');
    expect((await gql(stack.url, 'mutation($id: ID!) { deleteTemplate(id: $id) }', { id: short }, analyst.token)).data).toEqual({
      deleteTemplate: true,
    });
    expect(await stack.runtime.prisma.reportSchedule.count({ where: { templateId: short } })).toBe(0);
    expect(await stack.runtime.prisma.reportDelivery.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      status: 'CANCELLED',
      lastError: 'the template was deleted',
    });
    // Later passes leave it alone (other tests' deliveries may still be due in the same pass).
    const calls = receiver.calls.length;
    await runDueDeliveries(replicas[0]!, stack.runtime.logger, new Date(due.getTime() + 5000));
    expect(receiver.calls.slice(calls).filter((c) => c.headers['x-reportgraph-delivery'] === pending.id)).toEqual([]);
    expect(await stack.runtime.prisma.reportDelivery.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      status: 'CANCELLED',
      attempts: pending.attempts,
    });
  });
});
