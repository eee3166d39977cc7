// Puts right analyses whose row and queue entry disagree. A job is committed QUEUED and then put
// on the queue: a crash or a Redis failure in between leaves a row no worker will ever see. A
// worker that dies mid-job leaves a RUNNING row; BullMQ retries it while attempts are left, and
// after that nothing would ever finish the row. Run once per period per deployment.
import type { Config } from '../../../lib/config.js';
import type { Logger } from '../../../lib/logger.js';
import type { AnalysisJob, JobStatus, PrismaClient } from '../../../lib/prisma.js';
import type { PubSub } from '../../../lib/pubsub.js';
import { analysisQueueName, progressChannel, type AnalysisQueue, type ProgressEvent, type QueueState } from '../queue.js';

/** How often a deployment reconciles its analyses. */
export const RECONCILE_SECONDS = 60;

/** A QUEUED row younger than this may be between its commit and `queue.add`: it is left alone. */
export const QUEUED_GRACE_MS = 60_000;

/** Rows looked at per pass, oldest first: a large backlog is checked over several passes. */
const BATCH = 500;

export interface ReconcileDeps {
  prisma: PrismaClient;
  pubsub: PubSub;
  logger: Logger;
  config: Config;
  /** The deployment's queue, opened only when there is something to check. */
  queue(): AnalysisQueue;
}

export interface Reconciled {
  requeued: number;
  failed: number;
}

type Candidate = Pick<AnalysisJob, 'id' | 'status' | 'priority'>;

/** States from which BullMQ will never hand the job to a worker again. */
const DONE_IN_QUEUE = new Set<QueueState>(['completed', 'failed', 'unknown']);

/**
 * One pass: QUEUED rows past the grace period that the queue does not hold are queued again;
 * QUEUED rows the queue has finished with, and RUNNING rows older than STUCK_WORK_MINUTES whose
 * queue entry is gone or finished, are marked FAILED. Each fix is logged on one line.
 */
export async function reconcileAnalyses(deps: ReconcileDeps, now = new Date()): Promise<Reconciled> {
  const stuckBefore = new Date(now.getTime() - deps.config.quotas.stuckWorkMinutes * 60_000);
  const candidates = await deps.prisma.analysisJob.findMany({
    where: {
      queue: analysisQueueName(deps.config),
      OR: [
        { status: 'QUEUED', createdAt: { lt: new Date(now.getTime() - QUEUED_GRACE_MS) } },
        { status: 'RUNNING', startedAt: { lt: stuckBefore } },
      ],
    },
    select: { id: true, status: true, priority: true },
    orderBy: { createdAt: 'asc' },
    take: BATCH,
  });
  const done: Reconciled = { requeued: 0, failed: 0 };
  if (candidates.length === 0) return done;
  const queue = deps.queue();
  for (const job of candidates) {
    const outcome = await reconcileOne(deps, queue, job, await queue.state(job.id), stuckBefore);
    if (outcome) done[outcome]++;
  }
  return done;
}

async function reconcileOne(
  deps: ReconcileDeps,
  queue: AnalysisQueue,
  job: Candidate,
  state: QueueState | null,
  stuckBefore: Date,
): Promise<keyof Reconciled | null> {
  if (job.status === 'QUEUED' && state === null) {
    // Same id as the first time: should the first `add` have landed after all, this one is a no-op.
    await queue.add(job.id, job.priority);
    deps.logger.info({ jobId: job.id }, 'analysis recorded as QUEUED but not on the queue: queued it again');
    return 'requeued';
  }
  if (state !== null && !DONE_IN_QUEUE.has(state)) return null; // waiting, delayed or active: the queue has it
  const error =
    job.status === 'QUEUED'
      ? 'the analysis queue finished with this job before any worker started it'
      : `the worker running this analysis stopped and no retry is left (RUNNING for over ${deps.config.quotas.stuckWorkMinutes} minutes, STUCK_WORK_MINUTES)`;
  return (await failJob(deps, job, error, stuckBefore)) ? 'failed' : null;
}

/** Marks the job FAILED unless it moved on meanwhile, and tells its subscribers. */
async function failJob(deps: ReconcileDeps, job: Candidate, error: string, stuckBefore: Date): Promise<boolean> {
  const finishedAt = new Date();
  const moved = await deps.prisma.analysisJob.updateMany({
    where: { id: job.id, status: job.status, ...(job.status === 'RUNNING' ? { startedAt: { lt: stuckBefore } } : {}) },
    data: { status: 'FAILED' satisfies JobStatus, stage: 'failed', error, finishedAt },
  });
  if (moved.count === 0) return false;
  await deps.pubsub.publish(progressChannel(job.id), {
    jobId: job.id,
    status: 'FAILED',
    stage: 'failed',
    progress: 1,
    message: error,
    insightId: null,
  } satisfies ProgressEvent);
  deps.logger.warn({ jobId: job.id, was: job.status }, `analysis marked FAILED: ${error}`);
  return true;
}
