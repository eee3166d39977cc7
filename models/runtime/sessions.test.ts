import { describe, expect, it } from 'vitest';
import { createSessionStore } from './sessions.mjs';

/** Sessions that record where they ran; CUDA ones can be made to fail to open or to run. */
function fakeRuntime({ cudaOpens = true, cudaRuns = true, cpuRuns = true } = {}) {
  const log: string[] = [];
  const open = async (_bytes: Uint8Array, provider: 'cuda' | 'cpu') => {
    if (provider === 'cuda' && !cudaOpens) throw new Error('Failed to load shared library libonnxruntime_providers_cuda.so\nmore');
    log.push(`open ${provider}`);
    return {
      run: async (feeds: { x: number }) => {
        const ok = provider === 'cuda' ? cudaRuns : cpuRuns;
        log.push(`run ${provider}`);
        if (!ok) throw new Error(provider === 'cuda' ? 'CUDA failure 2: out of memory' : 'invalid input x');
        return { y: feeds.x * 2 };
      },
      release: async () => void log.push(`release ${provider}`),
    };
  };
  return { log, store: createSessionStore({ open }) };
}

const bytes = new Uint8Array([1, 2, 3]);

describe('session store', () => {
  it('opens on CUDA when asked and it loads; on the CPU when told to', async () => {
    const { store } = fakeRuntime();
    expect(await store.load('m', bytes, 'auto', 1)).toEqual({ device: 'cuda', fallback: undefined });
    expect(await store.load('n', bytes, 'cpu', 1)).toEqual({ device: 'cpu', fallback: undefined });
  });

  it('falls back to the CPU at load time when CUDA does not load, saying why in one line', async () => {
    const { store } = fakeRuntime({ cudaOpens: false });
    expect(await store.load('m', bytes, 'cuda', 1)).toEqual({
      device: 'cpu',
      fallback: 'Failed to load shared library libonnxruntime_providers_cuda.so',
    });
  });

  it('reruns a batch on the CPU when a CUDA run fails, and stays on the CPU after', async () => {
    const { store, log } = fakeRuntime({ cudaRuns: false });
    await store.load('m', bytes, 'auto', 1);
    const first = await store.run('m', { x: 21 });
    expect(first).toEqual({ results: { y: 42 }, device: 'cpu', fallback: 'CUDA run failed, now on CPU: CUDA failure 2: out of memory' });
    expect(await store.run('m', { x: 1 })).toMatchObject({ results: { y: 2 }, device: 'cpu' });
    expect(log).toEqual(['open cuda', 'run cuda', 'open cpu', 'run cpu', 'release cuda', 'run cpu']);
  });

  it('keeps CUDA and reports the first error when the CPU fails the batch too (the batch is at fault)', async () => {
    const { store, log } = fakeRuntime({ cudaRuns: false, cpuRuns: false });
    await store.load('m', bytes, 'auto', 1);
    await expect(store.run('m', { x: 1 })).rejects.toThrow('CUDA failure 2: out of memory');
    expect(log).toEqual(['open cuda', 'run cuda', 'open cpu', 'run cpu', 'release cpu']);
    await expect(store.run('m', { x: 1 })).rejects.toThrow('CUDA failure'); // still on CUDA
  });

  it('refuses to run a model it has not loaded', async () => {
    const { store } = fakeRuntime();
    await expect(store.run('nope', { x: 1 })).rejects.toThrow('model nope is not loaded in this worker');
  });
});
