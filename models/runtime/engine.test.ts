import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRobustZ } from '../builders/robustZ.js';
import { robustZ, ROBUST_Z_WINDOW } from '../reference/robustZ.js';
import { loadConfig } from '../../lib/config.js';
import { InferenceEngine, type ModelHandle } from './engine.js';

let engine: InferenceEngine;
let model: ModelHandle;
const W = ROBUST_Z_WINDOW;
const window = (seed: number) => Float32Array.from({ length: W }, (_, k) => Math.sin(seed + k) * 10 + (k === W - 1 ? seed % 7 : 0));

beforeAll(async () => {
  engine = new InferenceEngine({ device: 'auto', workers: 2, maxBatch: 64, maxDelayUs: 1000 });
  model = await engine.load('anomaly-robust-z', buildRobustZ().bytes);
});
afterAll(() => engine?.close());

describe('InferenceEngine', () => {
  it("reads the model's tensors and says which device runs it (CPU here, after trying CUDA)", () => {
    expect(model.inputs).toEqual([{ name: 'window', type: 'FLOAT', shape: ['batch', String(W)] }]);
    expect(model.outputs).toEqual([{ name: 'score', type: 'FLOAT', shape: ['batch'] }]);
    expect(['cpu', 'cuda']).toContain(model.device);
    if (model.device === 'cpu') expect(model.fallback).toBeTruthy(); // why CUDA did not load
  });

  it('batches concurrent single requests and gives each its own answer', async () => {
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => engine.infer(model, { window: window(i) })));
    answers.forEach((a, i) => expect(a.score![0]).toBeCloseTo(robustZ(window(i))[0]!, 3));
    await expect(engine.infer(model, { window: new Float32Array(3) })).rejects.toThrow(/expected 25 values, got 3/);
  });

  it("never detaches the caller's arrays", async () => {
    const data = new Float32Array(W * 4).map((_, i) => i % 13);
    await engine.run(model, { window: { type: 'float32', data: data.subarray(0, W * 2), dims: [2, W] } });
    expect(data.length).toBe(W * 4);
    expect(data[W * 3]).toBe((W * 3) % 13);
  });

  it("refuses bytes that are not a model, with the runtime's reason", async () => {
    await expect(engine.load('junk', new TextEncoder().encode('not an onnx model'))).rejects.toThrow(/protobuf|parse|model/i);
  });

  it('runs on CPU when told to, and reads its settings from the environment', async () => {
    const cpu = new InferenceEngine({ device: 'cpu', workers: 1 });
    try {
      const m = await cpu.load('anomaly-robust-z', buildRobustZ().bytes);
      expect(m.device).toBe('cpu');
      expect(m.fallback).toBeUndefined();
    } finally {
      await cpu.close();
    }
    const configured = new InferenceEngine(
      loadConfig({ ONNX_DEVICE: 'cpu', ONNX_WORKERS: '1', ONNX_MAX_BATCH: '32', ONNX_MAX_QUEUE_DELAY_US: '500' }).onnx,
    );
    expect(configured.options).toMatchObject({ device: 'cpu', workers: 1, maxBatch: 32, maxDelayUs: 500 });
    await configured.close();
    expect(() => loadConfig({ ONNX_DEVICE: 'tpu' })).toThrow(/ONNX_DEVICE/);
  });

  it('batches multi-row requests of concurrent callers and counts what it batched', async () => {
    const e = new InferenceEngine({ device: 'cpu', workers: 1, maxBatch: 512, maxDelayUs: 5000 });
    try {
      const m = await e.load('anomaly-robust-z', buildRobustZ().bytes);
      const requests = Array.from({ length: 8 }, (_, k) => {
        const rows = Float32Array.from({ length: 20 * W }, (_, i) => Math.sin(k + i) * 10);
        return { rows, answer: e.inferRows(m, { window: rows }, 20) };
      });
      for (const { rows, answer } of requests) {
        const { outputs, device } = await answer;
        expect(device).toBe('cpu');
        expect(Array.from(outputs.score as Float32Array).map((v) => +v.toFixed(3))).toEqual(
          Array.from(robustZ(rows)).map((v) => +v.toFixed(3)),
        );
      }
      expect(e.batchStats(m)).toEqual({ requests: 8, rows: 160, batches: 1 });
    } finally {
      await e.close();
    }
  });

  it('falls back to the CPU when a CUDA run fails at run time, answering right and saying so', async () => {
    // A worker whose CUDA sessions open but fail every run, as a GPU kernel fault does.
    const e = new InferenceEngine({
      device: 'cuda',
      workers: 1,
      workerScript: new URL('../../test/support/failingCudaWorker.mjs', import.meta.url),
    });
    try {
      const m = await e.load('anomaly-robust-z', buildRobustZ().bytes);
      expect(m.device).toBe('cuda');
      const rows = Float32Array.from({ length: 3 * W }, (_, i) => (i % W === W - 1 ? 50 : Math.cos(i)));
      const first = await e.inferRows(m, { window: rows }, 3);
      expect(first.device).toBe('cpu');
      expect(Array.from(first.outputs.score as Float32Array)[0]).toBeCloseTo(robustZ(rows)[0]!, 3);
      expect((await e.infer(m, { window: rows.subarray(0, W) })).score![0]).toBeCloseTo(robustZ(rows)[0]!, 3);
      expect((await e.inferRows(m, { window: rows }, 3)).device).toBe('cpu');
    } finally {
      await e.close();
    }
  });
});
