import { baseContext, defineSubgraph } from '../../lib/graphql/subgraph.js';
import type { Runtime } from '../../lib/runtime.js';
import { createLoaders, type ModelRegistryContext } from './context.js';
import { resolvers } from './resolvers/index.js';

/** ONNX models: versions, aliases, traffic splits and drift reports. */
export function createModelRegistrySubgraph(runtime: Runtime) {
  return defineSubgraph<ModelRegistryContext>({
    name: 'model-registry',
    schemaFile: new URL('./schema.graphql', import.meta.url),
    resolvers,
    createContext: (request) => ({ ...baseContext(runtime, request), loaders: createLoaders(runtime.prisma) }),
  });
}
