// The analysis worker: takes jobs from the queue, reads the series, runs each asked-for analysis
// on the registry's chosen model versions through the inference engine (CUDA when present), and
// streams progress over Redis pub/sub, storing every insight as it is found. The jobs a worker
// runs at once (ANALYSIS_CONCURRENCY) send their rows through the engine's dynamic batcher, so
// their inferences share batches; the job records the device that ran them.
import { Worker, type Job } from 'bullmq';
import { profiledColumns, resolveVersion, type ColumnProfile } from '../../../lib/datasets/catalog.js';
import { readSeries, readSeriesBy } from '../../../lib/datasets/reader.js';
import { ErrorCode, ReportGraphError } from '../../../lib/errors.js';
import type { AnalysisKind, Prisma } from '../../../lib/prisma.js';
import { metrics } from '../../../lib/metrics.js';
import type { Runtime } from '../../../lib/runtime.js';
import { SpanKind, withRemoteParent } from '../../../lib/tracing/index.js';
import { suggestChart } from '../../../models/runtime/chartAdvisor.js';
import { InferenceEngine } from '../../../models/runtime/engine.js';
import { createServedModels } from '../../../models/runtime/servedModels.js';
import { ANALYSIS_QUEUE, progressChannel, queueConnection, queuePrefix, type AnalysisJobData, type ProgressEvent } from '../queue.js';
import { anomalies, chart, forecast, narrative, trendInsight, type AnalysisTools, type InsightDraft } from './analyze.js';
import { explainAnomalies } from './drivers.js';

/** A categorical column drivers look at unasked: TEXT with at most this many distinct values. */
export const AUTO_DIMENSION_VALUES = 50;

/** The job's own dimensions, else the version's TEXT columns with few values (never the analysed columns). */
export function driverDimensions(asked: string[], columns: ColumnProfile[], exclude: Array<string | null>, max: number): string[] {
  if (asked.length) return asked;
  return columns
    .filter((c) => c.type === 'TEXT' && c.distinctCount !== null && c.distinctCount <= AUTO_DIMENSION_VALUES && !exclude.includes(c.name))
    .slice(0, max)
    .map((c) => c.name);
}

/** NARRATIVE goes last: it tells what the others found. */
const ORDER: AnalysisKind[] = ['TREND', 'ANOMALY', 'FORECAST', 'CHART', 'NARRATIVE'];

class Cancelled extends Error {}

export interface AnalysisWorker {
  /** Starts the inference threads and takes jobs from the queue. */
  start(): void;
  /** Lets running jobs finish (or hand them back to the queue), then stops the threads. */
  stop(): Promise<void>;
  /** The device its inferences get (CUDA, or CPU and why not CUDA), learnt by loading a tiny model; after `start`. */
  device(): Promise<{ device: string; fallback?: string }>;
}

export interface AnalysisWorkerOptions {
  /** Analyses run at once (their inferences share the engine's batches). @default 2 */
  concurrency?: number;
  /**
   * The inference engine to run on, owned by the caller (a benchmark reading its batch counters, a
   * test's engine whose GPU fails). @default one of the worker's own, from ONNX_* settings
   */
  engine?: InferenceEngine;
  /**
   * Start the worker's own engine (and its ONNX threads) with the first analysis instead of at
   * `start`: for a process that mostly serves requests (single host), which then holds no
   * inference threads until one is needed. @default false
   */
  engineOnFirstJob?: boolean;
}

