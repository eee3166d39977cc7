// Single host: the four subgraphs run inside the gateway's process and are called directly.
import { GraphQLError, parse, subscribe, type ExecutionResult } from 'graphql';
import type { BaseContext } from '../../lib/context.js';
import type { SubgraphService } from '../../lib/graphql/subgraph.js';
import type { Runtime } from '../../lib/runtime.js';
import { createDatasetsSubgraph } from '../../subgraphs/datasets/server.js';
import { createInsightsSubgraph, startAnalysisWorker } from '../../subgraphs/insights/server.js';
import { createModelRegistrySubgraph } from '../../subgraphs/model-registry/server.js';
import { createTemplatesSubgraph } from '../../subgraphs/templates/server.js';
import { InProcessDataSource } from '../dataSources/inProcess.js';
import type { GatewayContext } from '../context.js';
import type { SubgraphEndpoint } from '../server.js';
import type { SubgraphSubscription } from '../subscriptions.js';

/** The single host's analysis worker, in this process (START_WORKER), stopped with the runtime. */
export function startInProcessWorker(runtime: Runtime): void {
  if (!runtime.config.startWorker) return;
  const worker = startAnalysisWorker(runtime, { concurrency: runtime.config.analysisConcurrency });
  runtime.onClose(() => worker.close());
}

export function inProcessEndpoints(runtime: Runtime): SubgraphEndpoint[] {
  const services = [
    createTemplatesSubgraph(runtime),
    createDatasetsSubgraph(runtime),
    createInsightsSubgraph(runtime),
    createModelRegistrySubgraph(runtime),
  ] as unknown as SubgraphService<BaseContext>[];
  const exposeDetails = !runtime.config.isProduction;
  return services.map((service) => ({
    definition: { name: service.name, url: `in-process://${service.name}`, typeDefs: service.typeDefs },
    dataSource: new InProcessDataSource(service, { logger: runtime.logger, exposeDetails }),
    check: async () => ({ ok: true, ms: 0 }),
    http: service.http,
    subscribe: (request, context) => subscribeInProcess(service, request, context),
  }));
}

/** Runs a subgraph subscription on its schema in this process, as a stream of results. */
async function* subscribeInProcess(service: SubgraphService<BaseContext>, request: SubgraphSubscription, gatewayContext: GatewayContext): AsyncGenerator<ExecutionResult> {
  const contextValue = service.createContext({ identity: gatewayContext.identity, requestId: gatewayContext.requestId });
  const result = await subscribe({
    schema: service.schema,
    document: request.document ?? parse(request.query),
    variableValues: request.variables,
    operationName: request.operationName,
    contextValue,
  });
  if (!(Symbol.asyncIterator in result)) {
    yield result;
    return;
  }
  try {
    yield* result;
  } catch (err) {
    // A refusal raised when the stream starts (e.g. FORBIDDEN) ends it with that error.
    yield { errors: [err instanceof GraphQLError ? err : new GraphQLError((err as Error).message)] };
  }
}
