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

interface Request {
  feeds: Record<string, Float32Array>;
  resolve(outputs: Record<string, Float32Array>): void;
  reject(err: Error): void;
}

export class DynamicBatcher {
  private queue: Request[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly shapes: Record<string, number[]>,
    private readonly runBatch: (feeds: Record<string, TensorData>) => Promise<Record<string, TensorData>>,
    private readonly options: BatcherOptions,
  ) {}

  /** Queues one row per input (its values without the batch dimension). */
  submit(feeds: Record<string, Float32Array>): Promise<Record<string, Float32Array>> {
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
    const feeds: Record<string, TensorData> = {};
    for (const [name, dims] of Object.entries(this.shapes)) {
      const row = dims.reduce((a, b) => a * b, 1);
      const data = new Float32Array(batch.length * row);
      batch.forEach((r, i) => data.set(r.feeds[name]!, i * row));
      feeds[name] = { type: 'float32', data, dims: [batch.length, ...dims] };
    }
    this.runBatch(feeds).then(
      (outputs) => {
        batch.forEach((r, i) => {
          const mine: Record<string, Float32Array> = {};
          for (const [name, t] of Object.entries(outputs)) {
            const row = t.data.length / batch.length;
            mine[name] = (t.data as Float32Array).slice(i * row, (i + 1) * row);
          }
          r.resolve(mine);
        });
      },
      (err: Error) => batch.forEach((r) => r.reject(err)),
    );
  }
}
