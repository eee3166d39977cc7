// The messages between the inference engine (pool.ts) and a worker thread: load, run, unload, each
// answered with its sequence number. Plain JavaScript, shared by worker.mjs and by worker scripts
// that bring their own session store.
import { parentPort } from 'node:worker_threads';

/**
 * Answers the engine's messages (load, run, unload) from a session store. Exported for worker
 * scripts that bring their own store (a test's failing CUDA session).
 */
export function serve(store, tensor) {
  parentPort.on('message', async (msg) => {
    try {
      if (msg.type === 'load') {
        const { device, fallback } = await store.load(msg.id, msg.bytes, msg.device, msg.threads);
        parentPort.postMessage({ seq: msg.seq, ok: true, device, fallback });
      } else if (msg.type === 'run') {
        const feeds = {};
        for (const [name, t] of Object.entries(msg.feeds)) feeds[name] = tensor(t);
        const t0 = performance.now();
        const { results, device, fallback } = await store.run(msg.id, feeds);
        const ms = performance.now() - t0;
        const outputs = {};
        const transfer = [];
        for (const [name, out] of Object.entries(results)) {
          outputs[name] = { type: out.type, data: out.data, dims: out.dims };
          if (out.data?.buffer) transfer.push(out.data.buffer);
          out.dispose?.();
        }
        parentPort.postMessage({ seq: msg.seq, ok: true, outputs, ms, device, fallback }, transfer);
      } else if (msg.type === 'unload') {
        await store.unload(msg.id);
        parentPort.postMessage({ seq: msg.seq, ok: true });
      }
    } catch (err) {
      parentPort.postMessage({ seq: msg.seq, ok: false, error: String(err?.message ?? err) });
    }
  });
  // The runtime is loaded (the worker script imported it before serving): the thread may now be
  // terminated safely. Terminated while ONNX Runtime's addon is still starting, it aborts the process.
  parentPort.postMessage({ ready: true });
}
