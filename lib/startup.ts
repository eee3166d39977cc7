// Process entry points share this: known start-up failures (bad config, a dependency down, a
// migration problem) print one line a person can act on — never a stack trace — and exit 1.
import { ConfigError } from './config.js';
import { DependencyUnavailableError } from './db/connectivity.js';
import { MigrationError } from './db/migrate.js';
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

/** Runs `stop` once on SIGINT/SIGTERM, then exits. */
export function onShutdown(stop: () => Promise<unknown>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    stop()
      .catch((err) => process.stderr.write(`reportgraph: error while stopping on ${signal}: ${(err as Error).message}\n`))
      .then(() => stopTracing()) // the spans still buffered
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
