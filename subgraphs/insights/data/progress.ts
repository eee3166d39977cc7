// analysisProgress: the job's state now, then every step the worker publishes, until it ends.
import { requireRole, type Identity } from '../../../lib/auth/identity.js';
import { notFound } from '../../../lib/errors.js';
import type { AnalysisJob, Insight, PrismaClient } from '../../../lib/prisma.js';
import type { PubSub } from '../../../lib/pubsub.js';
import { isUuid } from '../../../lib/validation.js';
import { endingSource } from '../../../lib/asyncIterators.js';
import { FINAL, progressChannel, type ProgressEvent } from '../queue.js';

export interface ProgressView {
  job: AnalysisJob;
  stage: string;
  progress: number;
  message: string | null;
  insight: Insight | null;
}

// What one published step reads (the job now, the insight it names), read once for every listener:
// the pub/sub connection hands the same event object to each listener of the channel in this process.
const stepReads = new WeakMap<ProgressEvent, Promise<[AnalysisJob, Insight | null]>>();

function readStep(prisma: PrismaClient, jobId: string, e: ProgressEvent): Promise<[AnalysisJob, Insight | null]> {
  let reads = stepReads.get(e);
  if (!reads) {
    reads = Promise.all([
      prisma.analysisJob.findUniqueOrThrow({ where: { id: jobId } }),
      e.insightId ? prisma.insight.findUnique({ where: { id: e.insightId } }) : null,
    ]);
    stepReads.set(e, reads);
  }
  return reads;
}

export function analysisProgress(
  deps: { prisma: PrismaClient; pubsub: PubSub },
  actor: Identity | null,
  jobId: string,
): AsyncIterableIterator<ProgressView> {
  let events: AsyncIterableIterator<ProgressEvent> | undefined;
  async function* steps(): AsyncGenerator<ProgressView> {
    requireRole(actor, 'VIEWER');
    // Listen before reading the state, so no step falls between the two.
    events = deps.pubsub.subscribe<ProgressEvent>(progressChannel(jobId));
    try {
      const job = isUuid(jobId) ? await deps.prisma.analysisJob.findUnique({ where: { id: jobId } }) : null;
      if (!job) throw notFound('analysis job', jobId);
      yield { job, stage: job.stage, progress: job.progress, message: null, insight: null };
      if (FINAL.has(job.status)) return;
      for await (const e of events) {
        const [fresh, insight] = await readStep(deps.prisma, jobId, e);
        yield {
          job: FINAL.has(e.status) ? { ...fresh, status: e.status } : fresh,
          stage: e.stage,
          progress: e.progress,
          message: e.message,
          insight,
        };
        if (FINAL.has(e.status)) return;
      }
    } finally {
      await events.return?.();
    }
  }
  // A subscriber that leaves between steps lets go of the channel now, not at the next step.
  return endingSource(steps(), () => events);
}
