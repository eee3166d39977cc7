// Single host: the gateway calls each subgraph's schema directly. The query planner hands over the
// fetch's parsed document (`exposeDocumentNodeInFetchNode`), so nothing is printed, re-parsed or
// re-validated per fetch: planner documents are valid against the subgraph by construction. The
// documents run often are compiled (lib/graphql/execution.ts).
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { parse, validate, type DocumentNode } from 'graphql';
import type { BaseContext } from '../../lib/context.js';
import { maskError, type MaskingOptions } from '../../lib/errors.js';
import { createOperationRunner, type OperationRunner } from '../../lib/graphql/execution.js';
import type { SubgraphService } from '../../lib/graphql/subgraph.js';
import type { GatewayContext } from '../context.js';
import { INCOMING_OPERATION } from '../federationInternals.js';

export class InProcessDataSource implements GraphQLDataSource<GatewayContext> {
  readonly runner: OperationRunner;

  constructor(
    private readonly service: SubgraphService<BaseContext>,
    /** The subgraph's edge: its unexpected errors are logged and masked here, once. */
    private readonly masking: MaskingOptions,
  ) {
    this.runner = createOperationRunner(service.schema);
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    if (options.kind !== INCOMING_OPERATION) return this.execute(request.query!, request.variables);
    return this.run(options.document ?? parse(request.query!), this.contextFor(options.context), request.variables, request.operationName);
  }

  /** An operation of the gateway's own (health checks, schema reads), checked and run anonymously. */
  async execute(query: string, variables?: Record<string, unknown>): Promise<GatewayGraphQLResponse> {
    const document = parse(query);
    const errors = validate(this.service.schema, document);
    if (errors.length) return { errors: errors.map((e) => e.toJSON()) };
    return this.run(document, this.service.createContext({ identity: null, requestId: 'internal' }), variables);
  }

  private async run(
    document: DocumentNode,
    contextValue: BaseContext,
    variableValues?: Record<string, unknown>,
    operationName?: string,
  ): Promise<GatewayGraphQLResponse> {
    const result = await this.runner.run(document, contextValue, variableValues, operationName);
    return {
      data: result.data,
      errors: result.errors?.map((e) =>
        maskError(e.toJSON(), e, { ...this.masking, logger: this.masking.logger.child({ requestId: contextValue.requestId }) }),
      ),
    };
  }

  private contextFor(gatewayContext: GatewayContext): BaseContext {
    let context = gatewayContext.subgraphContexts.get(this.service.name) as BaseContext | undefined;
    if (!context) {
      context = this.service.createContext({ identity: gatewayContext.identity, requestId: gatewayContext.requestId });
      gatewayContext.subgraphContexts.set(this.service.name, context);
    }
    return context;
  }
}
