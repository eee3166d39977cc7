import { baseContext, defineSubgraph } from '../../lib/graphql/subgraph.js';
import type { Runtime } from '../../lib/runtime.js';
import { createLoaders, type ModelRegistryContext } from './context.js';
import { computeAllDrift, evaluateSplits } from './data/registry.js';
import { modelsHttp } from './http.js';
import { resolvers } from './resolvers/index.js';

/** ONNX models: versions, aliases, traffic splits, health-driven rollback and drift reports. */
export function createModelRegistrySubgraph(runtime: Runtime) {
  runtime.every(runtime.config.models.driftIntervalSeconds, 'computing model drift', () => computeAllDrift(runtime));
  // Workers record outcomes as they run; failing candidates leave the split within this period.
  runtime.every(runtime.config.models.healthIntervalSeconds, 'judging model health', () => evaluateSplits(runtime));
  return defineSubgraph<ModelRegistryContext>({
    name: 'model-registry',
    schemaFile: new URL('./schema.graphql', import.meta.url),
    resolvers,
    createContext: (request) => ({ ...baseContext(runtime, request), loaders: createLoaders(runtime.prisma) }),
    http: (identify) => modelsHttp(runtime, identify),
  });
}
