// Subscriptions through the gateway (graphql-transport-ws on /graphql). @apollo/gateway has no
// subscription execution, but its query planner plans one as { primary, rest }: the primary
// fetch is streamed from the subgraph that owns the field, and each event it yields runs through
// the gateway's executor as a plan whose primary fetch answers with that event — so fields that
// other subgraphs own are filled in exactly as for a query.
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { GraphQLDataSource } from '@apollo/gateway';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import {
  GraphQLError,
  print,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Identity } from '../lib/auth/identity.js';
import { maskError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { GatewayContext } from './context.js';
import { buildOperationContext, executeQueryPlan } from './federationInternals.js';

/** One subgraph subscription request, as the planner wrote it for the primary fetch. */
export interface SubgraphSubscription {
  query: string;
  document?: FetchNode['operationDocumentNode'];
  variables: Record<string, unknown>;
  operationName?: string;
}

/** A subgraph's stream of results; their errors were masked (and logged) at the subgraph's edge. */
export type SubscribeToSubgraph = (
  request: SubgraphSubscription,
  context: GatewayContext,
) => AsyncIterable<ExecutionResult | FormattedExecutionResult>;

export interface SubscriptionOptions {
  httpServer: http.Server;
  supergraphSdl: string;
  dataSources: Record<string, GraphQLDataSource<GatewayContext>>;
  subscribers: Record<string, SubscribeToSubgraph | undefined>;
  /** Who is calling, from the connection's params (`authorization`, `x-api-key`). */
  authenticate: (header: (name: string) => string | undefined) => Promise<Identity | null>;
  logger: Logger;
  exposeDetails: boolean;
}

export function serveSubscriptions(options: SubscriptionOptions) {
  const supergraph = Supergraph.build(options.supergraphSdl);
  const apiSchema = supergraph.apiSchema();
  const schema = apiSchema.toGraphQLJSSchema();
  const supergraphSchema = supergraph.schema.toGraphQLJSSchema();
  const planner = new QueryPlanner(supergraph, { exposeDocumentNodeInFetchNode: true });
  // Errors arrive as GraphQLErrors or already formatted (from a subgraph over the wire).
  const mask = (errors: ReadonlyArray<GraphQLError | GraphQLFormattedError>) =>
    errors.map((e) =>
      maskError(e instanceof GraphQLError ? e.toJSON() : e, e, { logger: options.logger, exposeDetails: options.exposeDetails }),
    );
  // graphql-ws serialises a result's errors with toJSON(): hand it GraphQLErrors, masked.
  const maskedErrors = (errors: ReadonlyArray<GraphQLError | GraphQLFormattedError>) =>
    mask(errors).map((f) => new GraphQLError(f.message, { path: f.path, extensions: f.extensions }));
  const onlySubscriptions = (): ExecutionResult => ({
    errors: [
      new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP', {
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ],
  });

  /** Plans the subscription and opens its primary stream; errors come back as a result, not a throw. */
  async function federated(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
    const context = args.contextValue as GatewayContext;
    let plan: QueryPlan;
    try {
      plan = planner.buildQueryPlan(operationFromDocument(apiSchema, args.document, { operationName: args.operationName ?? undefined }));
    } catch (err) {
      return { errors: [new GraphQLError((err as Error).message, { extensions: { code: 'BAD_USER_INPUT' } })] };
    }
    const node = plan.node;
    if (node?.kind !== 'Subscription') return onlySubscriptions();
    const { primary, rest } = node;
    const subscribe = options.subscribers[primary.serviceName];
    if (!subscribe) return { errors: [new GraphQLError(`subgraph ${primary.serviceName} cannot stream subscriptions`)] };
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const stream = subscribe(
      {
        query: primary.operation,
        document: primary.operationDocumentNode,
        variables: Object.fromEntries((primary.variableUsages ?? []).map((v) => [v, variables[v]])),
        operationName: primary.operationName,
      },
      context,
    );
    const operationContext = buildOperationContext({
      schema,
      operationDocument: args.document,
      operationName: args.operationName ?? undefined,
    });
    const eventPlan: QueryPlan = { kind: 'QueryPlan', node: rest ? { kind: 'Sequence', nodes: [primary, rest] } : (primary as PlanNode) };
    const query = print(args.document);

    async function* events(): AsyncGenerator<ExecutionResult> {
      for await (const event of stream) {
        if (!event.data) {
          // The subgraph refused (e.g. FORBIDDEN) or failed: tell the client and end. Tagged with
          // the subgraph, as the executor tags fetch errors: they were masked where they happened.
          const fromSubgraph = (event.errors ?? []).map((e) => {
            const formatted = e instanceof GraphQLError ? e.toJSON() : e;
            return { ...formatted, extensions: { ...formatted.extensions, serviceName: primary.serviceName } };
          });
          yield { errors: maskedErrors(fromSubgraph) };
          return;
        }
        // The primary fetch answers with this event; the rest of the plan fetches as usual.
        const replay: GraphQLDataSource = { process: async () => ({ data: event.data }) };
        const requestContext = {
          request: { query, variables, operationName: args.operationName ?? undefined },
          context: { ...context, subgraphContexts: new Map() },
          document: args.document,
          queryHash: '',
          metrics: {},
          logger: options.logger,
        } as unknown as GatewayGraphQLRequestContext;
        const result = await executeQueryPlan(
          eventPlan,
          { ...options.dataSources, [primary.serviceName]: replay },
          requestContext,
          operationContext,
          supergraphSchema,
          apiSchema,
        );
        yield { data: result.data, ...(result.errors?.length ? { errors: maskedErrors(result.errors) } : {}) };
      }
    }
    return events();
  }

  const wss = new WebSocketServer({ server: options.httpServer, path: '/graphql' });
  const server = useServer<Record<string, unknown>, { identity: Identity | null }>(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = (name: string) => {
          const value =
            params[name] ?? params[name.toLowerCase()] ?? (name === 'authorization' && params.token ? `Bearer ${params.token}` : undefined);
          return typeof value === 'string' ? value : undefined;
        };
        try {
          ctx.extra.identity = await options.authenticate(header);
          return true;
        } catch {
          return false; // closes the socket with 4403 Forbidden
        }
      },
      context: (ctx) =>
        ({ identity: ctx.extra.identity ?? null, requestId: randomUUID(), subgraphContexts: new Map() }) satisfies GatewayContext,
      subscribe: (args) => federated(args),
      execute: () => onlySubscriptions(),
      onError: (_ctx, _id, _payload, errors) => mask(errors),
    },
    wss,
  );
  return {
    close: async () => {
      await server.dispose();
      wss.close();
    },
  };
}
