// An inference worker on a GPU that fails at run time: CUDA sessions open (as on a CUDA host) but
// every run throws as a CUDA kernel fault does; CPU sessions are real ONNX Runtime sessions. The
// engine under test runs this script instead of models/runtime/worker.mjs (EngineOptions.workerScript).
import ort from 'onnxruntime-node';
import { serve } from '../../models/runtime/protocol.mjs';
import { createSessionStore } from '../../models/runtime/sessions.mjs';

export const CUDA_FAULT = 'CUDA failure 700: an illegal memory access was encountered';

async function open(bytes, provider, threads) {
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
  if (provider === 'cpu') return session;
  return {
    run: async () => {
      throw new Error(CUDA_FAULT);
    },
    release: () => session.release(),
  };
}

serve(createSessionStore({ open }), (t) => new ort.Tensor(t.type, t.data, t.dims));
