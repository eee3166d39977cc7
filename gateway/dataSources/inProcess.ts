// Single host: the gateway calls each subgraph's schema directly. The query planner hands over the
// fetch's parsed document (`exposeDocumentNodeInFetchNode`), so nothing is printed, re-parsed or
// re-validated per fetch: planner documents are valid against the subgraph by construction. The
// documents run often are compiled (graphql-jit).
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { execute, parse, validate, type DocumentNode, type ExecutionResult } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { BaseContext } from '../../lib/context.js';
import { maskError, type MaskingOptions } from '../../lib/errors.js';
import type { SubgraphService } from '../../lib/graphql/subgraph.js';
import type { GatewayContext } from '../context.js';
import { INCOMING_OPERATION } from '../federationInternals.js';

/** Runs of a planner document before it is compiled. */
export const COMPILE_AFTER = 3;

export class InProcessDataSource implements GraphQLDataSource<GatewayContext> {
  /**
   * Planner documents compiled to JavaScript (graphql-jit) once they are run often: the planner
   * caches its plans, so a client's document recurs as the same objects. Compiling costs far more
   * than one execution, so a document is interpreted until its COMPILE_AFTER-th run — a client
   * sending a new document every time cannot make the gateway compile for it.
   */
  private readonly compiled = new WeakMap<DocumentNode, Map<string, { runs: number; query: CompiledQuery | null }>>();

  constructor(
    private readonly service: SubgraphService<BaseContext>,
    /** The subgraph's edge: its unexpected errors are logged and masked here, once. */
    private readonly masking: MaskingOptions,
  ) {}

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
    const compiled = this.compiledOf(document, operationName);
    const result: ExecutionResult = compiled
      ? await compiled.query(undefined, contextValue, variableValues ?? {})
      : await execute({ schema: this.service.schema, document, contextValue, variableValues, operationName });
    return {
      data: result.data,
      errors: result.errors?.map((e) =>
        maskError(e.toJSON(), e, { ...this.masking, logger: this.masking.logger.child({ requestId: contextValue.requestId }) }),
      ),
    };
  }

  private compiledOf(document: DocumentNode, operationName: string | undefined): CompiledQuery | null {
    let byName = this.compiled.get(document);
    if (!byName) this.compiled.set(document, (byName = new Map()));
    let entry = byName.get(operationName ?? '');
    if (!entry) byName.set(operationName ?? '', (entry = { runs: 0, query: null }));
    if (++entry.runs === COMPILE_AFTER) {
      const made = compileQuery(this.service.schema, document, operationName);
      if (isCompiledQuery(made)) entry.query = made;
    }
    return entry.query;
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
