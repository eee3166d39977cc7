// Dynamic batching: requests that arrive close together run as one batch — flushed when the batch
// is full or the oldest request has waited `maxDelayUs` (Triton's max_queue_delay_microseconds).
// A request carries one row or many (an analysis sends every window of its series at once), so
// the analyses running together in a worker share batches. Every input's first dimension is the
// batch; a request larger than `maxBatch` rows is split across batches.
import type { Device, TensorData } from './pool.js';

export interface BatcherOptions {
  /** Most rows in one batch. @default 1024 */
  maxBatch: number;
  /** @default 2000 */
  maxDelayUs: number;
}

/** One output row as the model produced it: the output's own typed array (Float32Array, BigInt64Array, …). */
export type RowData = TensorData['data'];

/** What running a batch answers: the outputs, and the device that ran it when the runner knows. */
export interface BatchResult {
  outputs: Record<string, TensorData>;
  device?: Device;
}

/** A request's answer: each output's rows for it, in the output's typed array, and the device. */
export interface RowsResult {
  outputs: Record<string, RowData>;
  device?: Device;
  /** Rows of the batch these rows ran in (theirs and other callers'). */
  batchRows?: number;
}

/** Counters since the batcher was made: how much batching happened. */
export interface BatcherStats {
  requests: number;
  rows: number;
  batches: number;
}

interface Request {
  feeds: Record<string, Float32Array>;
  rows: number;
  resolve(result: RowsResult): void;
  reject(err: unknown): void;
}

export class DynamicBatcher {
  private queue: Request[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly counters: BatcherStats = { requests: 0, rows: 0, batches: 0 };

  constructor(
    private readonly shapes: Record<string, number[]>,
    private readonly runBatch: (feeds: Record<string, TensorData>) => Promise<BatchResult>,
    private readonly options: BatcherOptions,
  ) {}

  /**
   * Queues one row per input (its values without the batch dimension). The answer holds each
   * output's row in the output's own typed array: a BigInt64Array output answers BigInt64Arrays.
   */
  async submit(feeds: Record<string, Float32Array>): Promise<Record<string, RowData>> {
    return (await this.submitRows(feeds, 1)).outputs;
  }

  /** Queues `rows` rows per input (row-major, without the batch dimension); answers their output rows. */
  submitRows(feeds: Record<string, Float32Array>, rows: number): Promise<RowsResult> {
    for (const [name, dims] of Object.entries(this.shapes)) {
      const expected = rows * dims.reduce((a, b) => a * b, 1);
      const given = feeds[name]?.length ?? 0;
      if (given !== expected || !Number.isInteger(rows) || rows < 1)
        return Promise.reject(new Error(`input ${name}: expected ${expected} values, got ${given}`));
    }
    if (rows > this.options.maxBatch) return this.submitSplit(feeds, rows);
    return new Promise((resolve, reject) => {
      this.counters.requests++;
      this.queue.push({ feeds, rows, resolve, reject });
      this.queuedRows += rows;
      if (this.queuedRows >= this.options.maxBatch) this.flush();
      else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.options.maxDelayUs / 1000);
    });
  }

  stats(): BatcherStats {
    return { ...this.counters };
  }

  /** A request over `maxBatch` rows, as chunks of at most `maxBatch`, joined again. */
  private async submitSplit(feeds: Record<string, Float32Array>, rows: number): Promise<RowsResult> {
    const chunks: Array<Promise<RowsResult>> = [];
    for (let start = 0; start < rows; start += this.options.maxBatch) {
      const n = Math.min(this.options.maxBatch, rows - start);
      const part = Object.fromEntries(
        Object.entries(this.shapes).map(([name, dims]) => {
          const width = dims.reduce((a, b) => a * b, 1);
          return [name, feeds[name]!.subarray(start * width, (start + n) * width)];
        }),
      );
      chunks.push(this.submitRows(part, n));
    }
    const parts = await Promise.all(chunks);
    const outputs: Record<string, RowData> = {};
    for (const name of Object.keys(parts[0]!.outputs)) {
      const size = parts.reduce((s, p) => s + p.outputs[name]!.length, 0);
      const joined = new (parts[0]!.outputs[name]!.constructor as new (n: number) => RowData)(size);
      let offset = 0;
      for (const p of parts) {
        (joined as Float32Array).set(p.outputs[name] as Float32Array, offset);
        offset += p.outputs[name]!.length;
      }
      outputs[name] = joined;
    }
    // A chunk that fell back to the CPU says so for the whole request.
    const device = parts.some((p) => p.device === 'cpu') ? 'cpu' : parts[0]!.device;
    return device ? { outputs, device } : { outputs };
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch: Request[] = [];
    let rows = 0;
    while (this.queue.length && (batch.length === 0 || rows + this.queue[0]!.rows <= this.options.maxBatch)) {
      const r = this.queue.shift()!;
      batch.push(r);
      rows += r.rows;
    }
    this.queuedRows -= rows;
    if (this.queuedRows >= this.options.maxBatch) queueMicrotask(() => this.flush());
    else if (this.queue.length) this.timer = setTimeout(() => this.flush(), this.options.maxDelayUs / 1000);
    if (batch.length === 0) return;
    this.counters.batches++;
    this.counters.rows += rows;
    // Everything from stacking to slicing runs inside the promise: a runner that throws
    // synchronously, or outputs that cannot be split, reject every caller of this batch instead
    // of escaping from the timer as an uncaught exception. The runner is still called right away.
    new Promise<BatchResult>((resolve) => resolve(this.runBatch(this.stack(batch, rows))))
      .then((result) => ({ device: result.device, parts: this.split(result.outputs, batch, rows) }))
      .then(
        ({ device, parts }) =>
          batch.forEach((r, i) =>
            r.resolve(device ? { outputs: parts[i]!, device, batchRows: rows } : { outputs: parts[i]!, batchRows: rows }),
          ),
        (err: unknown) => batch.forEach((r) => r.reject(err)),
      );
  }

  private stack(batch: Request[], rows: number): Record<string, TensorData> {
    const feeds: Record<string, TensorData> = {};
    for (const [name, dims] of Object.entries(this.shapes)) {
      const width = dims.reduce((a, b) => a * b, 1);
      const data = new Float32Array(rows * width);
      let offset = 0;
      for (const r of batch) {
        data.set(r.feeds[name]!, offset);
        offset += r.rows * width;
      }
      feeds[name] = { type: 'float32', data, dims: [rows, ...dims] };
    }
    return feeds;
  }

  /** Each caller's rows of every output, copied out with the output's own typed array. */
  private split(outputs: Record<string, TensorData>, batch: Request[], rows: number): Array<Record<string, RowData>> {
    const mine = batch.map(() => ({}) as Record<string, RowData>);
    for (const [name, t] of Object.entries(outputs)) {
      const width = t.data.length / rows;
      if (!Number.isInteger(width)) throw new Error(`output ${name}: ${t.data.length} values do not split into ${rows} rows`);
      let offset = 0;
      batch.forEach((r, i) => {
        // TypedArray#slice builds the result with the array's own constructor (no Float32Array cast).
        mine[i]![name] = t.data.slice(offset * width, (offset + r.rows) * width);
        offset += r.rows;
      });
    }
    return mine;
  }
}
