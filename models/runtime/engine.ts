// The inference engine: loads ONNX models (bytes or a path), runs them in a pool of worker
// threads on CUDA when available (else CPU), and batches small concurrent requests together.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { describeModel, Graph } from '../onnx/graph.js';
import { DynamicBatcher, type BatcherOptions, type BatcherStats, type RowsResult } from './batcher.js';
import { WorkerPool, type Device, type DevicePreference, type TensorData } from './pool.js';

export type { BatcherStats, Device, DevicePreference, RowsResult, TensorData };

export interface EngineOptions extends BatcherOptions {
  /** `ONNX_DEVICE` (see lib/config.ts, whose `onnx` section is these options): CUDA when `auto` or `cuda` and its provider loads, else CPU. @default 'auto' */
  device: DevicePreference;
  /** Worker threads. @default the number of cores */
  workers: number;
  /** Intra-op threads per worker (1 keeps workers from fighting over cores). @default 1 */
  threadsPerWorker: number;
  /** The worker thread's script. @default ./worker.mjs (ONNX Runtime); tests run one whose CUDA fails */
  workerScript?: URL;
}

export interface ModelHandle {
  /** sha256 of the bytes: the session cache key. */
  id: string;
  name: string;
  bytes: Uint8Array;
  inputs: Array<{ name: string; type: string; shape: string[] }>;
  outputs: Array<{ name: string; type: string; shape: string[] }>;
  /** The device its sessions run on. */
  device: Device;
  /** Why CUDA was not used, when it was asked for and failed to load. */
  fallback?: string;
}

export class InferenceEngine {
  readonly options: EngineOptions;
  private readonly pool: WorkerPool;
  private readonly batchers = new Map<string, DynamicBatcher>();

  constructor(options: Partial<EngineOptions> = {}) {
    this.options = {
      device: 'auto',
      workers: availableParallelism(),
      threadsPerWorker: 1,
      maxBatch: 1024,
      maxDelayUs: 2000,
      ...options,
    };
    this.pool = new WorkerPool(this.options.workers, {
      device: this.options.device,
      threadsPerWorker: this.options.threadsPerWorker,
      workerScript: this.options.workerScript,
    });
  }

  /** Loads a model from bytes or a file; fails with ONNX Runtime's reason when it cannot run it. */
  async load(name: string, source: Uint8Array | string): Promise<ModelHandle> {
    const bytes = typeof source === 'string' ? new Uint8Array(await readFile(source)) : source;
    const id = createHash('sha256').update(bytes).digest('hex');
    const { device, fallback } = await this.pool.load(id, bytes);
    const { inputs, outputs } = describeModel(bytes);
    return { id, name, bytes, inputs, outputs, device, ...(fallback ? { fallback } : {}) };
  }

  /** Runs one batch (inputs shaped [batch, ...]) in a worker; the inputs are copied, never detached. */
  async run(model: ModelHandle, feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
    const copies = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, { ...t, data: t.data.slice() } as TensorData]));
    return (await this.pool.run(model.id, model.bytes, copies)).outputs;
  }

  /**
   * One row through the dynamic batcher: `feeds` holds each input's values for a single row
   * (without the batch dimension); the answer is each output's row.
   */
  async infer(model: ModelHandle, feeds: Record<string, Float32Array>): Promise<Record<string, TensorData['data']>> {
    return (await this.inferRows(model, feeds, 1)).outputs;
  }

  /**
   * `rows` rows per input (row-major) through the dynamic batcher: the rows of callers that
   * arrive together — several analyses in one worker — run as one batch. The answer holds each
   * output's rows and the device that ran them (`cpu` once a CUDA run has failed over).
   */
  inferRows(model: ModelHandle, feeds: Record<string, Float32Array>, rows: number): Promise<RowsResult> {
    return this.batcherOf(model).submitRows(feeds, rows);
  }

  /** How much the dynamic batcher of `model` has batched so far. */
  batchStats(model: ModelHandle): BatcherStats {
    return this.batcherOf(model).stats();
  }

  /** The same over every model's batcher. */
  totalBatchStats(): BatcherStats {
    const total: BatcherStats = { requests: 0, rows: 0, batches: 0 };
    for (const b of this.batchers.values()) {
      const s = b.stats();
      total.requests += s.requests;
      total.rows += s.rows;
      total.batches += s.batches;
    }
    return total;
  }

  private batcherOf(model: ModelHandle): DynamicBatcher {
    let batcher = this.batchers.get(model.id);
    if (!batcher) {
      const shapes = Object.fromEntries(model.inputs.map((i) => [i.name, i.shape.slice(1).map(Number)]));
      batcher = new DynamicBatcher(
        shapes,
        async (batch) => {
          const { outputs, device } = await this.pool.run(model.id, model.bytes, batch);
          return { outputs, device };
        },
        this.options,
      );
      this.batchers.set(model.id, batcher);
    }
    return batcher;
  }

  /**
   * Scores many rows of one input in chunks spread over the workers (the main thread only slices
   * and copies), e.g. every window of a long series.
   */
  async runRows(
    model: ModelHandle,
    input: string,
    rows: Float32Array,
    rowWidth: number,
    chunkRows = 16384,
  ): Promise<Record<string, Float32Array>> {
    const total = rows.length / rowWidth;
    const chunks: Array<Promise<Record<string, TensorData>>> = [];
    for (let start = 0; start < total; start += chunkRows) {
      const n = Math.min(chunkRows, total - start);
      const data = rows.slice(start * rowWidth, (start + n) * rowWidth);
      chunks.push(this.pool.run(model.id, model.bytes, { [input]: { type: 'float32', data, dims: [n, rowWidth] } }).then((r) => r.outputs));
    }
    const results = await Promise.all(chunks);
    const merged: Record<string, Float32Array> = {};
    for (const name of Object.keys(results[0] ?? {})) {
      const type = results[0]![name]!.type;
      if (type !== 'float32') throw new Error(`output "${name}" of ${model.name} is ${type}; runRows reads float32 outputs`);
      const size = results.reduce((s, r) => s + r[name]!.data.length, 0);
      const out = new Float32Array(size);
      let offset = 0;
      for (const r of results) {
        out.set(r[name]!.data as Float32Array, offset);
        offset += r[name]!.data.length;
      }
      merged[name] = out;
    }
    return merged;
  }

  /** Checks that ONNX Runtime can load `bytes` and reads their tensors, keeping nothing loaded. */
  async inspect(bytes: Uint8Array): Promise<Pick<ModelHandle, 'inputs' | 'outputs'>> {
    const handle = await this.load('inspection', bytes);
    await this.unload(handle);
    return { inputs: handle.inputs, outputs: handle.outputs };
  }

  /**
   * The device this engine's sessions get: a one-node model loaded into one worker thread and
   * dropped again (a worker logs it at start, so an operator sees at once whether CUDA loaded).
   */
  async probeDevice(): Promise<{ device: Device; fallback?: string }> {
    const g = new Graph('device-probe');
    g.node('Relu', [g.input('x', [1, 1])], { outputs: ['y'] });
    g.output('y', [1, 1]);
    const handle = await this.load('device-probe', g.toBytes('device probe'));
    await this.unload(handle);
    return { device: handle.device, ...(handle.fallback ? { fallback: handle.fallback } : {}) };
  }

  /** Drops the model's sessions from every worker. */
  async unload(model: ModelHandle): Promise<void> {
    this.batchers.delete(model.id);
    await this.pool.unload(model.id);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
