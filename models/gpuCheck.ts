// npm run models:gpu-check — on a machine with CUDA (onnxruntime-node installed with
// ONNXRUNTIME_NODE_INSTALL=cuda12), runs every model on CUDA and on CPU with the same inputs and
// prints the largest difference between their outputs and rows/s on each. Installs nothing.
import ort from 'onnxruntime-node';
import { readArtifacts } from './artifacts.js';
import { describeModel } from './onnx/graph.js';

const ROWS = Number(process.env.GPU_CHECK_ROWS ?? 16384);
const SECONDS = Number(process.env.GPU_CHECK_SECONDS ?? 2);

async function rowsPerSecond(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>) {
  await session.run(feeds);
  let calls = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    await session.run(feeds);
    calls++;
  }
  return (calls * ROWS) / ((performance.now() - t0) / 1000);
}

let cudaOk = true;
console.log(`model                     max |cuda - cpu|   cuda rows/s     cpu rows/s   (batch ${ROWS})`);
for (const { name, bytes } of readArtifacts()) {
  const { inputs } = describeModel(bytes);
  const feeds = Object.fromEntries(
    inputs.map((i) => {
      const width = i.shape.slice(1).reduce((a, d) => a * Number(d), 1);
      const data = Float32Array.from({ length: ROWS * width }, (_, k) => 50 + 20 * Math.sin(k / 7) + ((k * 7919) % 11) / 3);
      return [i.name, new ort.Tensor('float32', data, [ROWS, width])];
    }),
  );
  let cuda: ort.InferenceSession;
  try {
    cuda = await ort.InferenceSession.create(bytes, { executionProviders: ['cuda'] });
  } catch (err) {
    cudaOk = false;
    console.log(`${name.padEnd(25)} CUDA provider did not load: ${String((err as Error).message).split('\n')[0]}`);
    continue;
  }
  const cpu = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
  const [a, b] = [await cuda.run(feeds), await cpu.run(feeds)];
  let diff = 0;
  for (const key of Object.keys(b)) {
    const x = a[key]!.data as Float32Array;
    const y = b[key]!.data as Float32Array;
    for (let i = 0; i < y.length; i++) diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
  }
  const [gpuRate, cpuRate] = [await rowsPerSecond(cuda, feeds), await rowsPerSecond(cpu, feeds)];
  console.log(
    `${name.padEnd(25)} ${diff.toExponential(2).padStart(16)} ${Math.round(gpuRate).toLocaleString().padStart(13)} ${Math.round(cpuRate).toLocaleString().padStart(14)}`,
  );
}
if (!cudaOk) {
  console.log('CUDA was not available: install onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12 on a host with CUDA 12 and cuDNN 9.');
  process.exit(2);
}
