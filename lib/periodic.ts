// Periodic background work, started and stopped by the part that owns it. Work that must happen
// once per cluster per period (drift, model health) is claimed in PostgreSQL: every replica ticks,
// and only the one whose conditional upsert moves the task's `lastRunAt` runs it that period.
import { hostname } from 'node:os';
import type pg from 'pg';
import type { Logger } from './logger.js';

export interface PeriodicOptions {
  /** Names the task in logs and, for `cluster` scope, its PeriodicTask row. */
  name: string;
  /** The period; 0 turns the task off. */
  seconds: number;
  work: () => Promise<unknown>;
  /** `cluster`: one replica per period; `process`: every process (its own work, e.g. SKIP LOCKED queues). @default 'cluster' */
  scope?: 'cluster' | 'process';
}

export interface Periodic {
  /** Runs the task once now, if this process claims the period; resolves to whether it ran. */
  tick(): Promise<boolean>;
  stop(): Promise<void>;
}

const RUNNER = `${hostname()}:${process.pid}`;

/**
 * Claims this period of `name` for this process: true for exactly one caller per period. The 10%
 * slack keeps a replica whose timer fires slightly early from skipping a whole period.
 */
export async function claimPeriod(pool: pg.Pool, name: string, seconds: number): Promise<boolean> {
  const { rowCount } = await pool.query(
    `INSERT INTO "PeriodicTask" (name, "lastRunAt", "runBy") VALUES ($1, now(), $2)
     ON CONFLICT (name) DO UPDATE SET "lastRunAt" = now(), "runBy" = $2
     WHERE "PeriodicTask"."lastRunAt" <= now() - make_interval(secs => $3)`,
    [name, RUNNER, seconds * 0.9],
  );
  return rowCount === 1;
}

export function every(deps: { pool: pg.Pool; logger: Logger }, { name, seconds, work, scope = 'cluster' }: PeriodicOptions): Periodic {
  let running: Promise<boolean> | null = null;
  const tick = () => {
    // A run still going when the next tick comes is not doubled.
    running ??= (async () => {
      try {
        if (scope === 'cluster' && !(await claimPeriod(deps.pool, name, seconds))) return false;
        await work();
        return true;
      } catch (err) {
        deps.logger.error({ err, task: name }, `${name} failed`);
        return false;
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = seconds > 0 ? setInterval(() => void tick(), seconds * 1000).unref() : null;
  return {
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