/** An analysis worker: nothing runs until `start`. */
export function createAnalysisWorker(
  runtime: Runtime,
  { concurrency = 2, engine: given, engineOnFirstJob = false }: AnalysisWorkerOptions = {},
): AnalysisWorker {
  const { prisma, pool, redis, pubsub, logger, config } = runtime;
  let engine: InferenceEngine | null = null;
  let worker: Worker<AnalysisJobData> | null = null;
  let connection: ReturnType<typeof queueConnection> | null = null;
  const served = createServedModels({ prisma, redis, engine: () => (engine ??= given ?? new InferenceEngine(config.onnx)) });

  /**
   * Starts an attempt: the job moves to RUNNING and loses what an earlier attempt stored, in one
   * transaction, so a job retried after a crash ends with one insight per kind. Resolves to the row,
   * or null when the job was cancelled before it started or has already finished.
   */
  async function beginAttempt(id: string) {
    return prisma.$transaction(async (tx) => {
      const moved = await tx.analysisJob.updateMany({
        where: { id, status: { in: ['QUEUED', 'RUNNING'] } },
        data: { status: 'RUNNING', startedAt: new Date(), error: null },
      });
      if (moved.count === 0) return null;
      await tx.insight.deleteMany({ where: { jobId: id } });
      return tx.analysisJob.findUniqueOrThrow({ where: { id } });
    });
  }

  /** A job, in a CONSUMER span continuing the trace that queued it (when tracing is on). */
  function process(job: Job<AnalysisJobData>) {
    const attributes = {
      'messaging.system': 'bullmq',
      'messaging.destination.name': ANALYSIS_QUEUE,
      'messaging.message.id': job.data.jobId,
      'reportgraph.attempt': job.attemptsMade + 1,
    };
    return withRemoteParent({ ...job.data }, `${ANALYSIS_QUEUE} process`, { kind: SpanKind.CONSUMER, attributes }, () => analyse(job));
  }

  async function analyse(job: Job<AnalysisJobData>) {
    const id = job.data.jobId;
    const row = await beginAttempt(id);
    if (!row) return;
    const started = performance.now();
    const timed = (outcome: string) =>
      metrics.jobDuration.observe({ outcome, device: device ?? 'none' }, (performance.now() - started) / 1000);
    const emit = async (e: Omit<ProgressEvent, 'jobId'>) => {
      await prisma.analysisJob.update({ where: { id }, data: { stage: e.stage, progress: e.progress } });
      await pubsub.publish(progressChannel(id), { jobId: id, ...e } satisfies ProgressEvent);
    };
    const checkCancelled = async () => {
      const now = await prisma.analysisJob.findUnique({ where: { id }, select: { status: true } });
      if (now?.status === 'CANCELLED') throw new Cancelled();
    };
    const used = new Set<string>();
    // The device that ran the job's inferences: cpu as soon as any ran there (a CUDA run that
    // failed and was run again on the CPU counts as cpu).
    let device: string | null = null;
    const noteDevice = (d: string | undefined) => {
      if (d) device = device === 'cpu' || d === 'cpu' ? 'cpu' : d;
    };

    try {
      await emit({ status: 'RUNNING', stage: 'loading', progress: 0.05, message: 'reading the series', insightId: null });
      const { version, columns } = await resolveVersion(prisma, row.datasetId, null);
      const profiles = await profiledColumns(prisma, version.id);
      const dimensions = driverDimensions(row.dimensions, profiles, [row.column, row.timeColumn], config.quotas.analysisMaxDimensions);
      const tools: AnalysisTools = {
        // The dataset is the sticky key: it keeps meeting the same versions of a split.
        model: async (name) => {
          const m = await served.load(name, row.datasetId);
          used.add(m.versionId);
          return m;
        },
        infer: async (model, feeds, rows) => {
          const { outputs, device: ran } = await served.infer(model, feeds, rows);
          noteDevice(ran ?? model.handle.device);
          return outputs as Record<string, Float32Array>;
        },
        explain: (flags, periods, trendWidth) =>
          explainAnomalies(flags, {
            dimensions,
            timestamps: series.timestamps ?? [],
            periods,
            trendWidth,
            read: (dimension, from, to) =>
              readSeriesBy(
                pool,
                version.tableName,
                columns,
                { column: row.column, timeColumn: row.timeColumn!, dimension },
                { maxValues: config.quotas.analysisMaxDimensionValues, from, to },
              ),
          }),
        chart: async (query) => {
          const suggestion = await suggestChart(served, {
            query,
            columns: profiles,
            rowCount: Number(version.rowCount),
            stickyKey: row.datasetId,
            data: { name: 'rows' },
          });
          used.add(suggestion.modelVersionId);
          return suggestion;
        },
      };
      if (row.datasetVersionId && version.id !== row.datasetVersionId)
        logger.info({ id }, 'dataset changed since the job was queued; analysing the current version');
      const series = await readSeries(pool, version.tableName, columns, row.column, row.timeColumn, config.quotas.analysisMaxPoints);
      if (series.values.length === 0) throw new Error(`column "${row.column}" has no values`);
      const kinds = ORDER.filter((k) => row.kinds.includes(k));
      const found: InsightDraft[] = [];
      for (const [i, kind] of kinds.entries()) {
        await checkCancelled();
        await emit({
          status: 'RUNNING',
          stage: kind.toLowerCase(),
          progress: 0.1 + (0.85 * i) / kinds.length,
          message: `${kind.toLowerCase()}…`,
          insightId: null,
        });
        const insight =
          kind === 'ANOMALY'
            ? await anomalies(row.column, series, tools, row.language)
            : kind === 'FORECAST'
              ? await forecast(row.column, series, row.horizon, tools, row.language)
              : kind === 'CHART'
                ? await chart(row.column, row.timeColumn, dimensions, tools, row.language)
                : kind === 'TREND'
                  ? trendInsight(row.column, series, row.language)
                  : narrative(row.column, series, found, row.language);
        found.push(insight);
        // One row per kind (a unique key): should two attempts ever overlap — a worker that lost
        // its lock while still alive — the second replaces the first's insight, never adds one.
        const values = {
          datasetId: row.datasetId,
          kind: insight.kind,
          column: row.column,
          summary: insight.summary,
          language: row.language,
          anomalies: insight.anomalies as unknown as Prisma.InputJsonValue,
          forecast: insight.forecast as unknown as Prisma.InputJsonValue,
          chart: (insight.chart ?? undefined) as Prisma.InputJsonValue | undefined,
          details: insight.details as Prisma.InputJsonValue,
          modelVersionId: insight.modelVersionId,
        };
        const stored = await prisma.insight.upsert({
          where: { jobId_kind: { jobId: id, kind: insight.kind } },
          create: { jobId: id, ...values },
          update: { ...values, createdAt: new Date() },
        });
        await emit({
          status: 'RUNNING',
          stage: kind.toLowerCase(),
          progress: 0.1 + (0.85 * (i + 1)) / kinds.length,
          message: insight.summary,
          insightId: stored.id,
        });
      }
      await prisma.analysisJob.update({
        where: { id },
        data: { status: 'SUCCEEDED', stage: 'done', progress: 1, finishedAt: new Date(), device, modelVersionIds: [...used] },
      });
      timed('succeeded');
      await pubsub.publish(progressChannel(id), {
        jobId: id,
        status: 'SUCCEEDED',
        stage: 'done',
        progress: 1,
        message: `${found.length} insight(s)`,
        insightId: null,
      } satisfies ProgressEvent);
    } catch (err) {
      const cancelled = err instanceof Cancelled;
      // Input the worker refuses (a series past ANALYSIS_MAX_POINTS, a column gone) fails the same way every time: no retry.
      const refused = err instanceof ReportGraphError && err.code === ErrorCode.BAD_USER_INPUT;
      const final = cancelled || refused || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      timed(cancelled ? 'cancelled' : final ? 'failed' : 'retried');
      if (!final) throw err; // BullMQ retries it
      const message = cancelled ? 'cancelled' : (err as Error).message;
      await prisma.analysisJob.updateMany({
        where: { id, status: { in: ['QUEUED', 'RUNNING'] } },
        data: { status: 'FAILED', stage: 'failed', error: message, finishedAt: new Date(), device, modelVersionIds: [...used] },
      });
      const status = cancelled ? 'CANCELLED' : 'FAILED';
      await pubsub.publish(progressChannel(id), {
        jobId: id,
        status,
        stage: status.toLowerCase(),
        progress: 1,
        message,
        insightId: null,
      } satisfies ProgressEvent);
      if (!cancelled) logger.warn({ id, err: message }, 'analysis failed');
    }
  }

  return {
    start() {
      if (worker) return;
      if (!engineOnFirstJob) engine = given ?? new InferenceEngine(config.onnx);
      connection = queueConnection(config, logger);
      worker = new Worker<AnalysisJobData>(ANALYSIS_QUEUE, process, {
        connection,
        prefix: queuePrefix(config),
        concurrency,
        // A worker that dies mid-job (SIGKILL, OOM, a lost node) stops renewing its lock; the next
        // stalled check of any live worker hands the job back to the queue for another attempt.
        lockDuration: config.analysisQueue.lockSeconds * 1000,
        stalledInterval: config.analysisQueue.stalledIntervalSeconds * 1000,
      });
      worker.on('error', (err) => logger.warn({ err: err.message }, 'analysis worker error'));
    },
    async device() {
      if (!engine) throw new Error('the analysis worker is not started');
      return engine.probeDevice();
    },
    async stop() {
      await worker?.close();
      connection?.disconnect();
      if (!given) await engine?.close();
      worker = null;
      connection = null;
      engine = null;
      served.clear();
    },
  };
}
