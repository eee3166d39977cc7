import type { OnnxInspector } from '../../../lib/registry/registration.js';
import { InferenceEngine } from '../../../models/runtime/engine.js';

let engine: InferenceEngine | null = null;

/**
 * Loads uploaded bytes in ONNX Runtime (in a worker thread, so a large model does not stall the
 * event loop), reads their tensors, and unloads them again.
 */
export const inspectOnnx: OnnxInspector = (bytes) => {
  engine ??= new InferenceEngine({ device: 'cpu', workers: 1 });
  return engine.inspect(bytes);
};
