// The analysis queue (BullMQ on Redis): runAnalysis adds, workers take, urgent first. BullMQ
// keeps jobs in Redis across worker crashes and retries stalled ones.
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../../lib/config.js';
import { ErrorCode, ReportGraphError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { watchQueueDepth } from '../../lib/metrics.js';
import type { JobStatus, Priority } from '../../lib/prisma.js';
import { SpanKind, traceCarrier, withSpan } from '../../lib/tracing/index.js';

export const ANALYSIS_QUEUE = 'analysis';
export const PRIORITY: Record<Priority, number> = { URGENT: 1, NORMAL: 5, LOW: 10 };
export const progressChannel = (jobId: string) => `analysis-progress:${jobId}`;

export interface AnalysisJobData {
  jobId: string;
  /** W3C trace context of the hand-off, when tracing is on: the worker continues that trace. */
  traceparent?: string;
  tracestate?: string;
}

/** What the worker publishes on a job's progress channel. */
export interface ProgressEvent {
  jobId: string;
  status: JobStatus;
  stage: string;
  progress: number;
  message: string | null;
  insightId: string | null;
}

export const FINAL = new Set<JobStatus>(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** Attempts per job: a crash or a lost worker gets one retry. */
export const ATTEMPTS = 2;

/** BullMQ wants its own connection, with no retry cap on blocking commands; its errors are logged. */
export function queueConnection(config: Config, logger: Logger): Redis {
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: false });
  redis.on('error', (err) => logger.warn({ err: err.message, part: 'analysis-queue' }, 'queue connection error'));
  return redis;
}

export const queuePrefix = (config: Config) => `${config.redisKeyPrefix}bull`;

/**
 * The queue as a job's row records it (`AnalysisJob.queue`): the deployment's prefix and the
 * queue's name. A deployment reconciles only the rows of its own queue.
 */
export const analysisQueueName = (config: Config) => `${queuePrefix(config)}:${ANALYSIS_QUEUE}`;

/** Where BullMQ holds a job, as `Job.getState()` names it. */
export type QueueState = Awaited<ReturnType<Job['getState']>>;

export function createAnalysisQueue(config: Config, logger: Logger) {
  const connection = queueConnection(config, logger);
  const queue = new Queue<AnalysisJobData>(ANALYSIS_QUEUE, { connection, prefix: queuePrefix(config) });
  queue.on('error', (err) => logger.warn({ err: err.message, part: 'analysis-queue' }, 'analysis queue error'));
  // reportgraph_analysis_queue_depth{priority}, read from BullMQ at each scrape.
  const unwatch = watchQueueDepth(async () => {
    const counts = await queue.getCountsPerPriority(Object.values(PRIORITY));
    return Object.fromEntries(Object.entries(PRIORITY).map(([name, p]) => [name, counts[String(p)] ?? 0]));
  });
  return {
    queue,
    name: analysisQueueName(config),
    /** Throws when the queue cannot reach Redis. */
    async ready() {
      await connection.ping();
    },
    /**
     * Queues a job. Fails at once while the connection is down (BullMQ's connection would hold the
     * command until Redis returns, and the caller with it).
     */
    async add(jobId: string, priority: Priority) {
      if (connection.status !== 'ready') {
        throw new ReportGraphError(ErrorCode.SERVICE_UNAVAILABLE, 'the analysis queue is unavailable; try again shortly', {
          service: 'analysis-queue',
        });
      }
      // With tracing on, the hand-off is a PRODUCER span whose context travels in the job's data.
      const publish = { 'messaging.system': 'bullmq', 'messaging.destination.name': ANALYSIS_QUEUE, 'messaging.message.id': jobId };
      await withSpan(`${ANALYSIS_QUEUE} publish`, { kind: SpanKind.PRODUCER, attributes: publish }, () =>
        queue.add(
          'analyse',
          { jobId, ...traceCarrier() },
          {
            jobId,
            priority: PRIORITY[priority],
            attempts: ATTEMPTS,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: { age: 24 * 3600, count: 10_000 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        ),
      );
    },
    /** Where BullMQ holds the job (`waiting`, `active`, `failed`, ...); null when it holds none. */
    async state(jobId: string): Promise<QueueState | null> {
      const job = await queue.getJob(jobId);
      return job ? job.getState() : null;
    },
    /** Drops a job that no worker has taken yet; a running one stops at its next step. */
    async remove(jobId: string) {
      await queue.remove(jobId).catch(() => 0);
    },
    async close() {
      unwatch();
      await queue.close();
      connection.disconnect();
    },
  };
}

export type AnalysisQueue = ReturnType<typeof createAnalysisQueue>;
