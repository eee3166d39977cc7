// Dynamic batching: single requests that arrive close together run as one batch — flushed when
// the batch is full or the oldest request has waited `maxDelayUs` (Triton's
// max_queue_delay_microseconds). Every input's first dimension is the batch.
import type { TensorData } from './pool.js';

export interface BatcherOptions {
  /** @default 1024 */
  maxBatch: number;
  /** @default 2000 */
  maxDelayUs: number;
}

/** One output row as the model produced it: the output's own typed array (Float32Array, BigInt64Array, …). */
export type RowData = TensorData['data'];

interface Request {
  feeds: Record<string, Float32Array>;
  resolve(outputs: Record<string, RowData>): void;
  reject(err: unknown): void;
}

export class DynamicBatcher {
  private queue: Request[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly shapes: Record<string, number[]>,
    private readonly runBatch: (feeds: Record<string, TensorData>) => Promise<Record<string, TensorData>>,
    private readonly options: BatcherOptions,
  ) {}

  /**
   * Queues one row per input (its values without the batch dimension). The answer holds each
   * output's row in the output's own typed array: a BigInt64Array output answers BigInt64Arrays.
   */
  submit(feeds: Record<string, Float32Array>): Promise<Record<string, RowData>> {
    for (const [name, dims] of Object.entries(this.shapes)) {
      const row = dims.reduce((a, b) => a * b, 1);
      const given = feeds[name]?.length ?? 0;
      if (given !== row) return Promise.reject(new Error(`input ${name}: expected ${row} values, got ${given}`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ feeds, resolve, reject });
      if (this.queue.length >= this.options.maxBatch) this.flush();
      else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.options.maxDelayUs / 1000);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue.splice(0, this.options.maxBatch);
    if (this.queue.length) this.timer = setTimeout(() => this.flush(), this.options.maxDelayUs / 1000);
    if (batch.length === 0) return;
    // Everything from stacking to slicing runs inside the promise: a runner that throws
    // synchronously, or outputs that cannot be split, reject every caller of this batch instead
    // of escaping from the timer as an uncaught exception. The runner is still called right away.
    new Promise<Record<string, TensorData>>((resolve) => resolve(this.runBatch(this.stack(batch))))
      .then((outputs) => this.split(outputs, batch.length))
      .then(
        (rows) => batch.forEach((r, i) => r.resolve(rows[i]!)),
        (err: unknown) => batch.forEach((r) => r.reject(err)),
      );
  }

  private stack(batch: Request[]): Record<string, TensorData> {
    const feeds: Record<string, TensorData> = {};
    for (const [name, dims] of Object.entries(this.shapes)) {
      const row = dims.reduce((a, b) => a * b, 1);
      const data = new Float32Array(batch.length * row);
      batch.forEach((r, i) => data.set(r.feeds[name]!, i * row));
      feeds[name] = { type: 'float32', data, dims: [batch.length, ...dims] };
    }
    return feeds;
  }

  /** Each caller's rows of every output, copied out with the output's own typed array. */
  private split(outputs: Record<string, TensorData>, rows: number): Array<Record<string, RowData>> {
    const mine = Array.from({ length: rows }, () => ({}) as Record<string, RowData>);
    for (const [name, t] of Object.entries(outputs)) {
      const row = t.data.length / rows;
      if (!Number.isInteger(row)) throw new Error(`output ${name}: ${t.data.length} values do not split into ${rows} rows`);
      // TypedArray#slice builds the result with the array's own constructor (no Float32Array cast).
      mine.forEach((m, i) => (m[name] = t.data.slice(i * row, (i + 1) * row)));
    }
    return mine;
  }
}
