// A pool of inference worker threads. Each request goes to the worker with the fewest in flight;
// models load into a worker the first time it runs them.
import { Worker } from 'node:worker_threads';

export type Device = 'cuda' | 'cpu';
export type DevicePreference = 'auto' | 'cuda' | 'cpu';

export interface TensorData {
  type: 'float32' | 'int64';
  data: Float32Array | BigInt64Array;
  dims: number[];
}

interface Pending {
  resolve(value: any): void;
  reject(err: Error): void;
}

/** How long closing waits for a worker thread still starting before terminating it anyway. */
const READY_WAIT_MS = 10_000;

class InferenceWorker {
  readonly worker: Worker;
  /** Settles once the thread has loaded ONNX Runtime (or failed, or exited). */
  readonly ready: Promise<void>;
  inFlight = 0;
  readonly loaded = new Map<string, Promise<{ device: Device; fallback?: string }>>();
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(script: URL) {
    this.worker = new Worker(script);
    this.worker.unref();
    let started!: () => void;
    this.ready = new Promise<void>((resolve) => (started = resolve));
    this.worker.once('exit', () => started());
    this.worker.on('message', (msg: { seq: number; ok: boolean; error?: string; ready?: boolean }) => {
      if (msg.ready) return started();
      const p = this.pending.get(msg.seq);
      this.pending.delete(msg.seq);
      if (msg.ok) p?.resolve(msg);
      else p?.reject(new Error(msg.error));
    });
    this.worker.on('error', (err) => {
      started();
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  call<T>(msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<T> {
    const seq = ++this.seq;
    this.inFlight++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ ...msg, seq }, transfer);
    }).finally(() => {
      this.inFlight--;
    });
  }
}

export class WorkerPool {
  private readonly workers: InferenceWorker[];

  constructor(
    size: number,
    private readonly options: { device: DevicePreference; threadsPerWorker: number; workerScript?: URL },
  ) {
    const script = options.workerScript ?? new URL('./worker.mjs', import.meta.url);
    this.workers = Array.from({ length: Math.max(1, size) }, () => new InferenceWorker(script));
  }

  private ensureLoaded(w: InferenceWorker, id: string, bytes: Uint8Array) {
    let loaded = w.loaded.get(id);
    if (!loaded) {
      loaded = w.call<{ device: Device; fallback?: string }>({
        type: 'load',
        id,
        bytes,
        device: this.options.device,
        threads: this.options.threadsPerWorker,
      });
      w.loaded.set(id, loaded);
      loaded.catch(() => w.loaded.delete(id));
    }
    return loaded;
  }

  /** Loads a model into one worker (to learn its device and catch bad bytes early). */
  async load(id: string, bytes: Uint8Array): Promise<{ device: Device; fallback?: string }> {
    return this.ensureLoaded(this.workers[0]!, id, bytes);
  }

  async run(
    id: string,
    bytes: Uint8Array,
    feeds: Record<string, TensorData>,
  ): Promise<{ outputs: Record<string, TensorData>; device: Device; fallback?: string; ms: number }> {
    const w = this.workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    w.inFlight++; // reserve before awaiting the load, so concurrent calls spread out
    try {
      await this.ensureLoaded(w, id, bytes);
    } finally {
      w.inFlight--;
    }
    const transfer = Object.values(feeds).map((t) => t.data.buffer as ArrayBuffer);
    return w.call({ type: 'run', id, feeds }, transfer);
  }

  async unload(id: string): Promise<void> {
    await Promise.all(this.workers.filter((w) => w.loaded.has(id)).map((w) => (w.loaded.delete(id), w.call({ type: 'unload', id }))));
  }

  /**
   * Terminates the worker threads, each once it has finished starting: a thread terminated while
   * ONNX Runtime's native addon is still loading aborts the whole process (`Napi::Error`).
   */
  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async (w) => {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([w.ready, new Promise((resolve) => (timer = setTimeout(resolve, READY_WAIT_MS).unref()))]);
        clearTimeout(timer);
        await w.worker.terminate();
      }),
    );
  }
}
