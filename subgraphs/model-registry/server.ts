import { baseContext, defineSubgraph } from '../../lib/graphql/subgraph.js';
import type { Runtime } from '../../lib/runtime.js';
import { createLoaders, type ModelRegistryContext } from './context.js';
import { computeAllDrift } from './data/registry.js';
import { modelsHttp } from './http.js';
import { resolvers } from './resolvers/index.js';

/** ONNX models: versions, aliases, traffic splits, health-driven rollback and drift reports. */
export function createModelRegistrySubgraph(runtime: Runtime) {
  const every = runtime.config.models.driftIntervalSeconds;
  if (every > 0) {
    const timer = setInterval(() => {
      computeAllDrift(runtime).catch((err) => runtime.logger.error({ err }, 'computing model drift failed'));
    }, every * 1000).unref();
    runtime.onClose(() => clearInterval(timer));
  }
  return defineSubgraph<ModelRegistryContext>({
    name: 'model-registry',
    schemaFile: new URL('./schema.graphql', import.meta.url),
    resolvers,
    createContext: (request) => ({ ...baseContext(runtime, request), loaders: createLoaders(runtime.prisma) }),
    http: (identify) => modelsHttp(runtime, identify),
  });
}
