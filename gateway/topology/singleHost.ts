// Single host: the four subgraphs run inside the gateway's process and are called directly.
import { endingSource } from '../../lib/asyncIterators.js';
import { GraphQLError, parse, subscribe, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import type { BaseContext } from '../../lib/context.js';
import { maskError, type MaskingOptions } from '../../lib/errors.js';
import { timedCheck } from '../../lib/health.js';
import type { SubgraphService } from '../../lib/graphql/subgraph.js';
import type { Runtime } from '../../lib/runtime.js';
import { createDatasetsSubgraph } from '../../subgraphs/datasets/server.js';
import { createInsightsSubgraph } from '../../subgraphs/insights/server.js';
import { createAnalysisWorker, type AnalysisWorker } from '../../subgraphs/insights/worker/worker.js';
import { createModelRegistrySubgraph } from '../../subgraphs/model-registry/server.js';
import { createTemplatesSubgraph } from '../../subgraphs/templates/server.js';
import { InProcessDataSource } from '../dataSources/inProcess.js';
import type { GatewayContext } from '../context.js';
import type { SubgraphEndpoint } from '../server.js';
import type { SubgraphSubscription } from '../subscriptions.js';

/**
 * The single host's analysis worker in this process, when START_WORKER is on; not started yet.
 * Its inference threads start with the first analysis: a gateway that serves no analysis holds none.
 */
export function inProcessWorker(runtime: Runtime): AnalysisWorker | null {
  return runtime.config.startWorker
    ? createAnalysisWorker(runtime, { concurrency: runtime.config.analysisConcurrency, engineOnFirstJob: true })
    : null;
}

export function inProcessEndpoints(runtime: Runtime): SubgraphEndpoint[] {
  const services = [
    createTemplatesSubgraph(runtime),
    createDatasetsSubgraph(runtime),
    createInsightsSubgraph(runtime),
    createModelRegistrySubgraph(runtime),
  ] as unknown as SubgraphService<BaseContext>[];
  return services.map((service) => {
    // The subgraph's edge: its unexpected errors are logged and masked here, as its own server would.
    const masking = { logger: runtime.logger.child({ subgraph: service.name }), exposeDetails: runtime.config.exposeErrorDetails };
    const dataSource = new InProcessDataSource(service, masking);
    return {
      definition: { name: service.name, url: `in-process://${service.name}`, typeDefs: service.typeDefs },
      dataSource,
      // Ready when its schema executes and what it needs besides PostgreSQL and Redis works.
      check: () =>
        timedCheck(async () => {
          const { errors } = await dataSource.execute('{ _service { sdl } }');
          if (errors?.length) throw new Error(errors[0]!.message);
          await service.ready?.();
        }),
      http: service.http,
      subscribe: (request, context) => subscribeInProcess(service, masking, request, context),
      start: service.start?.bind(service),
      stop: service.stop?.bind(service),
    };
  });
}

/** Runs a subgraph subscription on its schema in this process, as a stream of results. */
function subscribeInProcess(
  service: SubgraphService<BaseContext>,
  masking: MaskingOptions,
  request: SubgraphSubscription,
  gatewayContext: GatewayContext,
): AsyncIterableIterator<ExecutionResult | FormattedExecutionResult> {
  let source: AsyncIterator<ExecutionResult> | undefined;
  async function* results(): AsyncGenerator<ExecutionResult | FormattedExecutionResult> {
    const mask = (errors: readonly GraphQLError[]) => errors.map((e) => maskError(e.toJSON(), e, masking));
    const contextValue = service.createContext({ identity: gatewayContext.identity, requestId: gatewayContext.requestId });
    const result = await subscribe({
      schema: service.schema,
      document: request.document ?? parse(request.query),
      variableValues: request.variables,
      operationName: request.operationName,
      contextValue,
    });
    if (!(Symbol.asyncIterator in result)) {
      yield { ...result, errors: mask(result.errors ?? []) };
      return;
    }
    source = result;
    try {
      for await (const event of result) yield event.errors?.length ? { ...event, errors: mask(event.errors) } : event;
    } catch (err) {
      // A refusal raised when the stream starts (e.g. FORBIDDEN) ends it with that error.
      yield {
        errors: mask([err instanceof GraphQLError ? err : new GraphQLError((err as Error).message, { originalError: err as Error })]),
      };
    }
  }
  // The gateway's subscriber left: end the subgraph's stream now, not at its next event.
  return endingSource(results(), () => source);
}
