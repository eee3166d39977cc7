// The registry's models as a serving part sees them: the version the traffic split (or the
// `production` alias) picks for a sticky key, loaded into an inference engine once per artefact,
// and every run recorded for the registry's health checks and drift. Used by the analysis workers,
// chart suggestions and report rendering alike.
import { metrics } from '../../lib/metrics.js';
import { recordFeatures } from '../../lib/registry/drift.js';
import { recordOutcomes } from '../../lib/registry/health.js';
import { chooseVersion } from '../../lib/registry/selection.js';
import type { PrismaClient } from '../../lib/prisma.js';
import type { Redis } from '../../lib/redis.js';
import type { Runtime } from '../../lib/runtime.js';
import { withSpan } from '../../lib/tracing/index.js';
import { InferenceEngine, type ModelHandle, type RowsResult } from './engine.js';

export interface ServedModel {
  handle: ModelHandle;
  versionId: string;
  /** The version's number in its model. */
  version: number;
  metrics: Record<string, unknown> | null;
}

/** Thrown when a model has neither a split nor a `production` version: nothing may serve it. */
export class ModelNotServedError extends Error {
  constructor(readonly modelName: string) {
    super(
      `model "${modelName}" has no version in production or in its traffic split: an ADMIN sets one with setModelAlias(alias: "production") or setTrafficSplit`,
    );
    this.name = 'ModelNotServedError';
  }
}

/** Per input row of the first input: its mean and spread — what drift compares (200 rows at most). */
function driftFeatures(rows: Float32Array, width: number): Array<Record<string, number>> {
  const n = Math.min(rows.length / width, 200);
  return Array.from({ length: n }, (_, r) => {
    const w = rows.subarray(r * width, (r + 1) * width);
    const mean = w.reduce((a, b) => a + b, 0) / width;
    return { mean, spread: Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / width) };
  });
}

export interface ServedModels {
  /** The version that serves `stickyKey`, loaded. Throws ModelNotServedError when none may. */
  load(name: string, stickyKey: string): Promise<ServedModel>;
  /** Rows through the engine's dynamic batcher, the outcome and inputs recorded for the registry. */
  infer(model: ServedModel, feeds: Record<string, Float32Array>, rows: number): Promise<RowsResult>;
  /** Forgets the loaded handles (the engine is closed by its owner). */
  clear(): void;
}

export function createServedModels({
  prisma,
  redis,
  engine,
}: {
  prisma: PrismaClient;
  redis: Redis;
  engine: () => InferenceEngine;
}): ServedModels {
  const handles = new Map<string, Promise<ModelHandle>>();
  return {
    async load(name, stickyKey) {
      const chosen = await chooseVersion(prisma, name, stickyKey);
      if (!chosen) throw new ModelNotServedError(name);
      let handle = handles.get(chosen.sha256);
      if (!handle) {
        handle = prisma.modelArtifact
          .findUniqueOrThrow({ where: { sha256: chosen.sha256 } })
          .then((a) => engine().load(name, new Uint8Array(a.bytes)));
        handles.set(chosen.sha256, handle);
        handle.catch(() => handles.delete(chosen.sha256));
      }
      const version = await prisma.modelVersion.findUniqueOrThrow({ where: { id: chosen.versionId }, select: { metrics: true } });
      return {
        handle: await handle,
        versionId: chosen.versionId,
        version: chosen.version,
        metrics: (version.metrics as Record<string, unknown> | null) ?? null,
      };
    },

    infer(model, feeds, rows) {
      const attributes = {
        'reportgraph.model.name': model.handle.name,
        'reportgraph.model.version': model.version,
        'reportgraph.model.version_id': model.versionId,
        'reportgraph.inference.rows': rows,
      };
      return withSpan(`inference ${model.handle.name}`, { attributes }, async (span) => {
        const result = await inferRows(model, feeds, rows);
        span?.setAttribute('reportgraph.inference.device', result.device ?? model.handle.device);
        if (result.batchRows) span?.setAttribute('reportgraph.inference.batch_rows', result.batchRows);
        return result;
      });
    },

    clear() {
      handles.clear();
    },
  };

  /** Runs the rows and records the version's outcome, latency and input features (drift). */
  async function inferRows(model: ServedModel, feeds: Record<string, Float32Array>, rows: number): Promise<RowsResult> {
    const t0 = performance.now();
    const labels = { model: model.handle.name, version: String(model.version) };
    try {
      const result = await engine().inferRows(model.handle, feeds, rows);
      const device = result.device ?? model.handle.device;
      metrics.inferenceDuration.observe({ ...labels, device, outcome: 'ok' }, (performance.now() - t0) / 1000);
      await recordOutcomes(redis, model.versionId, [{ ok: true, latencyMs: performance.now() - t0 }]);
      const first = model.handle.inputs[0]!;
      await recordFeatures(redis, model.versionId, driftFeatures(feeds[first.name]!, feeds[first.name]!.length / rows));
      return result;
    } catch (err) {
      metrics.inferenceDuration.observe({ ...labels, device: model.handle.device, outcome: 'error' }, (performance.now() - t0) / 1000);
      await recordOutcomes(redis, model.versionId, [{ ok: false, latencyMs: performance.now() - t0 }]);
      throw err;
    }
  }
}

/**
 * Served models on an engine of their own, opened on first use — for a subgraph that runs a model
 * now and then (chart suggestions, report charts): one inference thread, the ONNX_* settings
 * otherwise. `close` ends the engine (a subgraph's `stop`).
 */
export function lazyServedModels({
  prisma,
  redis,
  config,
}: Pick<Runtime, 'prisma' | 'redis' | 'config'>): ServedModels & { close(): Promise<void> } {
  let engine: InferenceEngine | null = null;
  const served = createServedModels({ prisma, redis, engine: () => (engine ??= new InferenceEngine({ ...config.onnx, workers: 1 })) });
  return {
    ...served,
    async close() {
      served.clear();
      const opened = engine;
      engine = null;
      await opened?.close();
    },
  };
}
