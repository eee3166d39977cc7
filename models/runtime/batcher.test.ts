import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { DynamicBatcher, type BatchResult, type BatcherOptions, type RowData } from './batcher.js';
import type { TensorData } from './pool.js';

/** A model that doubles each row of `x` (two values per row) and sums it into `total`. */
const fakeModel = (fail?: Error) => {
  const batches: Array<{ rows: number; dims: number[]; values: number[] }> = [];
  const run = async (feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> => {
    const x = feeds.x!;
    batches.push({ rows: x.dims[0]!, dims: x.dims, values: Array.from(x.data as Float32Array) });
    if (fail) throw fail;
    const data = x.data as Float32Array;
    const rows = x.dims[0]!;
    const doubled = data.map((v) => v * 2);
    const total = Float32Array.from({ length: rows }, (_, r) => data[2 * r]! + data[2 * r + 1]!);
    return {
      doubled: { type: 'float32', data: doubled, dims: [rows, 2] },
      total: { type: 'float32', data: total, dims: [rows, 1] },
    };
  };
  return { batches, run };
};

const row = (a: number, b: number) => ({ x: Float32Array.of(a, b) });

/** A batcher over a runner that answers only outputs (no device). */
const batcherOf = (
  shapes: Record<string, number[]>,
  run: (feeds: Record<string, TensorData>) => Promise<Record<string, TensorData>>,
  options: BatcherOptions,
) => new DynamicBatcher(shapes, async (feeds) => ({ outputs: await run(feeds) }), options);

/** An output row's values, after checking that it is the Float32Array the model produced. */
const floats = (data: RowData | undefined) => {
  expect(data).toBeInstanceOf(Float32Array);
  return Array.from(data as Float32Array);
};

/** A promise's outcome so far, readable without awaiting it. */
const settled = <T>(p: Promise<T>) => {
  const state: { status: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } = { status: 'pending' };
  p.then(
    (value) => Object.assign(state, { status: 'resolved', value }),
    (error: unknown) => Object.assign(state, { status: 'rejected', error }),
  );
  return state;
};

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('DynamicBatcher', () => {
  it('runs requests that arrive together as one batch and gives each caller its own rows', async () => {
    const model = fakeModel();
    const batcher = batcherOf({ x: [2] }, model.run, { maxBatch: 8, maxDelayUs: 5000 });
    const answers = Promise.all([batcher.submit(row(1, 2)), batcher.submit(row(3, 4)), batcher.submit(row(5, 6))]);
    await vi.advanceTimersByTimeAsync(5);
    const [a, b, c] = await answers;
    expect(model.batches).toEqual([{ rows: 3, dims: [3, 2], values: [1, 2, 3, 4, 5, 6] }]);
    expect(floats(a!.doubled)).toEqual([2, 4]);
    expect(floats(b!.doubled)).toEqual([6, 8]);
    expect(floats(c!.doubled)).toEqual([10, 12]);
    expect([a!.total![0], b!.total![0], c!.total![0]]).toEqual([3, 7, 11]);
  });

  it('waits the max queue delay for a lone request, then runs it alone', async () => {
    const model = fakeModel();
    const batcher = batcherOf({ x: [2] }, model.run, { maxBatch: 8, maxDelayUs: 5000 });
    const answer = batcher.submit(row(7, 8));
    await vi.advanceTimersByTimeAsync(4);
    expect(model.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(model.batches).toEqual([{ rows: 1, dims: [1, 2], values: [7, 8] }]);
    expect(floats((await answer).total)).toEqual([15]);
  });

  it('runs a full batch at once, without waiting', async () => {
    const model = fakeModel();
    const batcher = batcherOf({ x: [2] }, model.run, { maxBatch: 2, maxDelayUs: 1_000_000 });
    const answers = Promise.all([batcher.submit(row(1, 1)), batcher.submit(row(2, 2))]);
    expect(model.batches).toHaveLength(1);
    const [a, b] = await answers;
    expect(floats(a!.total)).toEqual([2]);
    expect(floats(b!.total)).toEqual([4]);
  });

  it('splits more requests than maxBatch into batches of at most maxBatch, in arrival order', async () => {
    const model = fakeModel();
    const batcher = batcherOf({ x: [2] }, model.run, { maxBatch: 2, maxDelayUs: 5000 });
    const answers = Promise.all([1, 2, 3, 4, 5].map((v) => batcher.submit(row(v, 0))));
    await vi.advanceTimersByTimeAsync(5);
    expect(model.batches.map((b) => b.rows)).toEqual([2, 2, 1]);
    expect(model.batches.map((b) => b.values.filter((_, i) => i % 2 === 0))).toEqual([[1, 2], [3, 4], [5]]);
    expect((await answers).map((a) => a.total![0])).toEqual([1, 2, 3, 4, 5]);
  });

  it('starts a fresh wait for requests that arrive after a flush', async () => {
    const model = fakeModel();
    const batcher = batcherOf({ x: [2] }, model.run, { maxBatch: 8, maxDelayUs: 5000 });
    const first = batcher.submit(row(1, 0));
    await vi.advanceTimersByTimeAsync(5);
    const second = batcher.submit(row(2, 0));
    await vi.advanceTimersByTimeAsync(4);
    expect(model.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(model.batches.map((b) => b.rows)).toEqual([1, 1]);
    expect([(await first).total![0], (await second).total![0]]).toEqual([1, 2]);
  });

  it('rejects every caller in a failing batch with its error', async () => {
    const boom = new Error('worker crashed');
    const batcher = batcherOf({ x: [2] }, fakeModel(boom).run, { maxBatch: 8, maxDelayUs: 5000 });
    const answers = [batcher.submit(row(1, 2)), batcher.submit(row(3, 4))].map((p) =>
      p.then(
        () => 'resolved',
        (err: unknown) => err,
      ),
    );
    await vi.advanceTimersByTimeAsync(5);
    expect(await Promise.all(answers)).toEqual([boom, boom]);
  });

  it('rejects every caller when the runner throws synchronously, after the delay', async () => {
    const boom = new Error('cannot start');
    let calls = 0;
    const throwing = (_feeds: Record<string, TensorData>): Promise<BatchResult> => {
      calls++;
      throw boom;
    };
    const batcher = new DynamicBatcher({ x: [2] }, throwing, { maxBatch: 8, maxDelayUs: 5000 });
    const answers = [batcher.submit(row(1, 2)), batcher.submit(row(3, 4)), batcher.submit(row(5, 6))].map(settled);
    await vi.advanceTimersByTimeAsync(5); // threw out of the timer, leaving every caller waiting
    expect(calls).toBe(1);
    expect(answers.map((a) => [a.status, a.error])).toEqual([
      ['rejected', boom],
      ['rejected', boom],
      ['rejected', boom],
    ]);
  });

  it('rejects every caller when the runner throws synchronously on a full batch', async () => {
    const boom = new Error('cannot start');
    const throwing = (): Promise<BatchResult> => {
      throw boom;
    };
    const batcher = new DynamicBatcher({ x: [2] }, throwing, { maxBatch: 2, maxDelayUs: 1_000_000 });
    const answers = [batcher.submit(row(1, 2)), batcher.submit(row(3, 4))].map(settled);
    await vi.advanceTimersByTimeAsync(0); // the flush ran in the second submit, which alone saw the error
    expect(answers.map((a) => [a.status, a.error])).toEqual([
      ['rejected', boom],
      ['rejected', boom],
    ]);
    // The batcher still works afterwards.
    const ok = batcherOf({ x: [2] }, fakeModel().run, { maxBatch: 1, maxDelayUs: 5000 });
    expect(floats((await ok.submit(row(2, 2))).total)).toEqual([4]);
  });

  it('rejects every caller when an output does not split into one row per caller', async () => {
    const run = async () => ({ y: { type: 'float32' as const, data: Float32Array.of(1, 2, 3), dims: [3] } });
    const batcher = batcherOf({ x: [2] }, run, { maxBatch: 2, maxDelayUs: 5000 });
    const answers = [batcher.submit(row(1, 2)), batcher.submit(row(3, 4))].map(settled);
    await vi.advanceTimersByTimeAsync(0);
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
    expect((answers[0]!.error as Error).message).toBe('output y: 3 values do not split into 2 rows');
  });

  it('answers each output row in the typed array the model produced, not as Float32Array', async () => {
    const run = async (feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> => {
      const rows = feeds.x!.dims[0]!;
      return {
        label: { type: 'int64', data: BigInt64Array.from({ length: rows }, (_, r) => 9_007_199_254_740_993n + BigInt(r)), dims: [rows] },
        // ONNX Runtime answers int32 outputs as Int32Array (outside TensorData's declared types).
        count: { type: 'int32', data: Int32Array.from({ length: rows * 2 }, (_, i) => -i - 1), dims: [rows, 2] } as unknown as TensorData,
        score: { type: 'float32', data: Float32Array.from({ length: rows }, (_, r) => r + 0.5), dims: [rows] },
      };
    };
    const batcher = batcherOf({ x: [2] }, run, { maxBatch: 8, maxDelayUs: 5000 });
    expectTypeOf(batcher.submit).returns.resolves.toEqualTypeOf<Record<string, RowData>>();
    expectTypeOf<RowData>().toEqualTypeOf<Float32Array | BigInt64Array>();
    const answers = Promise.all([batcher.submit(row(1, 2)), batcher.submit(row(3, 4))]);
    await vi.advanceTimersByTimeAsync(5);
    const [a, b] = await answers;
    expect(a!.label).toBeInstanceOf(BigInt64Array);
    expect([...(a!.label as BigInt64Array), ...(b!.label as BigInt64Array)]).toEqual([9_007_199_254_740_993n, 9_007_199_254_740_994n]);
    expect(a!.count).toBeInstanceOf(Int32Array);
    expect([Array.from(a!.count as unknown as Int32Array), Array.from(b!.count as unknown as Int32Array)]).toEqual([
      [-1, -2],
      [-3, -4],
    ]);
    expect(b!.score).toBeInstanceOf(Float32Array);
    expect(floats(b!.score)).toEqual([1.5]);
    // Each caller owns its row: not a view that shares (and could detach with) the batch's buffer.
    expect(a!.label!.buffer).not.toBe(b!.label!.buffer);
    expect(a!.label!.byteLength).toBe(a!.label!.buffer.byteLength);
  });

  it('does not let a failed batch affect the next one', async () => {
    let calls = 0;
    const model = fakeModel();
    const flaky = (feeds: Record<string, TensorData>) => (++calls === 1 ? Promise.reject(new Error('once')) : model.run(feeds));
    const batcher = batcherOf({ x: [2] }, flaky, { maxBatch: 1, maxDelayUs: 5000 });
    await expect(batcher.submit(row(1, 1))).rejects.toThrow('once');
    expect(floats((await batcher.submit(row(2, 2))).total)).toEqual([4]);
  });

  it('rejects a request of the wrong size without queueing it', async () => {
    const model = fakeModel();
    const batcher = batcherOf({ x: [2] }, model.run, { maxBatch: 8, maxDelayUs: 5000 });
    await expect(batcher.submit({ x: Float32Array.of(1, 2, 3) })).rejects.toThrow('input x: expected 2 values, got 3');
    await expect(batcher.submit({})).rejects.toThrow('input x: expected 2 values, got 0');
    await vi.advanceTimersByTimeAsync(10);
    expect(model.batches).toHaveLength(0);
  });

  it('stacks every input along the batch dimension', async () => {
    const seen: Record<string, number[][]> = {};
    const run = async (feeds: Record<string, TensorData>) => {
      for (const [name, t] of Object.entries(feeds)) seen[name] = [t.dims, Array.from(t.data as Float32Array)];
      return { y: { type: 'float32' as const, data: Float32Array.of(10, 20), dims: [2] } };
    };
    const batcher = batcherOf({ a: [1], b: [2, 2] }, run, { maxBatch: 2, maxDelayUs: 5000 });
    const [p, q] = await Promise.all([
      batcher.submit({ a: Float32Array.of(1), b: Float32Array.of(1, 2, 3, 4) }),
      batcher.submit({ a: Float32Array.of(2), b: Float32Array.of(5, 6, 7, 8) }),
    ]);
    expect(seen).toEqual({
      a: [
        [2, 1],
        [1, 2],
      ],
      b: [
        [2, 2, 2],
        [1, 2, 3, 4, 5, 6, 7, 8],
      ],
    });
    expect([floats(p!.y), floats(q!.y)]).toEqual([[10], [20]]);
  });

  it("runs several callers' multi-row requests as one batch and answers each its own rows", async () => {
    const model = fakeModel();
    const batcher = batcherOf({ x: [2] }, model.run, { maxBatch: 16, maxDelayUs: 5000 });
    const a = batcher.submitRows({ x: Float32Array.of(1, 1, 2, 2, 3, 3) }, 3);
    const b = batcher.submitRows({ x: Float32Array.of(4, 4) }, 1);
    const c = batcher.submitRows({ x: Float32Array.of(5, 5, 6, 6) }, 2);
    await vi.advanceTimersByTimeAsync(5);
    expect(model.batches.map((x) => x.rows)).toEqual([6]);
    expect(floats((await a).outputs.total)).toEqual([2, 4, 6]);
    expect(floats((await b).outputs.total)).toEqual([8]);
    expect(floats((await c).outputs.doubled)).toEqual([10, 10, 12, 12]);
    expect(batcher.stats()).toEqual({ requests: 3, rows: 6, batches: 1 });
  });

  it('never lets a batch pass maxBatch rows: a request that does not fit waits for the next batch', async () => {
    const model = fakeModel();
    const batcher = batcherOf({ x: [2] }, model.run, { maxBatch: 4, maxDelayUs: 5000 });
    const a = batcher.submitRows({ x: new Float32Array(6).fill(1) }, 3);
    const b = batcher.submitRows({ x: new Float32Array(4).fill(2) }, 2);
    await vi.advanceTimersByTimeAsync(0); // 5 rows queued, over the batch: the first flush takes what fits
    expect(model.batches.map((x) => x.rows)).toEqual([3]);
    await vi.advanceTimersByTimeAsync(5);
    expect(model.batches.map((x) => x.rows)).toEqual([3, 2]);
    expect(floats((await a).outputs.total)).toEqual([2, 2, 2]);
    expect(floats((await b).outputs.total)).toEqual([4, 4]);
  });

  it('splits a request over maxBatch rows across batches and joins its answer in order', async () => {
    const model = fakeModel();
    const batcher = batcherOf({ x: [2] }, model.run, { maxBatch: 4, maxDelayUs: 5000 });
    const big = batcher.submitRows({ x: Float32Array.from({ length: 20 }, (_, i) => Math.floor(i / 2)) }, 10);
    await vi.advanceTimersByTimeAsync(5);
    expect(model.batches.map((x) => x.rows)).toEqual([4, 4, 2]);
    const answer = await big;
    expect(floats(answer.outputs.total)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(answer.outputs.total).toBeInstanceOf(Float32Array);
  });

  it('answers the device that ran the batch, and cpu for a split request any part of which fell back', async () => {
    let calls = 0;
    const run = async (feeds: Record<string, TensorData>): Promise<BatchResult> => {
      const rows = feeds.x!.dims[0]!;
      return { outputs: { y: { type: 'float32', data: new Float32Array(rows), dims: [rows] } }, device: calls++ === 0 ? 'cuda' : 'cpu' };
    };
    const batcher = new DynamicBatcher({ x: [2] }, run, { maxBatch: 2, maxDelayUs: 5000 });
    const first = batcher.submitRows({ x: new Float32Array(4) }, 2);
    expect((await first).device).toBe('cuda');
    const split = batcher.submitRows({ x: new Float32Array(8) }, 4);
    await vi.advanceTimersByTimeAsync(5);
    expect((await split).device).toBe('cpu');
  });

  it('refuses a request whose inputs do not hold the rows it claims', async () => {
    const batcher = batcherOf({ x: [2] }, fakeModel().run, { maxBatch: 8, maxDelayUs: 5000 });
    await expect(batcher.submitRows({ x: new Float32Array(5) }, 3)).rejects.toThrow('input x: expected 6 values, got 5');
    await expect(batcher.submitRows({ x: new Float32Array(0) }, 0)).rejects.toThrow('input x: expected 0 values, got 0');
  });
});
