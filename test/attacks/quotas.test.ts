// Abuse of shared work, through the gateway as a client would: every attack is refused with a
// coded error naming the setting that limits it, writes nothing, and leaves the server serving.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { demoSalesRows, demoSections } from '../../prisma/seed.js';
import { createAnalysisQueue, type AnalysisQueue } from '../../subgraphs/insights/queue.js';
import { mapLimited } from '../../subgraphs/templates/data/render.js';
import { nextRun } from '../../subgraphs/templates/data/reports.js';
import { codes, gql, startTestStack, unique, userWithRole, type GraphQLResult, type TestStack } from '../support/stack.js';

let stack: TestStack;
let queue: AnalysisQueue;
let datasetId: string;

const LIMITS = {
  ANALYSIS_MAX_ACTIVE_PER_USER: '2',
  URGENT_ROLES: 'ADMIN',
  REPORT_SCHEDULE_MIN_INTERVAL_MINUTES: '15',
  REPORT_SCHEDULES_PER_USER: '2',
  REPORT_MAX_SECTIONS: '4',
  REPORT_MAX_ROWS: '250',
  REPORT_TEMPLATE_MAX_BYTES: '8192',
  REPORT_RUNS_PER_HOUR: '3',
  REPORT_SECTION_CONCURRENCY: '2',
};

