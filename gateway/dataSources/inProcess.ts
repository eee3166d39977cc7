// Single host: the gateway calls each subgraph's schema directly. The query planner hands over the
// fetch's parsed document (`exposeDocumentNodeInFetchNode`), so nothing is printed, re-parsed or
// re-validated per fetch: planner documents are valid against the subgraph by construction.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { execute, parse, validate, type DocumentNode } from 'graphql';
import type { BaseContext } from '../../lib/context.js';
import { maskError } from '../../lib/errors.js';
import type { SubgraphService } from '../../lib/graphql/subgraph.js';
import type { Logger } from '../../lib/logger.js';
import type { GatewayContext } from '../context.js';
import { INCOMING_OPERATION } from '../federationInternals.js';

export class InProcessDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly service: SubgraphService<BaseContext>,
    private readonly options: { logger: Logger; exposeDetails: boolean },
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    let document: DocumentNode;
    let contextValue: BaseContext;
    if (options.kind === INCOMING_OPERATION) {
      document = options.document ?? parse(request.query!);
      contextValue = this.contextFor(options.context);
    } else {
      document = parse(request.query!);
      const errors = validate(this.service.schema, document);
      if (errors.length) return { errors: errors.map((e) => e.toJSON()) };
      contextValue = this.service.createContext({ identity: null, requestId: 'internal' });
    }
    const result = await execute({
      schema: this.service.schema,
      document,
      contextValue,
      variableValues: request.variables,
      operationName: request.operationName,
    });
    return {
      data: result.data,
      errors: result.errors?.map((e) =>
        maskError(e.toJSON(), e, { logger: contextValue.logger, exposeDetails: this.options.exposeDetails }),
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
