// The analysis worker: takes jobs from the queue, reads the series, runs each asked-for analysis
// on the registry's chosen model versions through the inference engine (CUDA when present), and
// streams progress over Redis pub/sub, storing every insight as it is found.
import { Worker, type Job } from 'bullmq';
import { resolveVersion } from '../../../lib/datasets/catalog.js';
import { readSeries } from '../../../lib/datasets/reader.js';
import { recordFeatures } from '../../../lib/registry/drift.js';
import { recordOutcomes } from '../../../lib/registry/health.js';
import { chooseVersion } from '../../../lib/registry/selection.js';
import type { AnalysisKind, Prisma } from '../../../lib/prisma.js';
import type { Runtime } from '../../../lib/runtime.js';
import { InferenceEngine, type ModelHandle } from '../../../models/runtime/engine.js';
import { ANALYSIS_QUEUE, progressChannel, queueConnection, queuePrefix, type AnalysisJobData, type ProgressEvent } from '../queue.js';
import { anomalies, chart, forecast, narrative, trendInsight, type AnalysisTools, type InsightDraft, type LoadedModel } from './analyze.js';

/** NARRATIVE goes last: it tells what the others found. */
const ORDER: AnalysisKind[] = ['TREND', 'ANOMALY', 'FORECAST', 'CHART', 'NARRATIVE'];

class Cancelled extends Error {}

export interface AnalysisWorker {
  /** Starts the inference threads and takes jobs from the queue. */
  start(): void;
  /** Lets running jobs finish (or hand them back to the queue), then stops the threads. */
  stop(): Promise<void>;
}

/** An analysis worker: nothing runs until `start`. */
export function createAnalysisWorker(runtime: Runtime, { concurrency = 2 }: { concurrency?: number } = {}): AnalysisWorker {
  const { prisma, pool, redis, pubsub, logger, config } = runtime;
  let engine: InferenceEngine | null = null;
  let worker: Worker<AnalysisJobData> | null = null;
  let connection: ReturnType<typeof queueConnection> | null = null;
  const handles = new Map<string, Promise<ModelHandle>>();

  async function loadModel(name: string, stickyKey: string): Promise<LoadedModel> {
    const chosen = await chooseVersion(prisma, name, stickyKey);
    if (!chosen) {
      throw new Error(
        `model "${name}" has no version in production or in its traffic split: an ADMIN sets one with setModelAlias(alias: "production") or setTrafficSplit`,
      );
    }
    let handle = handles.get(chosen.sha256);
    if (!handle) {
      handle = prisma.modelArtifact
        .findUniqueOrThrow({ where: { sha256: chosen.sha256 } })
        .then((a) => engine!.load(name, new Uint8Array(a.bytes)));
      handles.set(chosen.sha256, handle);
      handle.catch(() => handles.delete(chosen.sha256));
    }
    const version = await prisma.modelVersion.findUniqueOrThrow({ where: { id: chosen.versionId }, select: { metrics: true } });
    return { handle: await handle, versionId: chosen.versionId, metrics: (version.metrics as Record<string, unknown> | null) ?? null };
  }

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

  async function process(job: Job<AnalysisJobData>) {
    const id = job.data.jobId;
    const row = await beginAttempt(id);
    if (!row) return;
    const emit = async (e: Omit<ProgressEvent, 'jobId'>) => {
      await prisma.analysisJob.update({ where: { id }, data: { stage: e.stage, progress: e.progress } });
      await pubsub.publish(progressChannel(id), { jobId: id, ...e } satisfies ProgressEvent);
    };
    const checkCancelled = async () => {
      const now = await prisma.analysisJob.findUnique({ where: { id }, select: { status: true } });
      if (now?.status === 'CANCELLED') throw new Cancelled();
    };
    const used = new Set<string>();
    let device: string | null = null;
    const tools: AnalysisTools = {
      // The dataset is the sticky key: it keeps meeting the same versions of a split.
      model: async (name) => {
        const m = await loadModel(name, row.datasetId);
        used.add(m.versionId);
        device ??= m.handle.device;
        return m;
      },
      run: async (model, input, rows, width) => {
        const t0 = performance.now();
        try {
          const out = await engine!.runRows(model.handle, input, rows, width);
          await recordOutcomes(redis, model.versionId, [{ ok: true, latencyMs: performance.now() - t0 }]);
          // What the model saw, for drift: the level and spread of its inputs.
          const n = rows.length / width;
          const features = Array.from({ length: Math.min(n, 200) }, (_, r) => {
            const w = rows.subarray(r * width, (r + 1) * width);
            const mean = w.reduce((a, b) => a + b, 0) / width;
            return { mean, spread: Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / width) };
          });
          await recordFeatures(redis, model.versionId, features);
          return out;
        } catch (err) {
          await recordOutcomes(redis, model.versionId, [{ ok: false, latencyMs: performance.now() - t0 }]);
          throw err;
        }
      },
    };

    try {
      await emit({ status: 'RUNNING', stage: 'loading', progress: 0.05, message: 'reading the series', insightId: null });
      const { version, columns } = await resolveVersion(prisma, row.datasetId, null);
      if (row.datasetVersionId && version.id !== row.datasetVersionId)
        logger.info({ id }, 'dataset changed since the job was queued; analysing the current version');
      const series = await readSeries(pool, version.tableName, columns, row.column, row.timeColumn);
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
                ? await chart(row.column, row.timeColumn, series, tools, row.language)
                : kind === 'TREND'
                  ? trendInsight(row.column, series, row.language)
                  : narrative(row.column, series, found, row.language);
        found.push(insight);
        const stored = await prisma.insight.create({
          data: {
            jobId: id,
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
          },
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
      const final = cancelled || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
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
      engine = new InferenceEngine(config.onnx);
      connection = queueConnection(config, logger);
      worker = new Worker<AnalysisJobData>(ANALYSIS_QUEUE, process, { connection, prefix: queuePrefix(config), concurrency });
      worker.on('error', (err) => logger.warn({ err: err.message }, 'analysis worker error'));
    },
    async stop() {
      await worker?.close();
      connection?.disconnect();
      await engine?.close();
      worker = null;
      connection = null;
      engine = null;
      handles.clear();
    },
  };
}