beforeAll(async () => {
  // No worker: accepted analyses stay queued, so the quota is what the test sees.
  stack = await startTestStack({ ...LIMITS, REPORT_SCHEDULER_INTERVAL_SECONDS: '0' });
  queue = createAnalysisQueue(stack.runtime.config, stack.runtime.logger);
  const owner = await userWithRole(stack, 'ANALYST');
  datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('sales'), ownerId: owner.id } })).id;
  await createVersionFromRows(stack.runtime.pool, null, datasetId, { ...demoSalesRows(), sourceKind: 'CSV' });
});
afterAll(async () => {
  await queue?.close();
  await stack?.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const RUN = 'mutation($i: RunAnalysisInput!) { runAnalysis(input: $i) { id status priority } }';
const SCHEDULE = 'mutation($t: ID!, $c: String!) { scheduleReport(templateId: $t, cron: $c) { id nextRunAt } }';
const REPORT = 'query($t: ID!) { report(templateId: $t) { sections } }';
const analysis = (extra: Record<string, unknown> = {}) => ({ i: { datasetId, column: 'revenue', kinds: ['TREND'], ...extra } });

/** The refusal a client gets: one error with `code` naming `limit`. */
function expectRefused(r: GraphQLResult, code: string, limit: string) {
  expect(codes(r)).toEqual([code]);
  expect(r.errors![0]!.extensions).toMatchObject({ code, limit });
  expect(r.errors![0]!.message).toContain(limit);
}

/** A plain read still answers for the caller after the attack. */
async function expectStillServes(token: string) {
  const r = await gql(stack.url, '{ me { username } templates(limit: 1) { id } }', {}, token);
  expect(r.errors).toBeUndefined();
  expect(r.data!.me.username).toBeTruthy();
}

const analysesOf = (userId: string) => stack.runtime.prisma.analysisJob.count({ where: { createdById: userId } });
const queued = async () => Object.values(await queue.queue.getJobCounts()).reduce((a, b) => a + b, 0);

async function templateOwnedBy(token: string, sections: unknown[] = demoSections) {
  const r = await gql(
    stack.url,
    'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }',
    { i: { name: unique('quota'), datasetId, parameters: [{ name: 'region', type: 'STRING' }], sections } },
    token,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.createTemplate.id as string;
}

/**
 * Counts the dataset queries in flight, at their peak: `runQuery` opens each with `BEGIN READ ONLY`
 * on a pooled client and ends it with COMMIT or ROLLBACK.
 */
function watchDatasetQueries() {
  const open = new WeakSet<object>();
  const seen = { started: 0, inFlight: 0, peak: 0 };
  const original = pg.Client.prototype.query;
  vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : '';
    if (text.startsWith('BEGIN READ ONLY')) {
      open.add(this);
      seen.started++;
      seen.peak = Math.max(seen.peak, ++seen.inFlight);
    } else if (open.has(this) && (text === 'COMMIT' || text === 'ROLLBACK')) {
      open.delete(this);
      seen.inFlight--;
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original);
  return seen;
}

describe('analyses', () => {
  it('refuses a burst of analyses past ANALYSIS_MAX_ACTIVE_PER_USER, recording and queueing none of the extra', async () => {
    const [analyst, other] = await Promise.all([userWithRole(stack, 'ANALYST'), userWithRole(stack, 'ANALYST')]);
    const onQueue = await queued();
    const burst = await Promise.all(Array.from({ length: 5 }, () => gql(stack.url, RUN, analysis(), analyst.token)));
    const accepted = burst.filter((r) => r.data?.runAnalysis);
    expect(accepted).toHaveLength(2);
    for (const r of burst.filter((x) => !x.data?.runAnalysis)) expectRefused(r, 'FORBIDDEN', 'ANALYSIS_MAX_ACTIVE_PER_USER');
    expect(await analysesOf(analyst.id)).toBe(2);
    expect(await queued()).toBe(onQueue + 2);
    // The quota is per caller, and counts only unfinished work.
    expect((await gql(stack.url, RUN, analysis(), other.token)).errors).toBeUndefined();
    const cancelled = await gql(
      stack.url,
      'mutation($id: ID!) { cancelAnalysis(id: $id) { status } }',
      { id: accepted[0]!.data!.runAnalysis.id },
      analyst.token,
    );
    expect(cancelled.data!.cancelAnalysis.status).toBe('CANCELLED');
    expect((await gql(stack.url, RUN, analysis(), analyst.token)).errors).toBeUndefined();
    await expectStillServes(analyst.token);
  });

  it('refuses URGENT priority to a role not in URGENT_ROLES', async () => {
    const [analyst, admin] = await Promise.all([userWithRole(stack, 'ANALYST'), userWithRole(stack, 'ADMIN')]);
    const onQueue = await queued();
    const r = await gql(stack.url, RUN, analysis({ priority: 'URGENT' }), analyst.token);
    expectRefused(r, 'FORBIDDEN', 'URGENT_ROLES');
    expect(r.errors![0]!.extensions).toMatchObject({ field: 'input.priority' });
    expect(await analysesOf(analyst.id)).toBe(0);
    expect(await queued()).toBe(onQueue);
    expect((await gql(stack.url, RUN, analysis({ priority: 'NORMAL' }), analyst.token)).data!.runAnalysis.priority).toBe('NORMAL');
    expect((await gql(stack.url, RUN, analysis({ priority: 'URGENT' }), admin.token)).data!.runAnalysis.priority).toBe('URGENT');
    await expectStillServes(analyst.token);
  });
});

describe('report schedules', () => {
  /** The shortest gap between a schedule's next runs, in minutes, as `nextRun` computes them. */
  const gapMinutes = (cron: string) => {
    const runs = [nextRun(cron, 'UTC')!];
    for (let i = 0; i < 4; i++) runs.push(nextRun(cron, 'UTC', runs.at(-1))!);
    return Math.min(...runs.slice(1).map((r, i) => (r.getTime() - runs[i]!.getTime()) / 60_000));
  };

  it('refuses a schedule that fires more often than REPORT_SCHEDULE_MIN_INTERVAL_MINUTES', async () => {
    const analyst = await userWithRole(stack, 'ANALYST');
    const templateId = await templateOwnedBy(analyst.token);
    for (const cron of ['* * * * *', '*/5 * * * *', '0,1 9 1 1 *', '*/30 * * * * *']) {
      expect(gapMinutes(cron), cron).toBeLessThan(15);
      const r = await gql(stack.url, SCHEDULE, { t: templateId, c: cron }, analyst.token);
      expectRefused(r, 'BAD_USER_INPUT', 'REPORT_SCHEDULE_MIN_INTERVAL_MINUTES');
      expect(r.errors![0]!.extensions!.field).toBe('cron');
    }
    expect(await stack.runtime.prisma.reportSchedule.count({ where: { templateId } })).toBe(0);
    // Exactly the minimum is allowed (first run next 1 January: no other test's scheduler meets it).
    expect(gapMinutes('0,15 9 1 1 *')).toBe(15);
    expect((await gql(stack.url, SCHEDULE, { t: templateId, c: '0,15 9 1 1 *' }, analyst.token)).errors).toBeUndefined();
    await expectStillServes(analyst.token);
  });

  it('refuses a burst of schedules past REPORT_SCHEDULES_PER_USER', async () => {
    const analyst = await userWithRole(stack, 'ANALYST');
    const templateId = await templateOwnedBy(analyst.token);
    const crons = ['0 1 1 1 *', '0 2 1 1 *', '0 3 1 1 *', '0 4 1 1 *'];
    const burst = await Promise.all(crons.map((c) => gql(stack.url, SCHEDULE, { t: templateId, c }, analyst.token)));
    expect(burst.filter((r) => r.data?.scheduleReport)).toHaveLength(2);
    for (const r of burst.filter((x) => !x.data?.scheduleReport)) expectRefused(r, 'FORBIDDEN', 'REPORT_SCHEDULES_PER_USER');
    expect(await stack.runtime.prisma.reportSchedule.count({ where: { createdById: analyst.id } })).toBe(2);
    await expectStillServes(analyst.token);
  });
});

describe('report rendering', () => {
  it('refuses a report whose sections hold more than REPORT_MAX_ROWS rows together', async () => {
    const analyst = await userWithRole(stack, 'ANALYST');
    // Each table is 144 rows (48 months × 3 regions), well within DATASET_QUERY_MAX_ROWS; two are past 250.
    const table = (id: string) => ({
      id,
      kind: 'TABLE',
      title: id,
      query: { dimensions: ['month', 'region'], measures: [{ column: 'revenue', agg: 'SUM' }] },
    });
    const make = (sections: unknown[]) =>
      stack.runtime.prisma.reportTemplate.create({
        data: { name: unique('rows'), datasetId, ownerId: analyst.id, parameters: [], sections } as never,
      });
    const wide = await make([table('a'), table('b')]);
    expectRefused(await gql(stack.url, REPORT, { t: wide.id }, analyst.token), 'BAD_USER_INPUT', 'REPORT_MAX_ROWS');
    const one = await make([table('a')]);
    const fine = await gql(stack.url, REPORT, { t: one.id }, analyst.token);
    expect(fine.errors).toBeUndefined();
    expect(fine.data!.report.sections[0].rows).toHaveLength(144);
    await expectStillServes(analyst.token);
  });

  it('refuses a stored template over REPORT_MAX_SECTIONS before any of its queries runs', async () => {
    const analyst = await userWithRole(stack, 'ANALYST');
    // Stored as a template written before the limit was lowered would be.
    const extra = { id: 'orders', kind: 'KPI', title: 'Orders', query: { measures: [{ column: 'orders', agg: 'SUM' }] } };
    const template = await stack.runtime.prisma.reportTemplate.create({
      data: {
        name: unique('wide'),
        datasetId,
        ownerId: analyst.id,
        parameters: [{ name: 'region', type: 'STRING' }],
        sections: [...demoSections, extra],
      },
    });
    const queries = watchDatasetQueries();
    expectRefused(await gql(stack.url, REPORT, { t: template.id }, analyst.token), 'BAD_USER_INPUT', 'REPORT_MAX_SECTIONS');
    const run = await gql(stack.url, 'mutation($t: ID!) { runReport(templateId: $t) { id } }', { t: template.id }, analyst.token);
    expectRefused(run, 'BAD_USER_INPUT', 'REPORT_MAX_SECTIONS');
    expect(queries.started).toBe(0);
    expect(await stack.runtime.prisma.reportRun.count({ where: { templateId: template.id } })).toBe(0);
    // A template within the limit renders.
    const fine = await gql(stack.url, REPORT, { t: await templateOwnedBy(analyst.token) }, analyst.token);
    expect(fine.data!.report.sections).toHaveLength(demoSections.length);
    await expectStillServes(analyst.token);
  });

  it('refuses a template past REPORT_TEMPLATE_MAX_BYTES (chart hints of any size included), and parameter names export links use', async () => {
    const analyst = await userWithRole(stack, 'ANALYST');
    const CREATE = 'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }';
    const chart = { kind: 'CHART', title: 'Padded', chart: { type: 'line', z: 'x'.repeat(9000) } };
    const input = (extra: Record<string, unknown>) => ({ i: { name: unique('big'), datasetId, parameters: [], sections: [], ...extra } });
    expectRefused(await gql(stack.url, CREATE, input({ sections: [chart] }), analyst.token), 'BAD_USER_INPUT', 'REPORT_TEMPLATE_MAX_BYTES');
    const id = await templateOwnedBy(analyst.token);
    const update = 'mutation($id: ID!, $i: UpdateTemplateInput!) { updateTemplate(id: $id, input: $i) { version } }';
    expectRefused(
      await gql(stack.url, update, { id, i: { sections: [chart] } }, analyst.token),
      'BAD_USER_INPUT',
      'REPORT_TEMPLATE_MAX_BYTES',
    );
    for (const name of ['section', 'sig', 'bom', '__proto__', 'constructor']) {
      const r = await gql(stack.url, CREATE, input({ parameters: [{ name, type: 'STRING' }] }), analyst.token);
      expect(codes(r), name).toEqual(['BAD_USER_INPUT']);
      expect(r.errors![0]!.message).toMatch(/reserved/);
    }
    await expectStillServes(analyst.token);
  });

  it('refuses report runs by hand past REPORT_RUNS_PER_HOUR per caller, with Retry-After, storing nothing more', async () => {
    const analyst = await userWithRole(stack, 'ANALYST');
    const id = await templateOwnedBy(analyst.token);
    const run = () => gql(stack.url, 'mutation($t: ID!) { runReport(templateId: $t) { id status } }', { t: id }, analyst.token);
    for (let i = 0; i < 3; i++) expect((await run()).errors).toBeUndefined();
    const refused = await run();
    expectRefused(refused, 'RATE_LIMITED', 'REPORT_RUNS_PER_HOUR');
    expect(await stack.runtime.prisma.reportRun.count({ where: { templateId: id } })).toBe(3);
    // Another caller has a budget of their own.
    const other = await userWithRole(stack, 'VIEWER');
    expect((await gql(stack.url, 'mutation($t: ID!) { runReport(templateId: $t) { id } }', { t: id }, other.token)).errors).toBeUndefined();
  });

  it('runs at most REPORT_SECTION_CONCURRENCY section queries at once', async () => {
    const analyst = await userWithRole(stack, 'ANALYST');
    const templateId = await templateOwnedBy(analyst.token);
    const queries = watchDatasetQueries();
    const r = await gql(
      stack.url,
      'mutation($t: ID!) { runReport(templateId: $t) { status report { sections } } }',
      { t: templateId },
      analyst.token,
    );
    expect(r.data!.runReport).toMatchObject({ status: 'SUCCEEDED' });
    expect(r.data!.runReport.report.sections).toHaveLength(demoSections.length);
    expect(queries.started).toBe(demoSections.length);
    expect(queries.peak).toBeGreaterThanOrEqual(1);
    expect(queries.peak).toBeLessThanOrEqual(2);
    await expectStillServes(analyst.token);
  });
});

describe('mapLimited', () => {
  const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('keeps at most `limit` calls in flight and answers in the items’ order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimited([30, 5, 20, 1, 10, 15, 2, 8], 3, async (ms, i) => {
      peak = Math.max(peak, ++inFlight);
      await tick(ms);
      inFlight--;
      return i * 10;
    });
    expect(out).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
    expect(peak).toBe(3);
  });

  it('handles no items, fewer items than the limit, and a limit below 1 as 1', async () => {
    expect(await mapLimited([], 4, async () => 1)).toEqual([]);
    expect(await mapLimited([1, 2], 10, async (x) => x * 2)).toEqual([2, 4]);
    let peak = 0;
    let inFlight = 0;
    await mapLimited([1, 2, 3], 0, async () => {
      peak = Math.max(peak, ++inFlight);
      await tick(1);
      inFlight--;
    });
    expect(peak).toBe(1);
  });

  it('rejects with the first error and starts nothing after it', async () => {
    const started: number[] = [];
    const run = mapLimited([0, 1, 2, 3, 4, 5], 2, async (x) => {
      started.push(x);
      await tick(x === 1 ? 1 : 20);
      if (x === 1) throw new Error('section 2 failed');
      return x;
    });
    await expect(run).rejects.toThrow('section 2 failed');
    await tick(40);
    expect(started).toEqual([0, 1]);
  });
});
