// Inference worker thread: holds ONNX Runtime sessions and runs batches off the main event loop.
// Plain JavaScript on purpose: a worker thread does not inherit a TypeScript loader in every
// context the engine runs in (tsx, vitest, compiled builds), and this file needs none.
import { parentPort } from 'node:worker_threads';
import ort from 'onnxruntime-node';

/** @type {Map<string, { session: ort.InferenceSession, device: 'cuda' | 'cpu', fallback?: string }>} */
const sessions = new Map();

const options = (threads) => ({ intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });

/**
 * CUDA when asked for (auto or cuda) and its provider loads; otherwise CPU. Session creation
 * throws when the CUDA libraries are missing — it does not fall back by itself.
 */
async function createSession(bytes, device, threads) {
  if (device !== 'cpu') {
    // The runtime logs a missing CUDA library as an error before throwing; it is expected on CPU
    // hosts and reported as `fallback` instead.
    const level = ort.env.logLevel;
    ort.env.logLevel = 'fatal';
    try {
      const session = await ort.InferenceSession.create(bytes, { ...options(threads), executionProviders: ['cuda'], logSeverityLevel: 4 });
      return { session, device: 'cuda' };
    } catch (err) {
      const session = await ort.InferenceSession.create(bytes, { ...options(threads), executionProviders: ['cpu'] });
      return { session, device: 'cpu', fallback: String(err?.message ?? err).split('\n')[0] };
    } finally {
      ort.env.logLevel = level;
    }
  }
  return { session: await ort.InferenceSession.create(bytes, { ...options(threads), executionProviders: ['cpu'] }), device: 'cpu' };
}

parentPort.on('message', async (msg) => {
  try {
    if (msg.type === 'load') {
      let entry = sessions.get(msg.id);
      if (!entry) {
        entry = await createSession(msg.bytes, msg.device, msg.threads);
        sessions.set(msg.id, entry);
      }
      parentPort.postMessage({ seq: msg.seq, ok: true, device: entry.device, fallback: entry.fallback });
    } else if (msg.type === 'run') {
      const entry = sessions.get(msg.id);
      if (!entry) throw new Error(`model ${msg.id} is not loaded in this worker`);
      const feeds = {};
      for (const [name, t] of Object.entries(msg.feeds)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
      const t0 = performance.now();
      const results = await entry.session.run(feeds);
      const ms = performance.now() - t0;
      const outputs = {};
      const transfer = [];
      for (const [name, tensor] of Object.entries(results)) {
        outputs[name] = { type: tensor.type, data: tensor.data, dims: tensor.dims };
        if (tensor.data?.buffer) transfer.push(tensor.data.buffer);
        tensor.dispose?.();
      }
      parentPort.postMessage({ seq: msg.seq, ok: true, outputs, ms, device: entry.device }, transfer);
    } else if (msg.type === 'unload') {
      await sessions.get(msg.id)?.session.release();
      sessions.delete(msg.id);
      parentPort.postMessage({ seq: msg.seq, ok: true });
    }
  } catch (err) {
    parentPort.postMessage({ seq: msg.seq, ok: false, error: String(err?.message ?? err) });
  }
});
