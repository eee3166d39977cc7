import { baseContext, defineSubgraph } from '../../lib/graphql/subgraph.js';
import { every, type Periodic } from '../../lib/periodic.js';
import type { Runtime } from '../../lib/runtime.js';
import { createLoaders, type ModelRegistryContext } from './context.js';
import { closeInspector } from './data/inspector.js';
import { computeAllDrift, evaluateSplits } from './data/registry.js';
import { modelsHttp } from './http.js';
import { resolvers } from './resolvers/index.js';

/** ONNX models: versions, aliases, traffic splits, health-driven rollback and drift reports. */
export function createModelRegistrySubgraph(runtime: Runtime) {
  let timers: Periodic[] = [];
  return defineSubgraph<ModelRegistryContext>({
    name: 'model-registry',
    schemaFile: new URL('./schema.graphql', import.meta.url),
    resolvers,
    createContext: (request) => baseContext(runtime, request, { loaders: createLoaders(runtime.prisma) }),
    http: (identify) => modelsHttp(runtime, identify),
    start() {
      const { driftIntervalSeconds, healthIntervalSeconds } = runtime.config.models;
      timers = [
        every(runtime, { name: 'model-drift', seconds: driftIntervalSeconds, work: () => computeAllDrift(runtime) }),
        // Workers record outcomes as they run; failing candidates leave the split within this period.
        every(runtime, { name: 'model-health', seconds: healthIntervalSeconds, work: () => evaluateSplits(runtime) }),
      ];
    },
    async stop() {
      await Promise.all(timers.map((t) => t.stop()));
      await closeInspector();
    },
  });
}
