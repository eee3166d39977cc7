// Readiness: can this process do its work right now? Each dependency answers within a deadline.
import type { Runtime } from './runtime.js';

export type CheckResult = { ok: true; ms: number } | { ok: false; ms: number; error: string };

export async function timedCheck(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<CheckResult> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - t0) };
  } catch (err) {
    return { ok: false, ms: Math.round(performance.now() - t0), error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** PostgreSQL and Redis, the two dependencies every part has. */
export async function checkDependencies(runtime: Runtime): Promise<Record<string, CheckResult>> {
  const [postgres, redis] = await Promise.all([
    timedCheck(() => runtime.prisma.$queryRaw`SELECT 1`),
    timedCheck(() => runtime.redis.ping()),
  ]);
  return { postgres, redis };
}

export const allOk = (checks: Record<string, CheckResult>) => Object.values(checks).every((c) => c.ok);
