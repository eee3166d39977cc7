// The inference engine against bare onnxruntime, on the autoencoder:
//  1. rows/s at batches of 1, 64, 1,024 and 16,384 windows: engine.run against a bare
//     InferenceSession.run on the main thread (same inputs, one intra-op thread each);
//  2. 10,000 single-window requests arriving at once, dynamic batching on against off;
//  3. event-loop delay (p99) while scoring 1,000,000 windows through the engine, and bare.
//   npm run bench:engine
import { monitorEventLoopDelay } from 'node:perf_hooks';
import ort from 'onnxruntime-node';
import { buildAutoencoder } from '../models/builders/autoencoder.js';
import { AE_WINDOW } from '../models/reference/autoencoder.js';
import { InferenceEngine } from '../models/runtime/engine.js';

const W = AE_WINDOW;
const model = buildAutoencoder();
const windows = (n: number) => Float32Array.from({ length: n * W }, (_, i) => 100 + 10 * Math.sin(i / 3) + ((i * 7919) % 13) / 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);

async function rate(run: () => Promise<unknown>, rowsPerCall: number, concurrency = 1): Promise<number> {
  for (let i = 0; i < 3; i++) await run();
  let calls = 0;
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await run();
        calls++;
      }
    }),
  );
  return (calls * rowsPerCall) / ((performance.now() - t0) / 1000);
}

const bare = await ort.InferenceSession.create(model.bytes, {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionProviders: ['cpu'],
});
const engine = new InferenceEngine({ device: 'cpu', threadsPerWorker: 1 });
const handle = await engine.load('anomaly-autoencoder', model.bytes);
const fmt = (n: number) => Math.round(n).toLocaleString().padStart(11);

console.log(`1. throughput, rows/s (${engine.options.workers} workers × 1 thread; bare: main thread × 1 thread)`);
console.log('   batch        bare   engine seq  engine ×workers   seq/bare  ×workers/bare');
for (const batch of [1, 64, 1024, 16384]) {
  const data = windows(batch);
  const tensor = new ort.Tensor('float32', data, [batch, W]);
  const bareRate = await rate(() => bare.run({ window: tensor }), batch);
  const feeds = { window: { type: 'float32' as const, data, dims: [batch, W] } };
  const seq = await rate(() => engine.run(handle, feeds), batch);
  const par = await rate(() => engine.run(handle, feeds), batch, engine.options.workers);
  console.log(
    `   ${String(batch).padStart(5)} ${fmt(bareRate)} ${fmt(seq)} ${fmt(par)}     ${(seq / bareRate).toFixed(2)}x      ${(par / bareRate).toFixed(2)}x`,
  );
}

console.log('2. 10,000 single-window requests at once, requests/s');
const single = windows(1);
const burst = async (e: InferenceEngine) => {
  const h = await e.load('anomaly-autoencoder', model.bytes);
  await Promise.all(Array.from({ length: 200 }, () => e.infer(h, { window: single })));
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 10_000 }, () => e.infer(h, { window: single })));
  return 10_000 / ((performance.now() - t0) / 1000);
};
const off = new InferenceEngine({ device: 'cpu', maxBatch: 1 });
const on = new InferenceEngine({ device: 'cpu', maxBatch: 1024, maxDelayUs: 2000 });
const offRate = await burst(off);
const onRate = await burst(on);
console.log(`   batching off (max batch 1): ${fmt(offRate)}`);
console.log(`   batching on (max batch 1,024, max delay 2 ms): ${fmt(onRate)}`);
console.log(`   ratio on / off: ${(onRate / offRate).toFixed(1)}x (target >= 10x)`);
await Promise.all([off.close(), on.close()]);

console.log('3. event-loop delay while scoring 1,000,000 windows');
const million = windows(1_000_000);
const delay = async (work: () => Promise<unknown>) => {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const t0 = performance.now();
  await work();
  const seconds = (performance.now() - t0) / 1000;
  h.disable();
  return { p99: h.percentile(99) / 1e6, max: h.max / 1e6, seconds };
};
const viaEngine = await delay(() => engine.runRows(handle, 'window', million, W, 16384));
const viaBare = await delay(async () => {
  for (let start = 0; start < 1_000_000; start += 16384) {
    const n = Math.min(16384, 1_000_000 - start);
    await bare.run({ window: new ort.Tensor('float32', million.subarray(start * W, (start + n) * W), [n, W]) });
  }
});
console.log(
  `   engine: p99 ${viaEngine.p99.toFixed(1)} ms, max ${viaEngine.max.toFixed(1)} ms, ${(1e6 / viaEngine.seconds).toFixed(0)} windows/s (target p99 < 20 ms)`,
);
console.log(
  `   bare on the main thread: p99 ${viaBare.p99.toFixed(1)} ms, max ${viaBare.max.toFixed(1)} ms, ${(1e6 / viaBare.seconds).toFixed(0)} windows/s`,
);
await engine.close();
await bare.release();
