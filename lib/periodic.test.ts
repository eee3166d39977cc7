import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createPool } from './prisma.js';
import { claimPeriod, every } from './periodic.js';

const pool = createPool(inject('databaseUrl'), { max: 4 });
const logger = pino({ level: 'silent' });
afterAll(() => pool.end());

describe('periodic work', () => {
  it('lets exactly one of several replicas claim a period', async () => {
    const name = `claim-${Date.now()}`;
    const claims = await Promise.all(Array.from({ length: 8 }, () => claimPeriod(pool, name, 60)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimPeriod(pool, name, 60)).toBe(false);
  });

  it('runs cluster work once per period across replicas, and process work in each', async () => {
    const name = `drift-${Date.now()}`;
    let runs = 0;
    const work = async () => void runs++;
    const replicas = [every({ pool, logger }, { name, seconds: 3600, work }), every({ pool, logger }, { name, seconds: 3600, work })];
    expect((await Promise.all(replicas.map((r) => r.tick()))).sort()).toEqual([false, true]);
    expect(runs).toBe(1);
    const local = [
      every({ pool, logger }, { name, seconds: 3600, work, scope: 'process' }),
      every({ pool, logger }, { name, seconds: 3600, work, scope: 'process' }),
    ];
    await Promise.all(local.map((r) => r.tick()));
    expect(runs).toBe(3);
    await Promise.all([...replicas, ...local].map((r) => r.stop()));
  });

  it('does not overlap a run with itself, and logs a failure without stopping', async () => {
    const lines: string[] = [];
    const recording = pino({ level: 'error' }, { write: (l: string) => void lines.push(l) });
    let release!: () => void;
    let runs = 0;
    const task = every(
      { pool, logger: recording },
      {
        name: 'slow',
        seconds: 0,
        scope: 'process',
        work: () => {
          runs++;
          return new Promise<void>((_, reject) => (release = () => reject(new Error('boom'))));
        },
      },
    );
    const first = task.tick();
    const second = task.tick();
    expect(second).toBe(first);
    await Promise.resolve();
    release();
    expect(await first).toBe(false);
    expect(runs).toBe(1);
    expect(lines.join('')).toContain('boom');
    await task.stop();
  });
});
