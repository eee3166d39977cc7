// `npm run start:<subgraph>`: one subgraph as its own process (distributed topology).
import { loadConfig, type SubgraphName } from '../config.js';
import type { BaseContext } from '../context.js';
import { ensurePostgres, ensureRedis } from '../db/connectivity.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { onShutdown, runMain, StartupError } from '../startup.js';
import { startTracing } from '../tracing/index.js';
import { serveSubgraph } from './serveSubgraph.js';
import type { SubgraphService } from './subgraph.js';

export function runSubgraphProcess<C extends BaseContext>(
  name: SubgraphName,
  create: (runtime: Runtime) => SubgraphService<C>,
): Promise<void> {
  return runMain(async () => {
    const config = loadConfig();
    if (config.jwtSecretGenerated) {
      throw new StartupError('JWT_SECRET is required when parts run as separate processes (they must share it)');
    }
    await startTracing(config.tracing, `reportgraph-${name}`);
    await Promise.all([ensurePostgres(config.databaseUrl), ensureRedis(config.redisUrl)]);
    const runtime = createRuntime(config);
    const port = Number(new URL(config.subgraphUrls[name]).port || 80);
    const server = await serveSubgraph(create(runtime) as unknown as SubgraphService<BaseContext>, runtime, {
      host: config.host,
      port,
    });
    onShutdown(
      async () => {
        await server.close();
        await runtime.close();
      },
      { timeoutSeconds: config.shutdownTimeoutSeconds, logger: runtime.logger },
    );
  });
}
