// Process entry points share this: known start-up failures (bad config, a dependency down, a
// migration problem) print one line a person can act on — never a stack trace — and exit 1.
import { ConfigError } from './config.js';
import { DependencyUnavailableError } from './db/connectivity.js';
import { MigrationError } from './db/migrate.js';
import type { Logger } from './logger.js';
import { stopTracing } from './tracing/index.js';

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

const KNOWN = [ConfigError, DependencyUnavailableError, MigrationError, StartupError];

export async function runMain(main: () => Promise<unknown>): Promise<void> {
  try {
    await main();
  } catch (err) {
    if (KNOWN.some((k) => err instanceof k)) {
      process.stderr.write(`reportgraph: ${(err as Error).message}\n`);
    } else {
      process.stderr.write(`reportgraph: start-up failed: ${(err as Error)?.stack ?? String(err)}\n`);
    }
    process.exit(1);
  }
}

/**
 * How long a server waits for its in-flight requests once asked to stop: four fifths of
 * SHUTDOWN_TIMEOUT_SECONDS, the rest left for closing connections and background work.
 */
export const drainGraceMs = (shutdownTimeoutSeconds: number) => Math.round(shutdownTimeoutSeconds * 800);

/**
 * Runs `stop` once on SIGINT/SIGTERM, then exits: 0 when it finished, 1 when it failed or was still
 * running after `timeoutSeconds` (SHUTDOWN_TIMEOUT_SECONDS) — a process never hangs on its way out.
 * A second signal while stopping changes nothing: the deadline stands.
 */
export function onShutdown(stop: () => Promise<unknown>, { timeoutSeconds, logger }: { timeoutSeconds: number; logger?: Logger }): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const started = performance.now();
    logger?.info({ signal, timeoutSeconds }, 'stopping: finishing requests and running work');
    const force = setTimeout(() => {
      logger?.error({ signal, timeoutSeconds }, 'did not stop within SHUTDOWN_TIMEOUT_SECONDS; exiting anyway');
      process.exit(1);
    }, timeoutSeconds * 1000);
    force.unref();
    void stop()
      .then(
        () => {
          logger?.info({ ms: Math.round(performance.now() - started) }, 'stopped');
          return 0;
        },
        (err: unknown) => {
          process.stderr.write(`reportgraph: error while stopping on ${signal}: ${(err as Error).message}\n`);
          return 1;
        },
      )
      .then(async (code) => {
        // The spans still buffered, for at most 2 s: an unreachable collector does not fail a clean stop.
        await Promise.race([stopTracing().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
        process.exit(code);
      });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
