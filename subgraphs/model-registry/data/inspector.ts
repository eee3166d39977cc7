import type { OnnxInspector } from '../../../lib/registry/registration.js';
import { InferenceEngine } from '../../../models/runtime/engine.js';

let engine: InferenceEngine | null = null;

/**
 * Loads uploaded bytes in ONNX Runtime (in a worker thread, so a large model does not stall the
 * event loop), reads their tensors, and unloads them again. The thread starts on first use.
 */
export const inspectOnnx: OnnxInspector = (bytes) => {
  engine ??= new InferenceEngine({ device: 'cpu', workers: 1 });
  return engine.inspect(bytes);
};

/** Stops the inspection thread (the registry's stop); the next inspection starts a new one. */
export async function closeInspector(): Promise<void> {
  const running = engine;
  engine = null;
  await running?.close();
}
