// The analysis queue (BullMQ on Redis): runAnalysis adds, workers take, urgent first. BullMQ
// keeps jobs in Redis across worker crashes and retries stalled ones.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../../lib/config.js';

export const ANALYSIS_QUEUE = 'analysis';
export const PRIORITY = { URGENT: 1, NORMAL: 5, LOW: 10 } as const;
export const progressChannel = (jobId: string) => `analysis-progress:${jobId}`;

export interface AnalysisJobData {
  jobId: string;
}

/** What the worker publishes on a job's progress channel. */
export interface ProgressEvent {
  jobId: string;
  status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  stage: string;
  progress: number;
  message: string | null;
  insightId: string | null;
}

export const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** Attempts per job: a crash or a lost worker gets one retry. */
export const ATTEMPTS = 2;

/** BullMQ wants its own connection, with no retry cap on blocking commands. */
export function queueConnection(config: Config): Redis {
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: false });
  redis.on('error', () => {});
  return redis;
}

export const queuePrefix = (config: Config) => `${config.redisKeyPrefix}bull`;

export function createAnalysisQueue(config: Config) {
  const connection = queueConnection(config);
  const queue = new Queue<AnalysisJobData>(ANALYSIS_QUEUE, { connection, prefix: queuePrefix(config) });
  return {
    queue,
    async add(jobId: string, priority: keyof typeof PRIORITY) {
      await queue.add('analyse', { jobId }, {
        jobId,
        priority: PRIORITY[priority],
        attempts: ATTEMPTS,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 24 * 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
    },
    /** Drops a job that no worker has taken yet; a running one stops at its next step. */
    async remove(jobId: string) {
      await queue.remove(jobId).catch(() => 0);
    },
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

export type AnalysisQueue = ReturnType<typeof createAnalysisQueue>;
