// Work a crash leaves stuck or doubled: an analysis committed but never queued, one whose worker
// died, a retried one, a report run left RUNNING, a schedule occurrence claimed but not rendered.
// Each starts from what a client did through the gateway; the crash is simulated where it would
// happen, and the reconcilers are run as their periodic task would run them.
import { Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { demoSalesRows, demoSections } from '../../prisma/seed.js';
import { reconcileAnalyses } from '../../subgraphs/insights/data/reconcile.js';
import { ANALYSIS_QUEUE, createAnalysisQueue, queueConnection, queuePrefix, type AnalysisQueue } from '../../subgraphs/insights/queue.js';
import { createAnalysisWorker } from '../../subgraphs/insights/worker/worker.js';
import { claimDueOccurrence, runDueSchedules, sweepStuckRuns } from '../../subgraphs/templates/data/reports.js';
import { gql, reportDeps, startTestStack, unique, userWithRole, type TestStack } from '../support/stack.js';

let stack: TestStack;
let queue: AnalysisQueue;
let analyst: { id: string; token: string };
let datasetId: string;
let templateId: string;

beforeAll(async () => {
  // No worker and no scheduler of its own: each test decides when work is taken.
  stack = await startTestStack({ ONNX_DEVICE: 'cpu', ONNX_WORKERS: '1', REPORT_SCHEDULER_INTERVAL_SECONDS: '0', STUCK_WORK_MINUTES: '30' });
  queue = createAnalysisQueue(stack.runtime.config, stack.runtime.logger);
  analyst = await userWithRole(stack, 'ANALYST');
  datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('sales'), ownerId: analyst.id } })).id;
  await createVersionFromRows(stack.runtime.pool, null, datasetId, { ...demoSalesRows(), sourceKind: 'CSV' });
  const t = await gql(
    stack.url,
    'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }',
    { i: { name: unique('stuck'), datasetId, parameters: [{ name: 'region', type: 'STRING' }], sections: demoSections } },
    analyst.token,
  );
  templateId = t.data!.createTemplate.id;
});
afterAll(async () => {
  await queue?.close();
  await stack?.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const reconcile = () => reconcileAnalyses({ ...stack.runtime, queue: () => queue });
const JOB = 'query($id: ID!) { analysisJob(id: $id) { status error insights { id kind summary } } }';

async function runAnalysis(kinds: string[]): Promise<string> {
  const r = await gql(
    stack.url,
    'mutation($i: RunAnalysisInput!) { runAnalysis(input: $i) { id } }',
    { i: { datasetId, column: 'revenue', timeColumn: 'month', kinds } },
    analyst.token,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.runAnalysis.id;
}

/** The job as its creator sees it through the gateway: the server still serves. */
async function jobSeen(id: string) {
  const r = await gql(stack.url, JOB, { id }, analyst.token);
  expect(r.errors).toBeUndefined();
  return r.data!.analysisJob as { status: string; error: string | null; insights: Array<{ id: string; kind: string; summary: string }> };
}

async function statusBecomes(id: string, status: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await stack.runtime.prisma.analysisJob.findUniqueOrThrow({ where: { id } });
    if (row.status === status) return row;
    if (Date.now() > until) throw new Error(`job ${id} is ${row.status}, not ${status}, after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs `fn` with an analysis worker taking jobs from the stack's queue. */
async function withWorker<T>(fn: () => Promise<T>): Promise<T> {
  const worker = createAnalysisWorker(stack.runtime, { concurrency: 1 });
  worker.start();
  try {
    return await fn();
  } finally {
    await worker.stop();
  }
}

const setJob = (id: string, data: { status?: 'RUNNING'; startedAt?: Date; createdAt?: Date }) =>
  stack.runtime.prisma.analysisJob.update({ where: { id }, data });

describe('analyses', () => {
  it('queues again a job committed QUEUED but never put on the queue, once past the grace period', async () => {
    const id = await runAnalysis(['TREND']);
    await queue.remove(id); // the crash (or Redis failing) between the commit and queue.add
    await reconcile();
    expect(await queue.state(id)).toBeNull(); // within the grace period it may still be on its way
    await setJob(id, { createdAt: minutesAgo(2) });
    const info = vi.spyOn(stack.runtime.logger, 'info');
    await reconcile();
    expect(await queue.state(id)).not.toBeNull();
    expect(info).toHaveBeenCalledWith({ jobId: id }, expect.stringContaining('queued it again'));
    await withWorker(() => statusBecomes(id, 'SUCCEEDED'));
    expect((await jobSeen(id)).insights.map((i) => i.kind)).toEqual(['TREND']);
  });

  it('marks FAILED a RUNNING job whose worker died with no retry left, once past STUCK_WORK_MINUTES', async () => {
    const [dead, retrying] = [await runAnalysis(['TREND']), await runAnalysis(['TREND'])];
    await queue.remove(dead); // its worker died on the last attempt: the queue holds nothing more
    for (const id of [dead, retrying]) await setJob(id, { status: 'RUNNING', startedAt: minutesAgo(10) });
    await reconcile();
    expect((await jobSeen(dead)).status).toBe('RUNNING'); // a long job is not a dead one
    for (const id of [dead, retrying]) await setJob(id, { startedAt: minutesAgo(31) });
    const warn = vi.spyOn(stack.runtime.logger, 'warn');
    await reconcile();
    const failed = await jobSeen(dead);
    expect(failed).toMatchObject({ status: 'FAILED' });
    expect(failed.error).toMatch(/worker running this analysis stopped.*STUCK_WORK_MINUTES/);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith({ jobId: dead, was: 'RUNNING' }, expect.stringContaining('marked FAILED'));
    // Still on the queue: BullMQ will run it again, so it is left alone.
    expect((await jobSeen(retrying)).status).toBe('RUNNING');
    await gql(stack.url, 'mutation($id: ID!) { cancelAnalysis(id: $id) { id } }', { id: retrying }, analyst.token);
  });

  it('keeps only the last attempt’s insights when a job is retried after a crash', async () => {
    const id = await runAnalysis(['TREND', 'NARRATIVE']);
    // First attempt: a worker takes the job, stores its TREND insight and dies before the rest.
    const { config, logger, prisma } = stack.runtime;
    const crashing = new Worker(ANALYSIS_QUEUE, null, { connection: queueConnection(config, logger), prefix: queuePrefix(config) });
    const job = await crashing.getNextJob('crashing-worker');
    expect(job?.data.jobId).toBe(id);
    await setJob(id, { status: 'RUNNING', startedAt: new Date() });
    const stale = await prisma.insight.create({
      data: { jobId: id, datasetId, kind: 'TREND', column: 'revenue', summary: 'from the first attempt', language: 'EN' },
    });
    await job!.moveToFailed(new Error('worker lost'), 'crashing-worker'); // BullMQ retries it after its backoff
    await crashing.close();
    expect(await queue.state(id)).toMatch(/delayed|waiting|prioritized/);
    await withWorker(() => statusBecomes(id, 'SUCCEEDED'));
    const { insights } = await jobSeen(id);
    expect(insights.map((i) => i.kind).sort()).toEqual(['NARRATIVE', 'TREND']);
    expect(insights.map((i) => i.id)).not.toContain(stale.id);
    expect(insights.map((i) => i.summary)).not.toContain('from the first attempt');
  });
});

describe('reports', () => {
  const runsSeen = async () => {
    const r = await gql(
      stack.url,
      'query($t: ID!) { template(id: $t) { runs(limit: 100) { id status } } }',
      { t: templateId },
      analyst.token,
    );
    expect(r.errors).toBeUndefined();
    return r.data!.template.runs as Array<{ id: string; status: string }>;
  };

  it('marks FAILED a report run a crash left RUNNING, once past STUCK_WORK_MINUTES', async () => {
    const { prisma, logger } = stack.runtime;
    // runReport records its run RUNNING before rendering: a crash while rendering leaves it so.
    const running = (startedAt: Date) =>
      prisma.reportRun.create({ data: { templateId, templateVersion: 1, status: 'RUNNING', createdById: analyst.id, startedAt } });
    const [lost, young] = [await running(minutesAgo(31)), await running(minutesAgo(5))];
    const warn = vi.spyOn(logger, 'warn');
    expect(await sweepStuckRuns(reportDeps(stack.runtime), logger)).toEqual({ retried: 0, failed: 1 });
    const swept = await prisma.reportRun.findUniqueOrThrow({ where: { id: lost.id } });
    expect(swept).toMatchObject({ status: 'FAILED' });
    expect(swept.error).toMatch(/stopped before it finished.*STUCK_WORK_MINUTES/);
    expect(warn).toHaveBeenCalledWith({ runId: lost.id, scheduleId: null }, expect.stringContaining('marked FAILED'));
    expect(await runsSeen()).toContainEqual({ id: lost.id, status: 'FAILED' });
    expect((await prisma.reportRun.findUniqueOrThrow({ where: { id: young.id } })).status).toBe('RUNNING');
    await prisma.reportRun.delete({ where: { id: young.id } });
  });

  /** A schedule through the gateway, then made due at `due` (long past: the most overdue of all). */
  async function dueSchedule(cron: string, due: Date) {
    const s = await gql(
      stack.url,
      'mutation($t: ID!, $c: String!) { scheduleReport(templateId: $t, cron: $c) { id } }',
      { t: templateId, c: cron },
      analyst.token,
    );
    expect(s.errors).toBeUndefined();
    const scheduleId = s.data!.scheduleReport.id as string;
    await stack.runtime.prisma.reportSchedule.update({ where: { id: scheduleId }, data: { nextRunAt: due } });
    return scheduleId;
  }

  it('records a due occurrence with its claim, so a crash before rendering loses nothing: the sweep renders it', async () => {
    const { prisma, logger } = stack.runtime;
    const due = new Date('2019-01-01T06:00:00Z');
    const scheduleId = await dueSchedule('0 6 1 1 *', due);
    // The claim commits; the process dies before rendering.
    expect((await claimDueOccurrence(reportDeps(stack.runtime)))?.run).toBeTruthy();
    const schedule = await prisma.reportSchedule.findUniqueOrThrow({ where: { id: scheduleId } });
    expect(schedule.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    const key = { scheduleId_scheduledFor: { scheduleId, scheduledFor: due } };
    const run = await prisma.reportRun.findUniqueOrThrow({ where: key });
    expect(run).toMatchObject({ status: 'RUNNING', attempts: 1 });
    // STUCK_WORK_MINUTES later the sweep renders it once more.
    await prisma.reportRun.update({ where: key, data: { startedAt: minutesAgo(31) } });
    const info = vi.spyOn(logger, 'info');
    expect(await sweepStuckRuns(reportDeps(stack.runtime), logger)).toEqual({ retried: 1, failed: 0 });
    expect(info).toHaveBeenCalledWith(
      expect.objectContaining({ runId: run.id, scheduleId }),
      expect.stringContaining('rendering it again'),
    );
    const rendered = await prisma.reportRun.findUniqueOrThrow({ where: key });
    expect(rendered).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    expect((rendered.result as { sections: unknown[] }).sections).toHaveLength(demoSections.length);
    // Should the retry stall too, the next sweep ends it.
    await prisma.reportRun.update({ where: key, data: { status: 'RUNNING', startedAt: minutesAgo(31) } });
    expect(await sweepStuckRuns(reportDeps(stack.runtime), logger)).toEqual({ retried: 0, failed: 1 });
    expect(await runsSeen()).toContainEqual({ id: run.id, status: 'FAILED' });
  });

  it('records one run per occurrence however many replicas claim it', async () => {
    const { prisma, logger } = stack.runtime;
    const due = new Date('2018-01-01T07:00:00Z');
    const scheduleId = await dueSchedule('0 7 1 1 *', due);
    // Replicas ticking at once: the row lock hands the occurrence to one of them.
    await Promise.all([
      claimDueOccurrence(reportDeps(stack.runtime)),
      claimDueOccurrence(reportDeps(stack.runtime)),
      runDueSchedules(reportDeps(stack.runtime), logger),
    ]);
    // A replica that still saw the old nextRunAt (the schedule put back): the occurrence is not recorded twice.
    await prisma.reportSchedule.update({ where: { id: scheduleId }, data: { nextRunAt: due } });
    expect(await claimDueOccurrence(reportDeps(stack.runtime))).toEqual({ run: null });
    expect(await prisma.reportRun.count({ where: { scheduleId } })).toBe(1);
    expect(await prisma.reportRun.count({ where: { scheduleId, scheduledFor: due } })).toBe(1);
    const schedule = await prisma.reportSchedule.findUniqueOrThrow({ where: { id: scheduleId } });
    expect(schedule.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    expect((await runsSeen()).length).toBeGreaterThan(0);
  });

  it('runs nothing in the name of a disabled maker: their schedule is paused when it comes due', async () => {
    const { prisma, logger } = stack.runtime;
    const due = new Date('2019-01-01T07:00:00Z');
    const scheduleId = await dueSchedule('0 7 1 1 *', due);
    await prisma.user.update({ where: { id: analyst.id }, data: { disabledAt: new Date() } });
    try {
      const warn = vi.spyOn(logger, 'warn');
      await runDueSchedules(reportDeps(stack.runtime), logger);
      expect(await prisma.reportRun.count({ where: { scheduleId } })).toBe(0);
      expect(await prisma.reportSchedule.findUniqueOrThrow({ where: { id: scheduleId } })).toMatchObject({ enabled: false });
      expect(warn).toHaveBeenCalledWith({ scheduleId }, expect.stringContaining('paused'));
    } finally {
      await prisma.user.update({ where: { id: analyst.id }, data: { disabledAt: null } });
    }
  });
});
