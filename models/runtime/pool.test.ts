import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool } from './pool.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('WorkerPool.close', () => {
  it('terminates a worker thread only once it has started (terminated mid-start, ONNX Runtime aborts the process)', async () => {
    const mark = path.join(dir, 'ready');
    process.env.SLOW_START_MS = '300';
    process.env.SLOW_START_MARK = mark;
    const pool = new WorkerPool(1, {
      device: 'cpu',
      threadsPerWorker: 1,
      workerScript: new URL('../../test/support/slowStartWorker.mjs', import.meta.url),
    });
    await pool.close();
    expect(existsSync(mark)).toBe(true);
  });
});
