// Inference worker thread: holds ONNX Runtime sessions and runs batches off the main event loop.
// Plain JavaScript on purpose: a worker thread does not inherit a TypeScript loader in every
// context the engine runs in (tsx, vitest, compiled builds), and this file needs none.
import ort from 'onnxruntime-node';
import { serve } from './protocol.mjs';
import { createSessionStore } from './sessions.mjs';

const options = (threads) => ({ intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });

/**
 * One ONNX Runtime session on one provider. Session creation throws when the CUDA libraries are
 * missing — it does not fall back by itself; the store does.
 */
async function open(bytes, provider, threads) {
  if (provider === 'cpu') return ort.InferenceSession.create(bytes, { ...options(threads), executionProviders: ['cpu'] });
  // The runtime logs a missing CUDA library as an error before throwing; it is expected on CPU
  // hosts and reported as `fallback` instead.
  const level = ort.env.logLevel;
  ort.env.logLevel = 'fatal';
  try {
    return await ort.InferenceSession.create(bytes, { ...options(threads), executionProviders: ['cuda'], logSeverityLevel: 4 });
  } finally {
    ort.env.logLevel = level;
  }
}

serve(createSessionStore({ open }), (t) => new ort.Tensor(t.type, t.data, t.dims));
