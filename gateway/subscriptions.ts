// Subscriptions through the gateway (graphql-transport-ws on /graphql). @apollo/gateway has no
// subscription execution, but its query planner plans one as { primary, rest }: the primary
// fetch is streamed from the subgraph that owns the field, and each event it yields runs through
// the gateway's executor as a plan whose primary fetch answers with that event — so fields that
// other subgraphs own are filled in exactly as for a query.
// Many subscribers often follow one stream (an analysis's progress on every open dashboard): an
// event's result is computed once for all subscribers with the same document, variables and caller
// who receive the same event within WS_SHARE_WINDOW_MS, and handed to each of them. Each keeps its
// own subgraph stream, so what one subscriber sees first, when it ends and how is unchanged.
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { GraphQLDataSource } from '@apollo/gateway';
import { operationFromDocument } from '@apollo/federation-internals';
import type { FetchNode, PlanNode, QueryPlan } from '@apollo/query-planner';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import {
  getOperationAST,
  GraphQLError,
  parse,
  print,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { AccessChange, Identity } from '../lib/auth/identity.js';
import type { Config } from '../lib/config.js';
import { endingSource } from '../lib/asyncIterators.js';
import { badInput, ErrorCode, maskError, ReportGraphError, unauthenticated, type MaskingOptions } from '../lib/errors.js';
import { jsonDepthRefusal, valueDeeperThan } from '../lib/jsonDepth.js';
import type { Authenticator } from './auth.js';
import type { GatewayContext } from './context.js';
import { buildOperationContext, executeQueryPlan, type GatewayPlanning } from './federationInternals.js';
import { tokenLimitError } from './plugins/guardPlugin.js';
import type { OperationGuard } from './plugins/operationGuard.js';
import { enforceDocumentSize } from './plugins/operationLimits.js';
import type { PersistedDocument } from './plugins/persistedOperations.js';

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
  /** The gateway's own planner and schemas, as they are now: subscriptions are planned as every operation is. */
  planning(): GatewayPlanning;
  dataSources: Record<string, GraphQLDataSource<GatewayContext>>;
  subscribers: Record<string, SubscribeToSubgraph | undefined>;
  /** Who is calling, from the connection's params (`authorization`, `x-api-key`), and whether they still are. */
  authenticator: Pick<Authenticator, 'authenticateHeaders' | 'stillValid'>;
  /** The checks every operation passes (persisted-only, limits, rate limits), as over HTTP. */
  guard: OperationGuard;
  /** Trusted documents a subscription may name by id. */
  persisted: { find(id: string): Promise<PersistedDocument | null> };
  config: Config;
  masking: MaskingOptions;
  /** Told of each event: run through the plan, or answered with a result computed for another subscriber. */
  onEvent?: (outcome: 'executed' | 'shared') => void;
}

/** What the gateway keeps per WebSocket connection. */
interface Connection {
  identity: Identity | null;
  ip: string;
  /** Subscriptions open on it (WS_MAX_SUBSCRIPTIONS). */
  open: Set<string>;
  socket: { close(code: number, reason: string): void };
}

/** 4403 is graphql-ws's Forbidden: the client must authenticate again. */
const ACCESS_CHANGED = [4403, 'Forbidden: access changed; connect again'] as const;
/** Results held for sharing at once (each for WS_SHARE_WINDOW_MS): a bound on the memory they take. */
const RECENT_MAX = 10_000;

export function serveSubscriptions(options: SubscriptionOptions) {
  // Read per subscription (a few property reads): a supergraph the gateway loads anew is planned against at once.
  const startSchema = options.planning().schema;
  // Errors arrive as GraphQLErrors or already formatted (from a subgraph over the wire).
  const { config, masking } = options;
  const mask = (errors: ReadonlyArray<GraphQLError | GraphQLFormattedError>) =>
    errors.map((e) => maskError(e instanceof GraphQLError ? e.toJSON() : e, e, masking));
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

  // Results of recent events by scope and event: what another subscriber in the same scope reuses.
  const recent = new Map<string, Promise<ExecutionResult>>();
  const window = config.ws.shareWindowMs;

  /** Plans the subscription and opens its primary stream; errors come back as a result, not a throw. */
  async function federated(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const context = args.contextValue as GatewayContext;
    const { planner, apiSchema, schema, supergraphSchema } = options.planning();
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
    // Everything the result can depend on besides the event: who asks (id and role), which trusted
    // document, the operation and its variables. The request id and address are for logs only.
    const identity = context.identity;
    const scope = JSON.stringify([
      identity ? [identity.kind, identity.id, identity.role] : null,
      context.persisted?.id ?? null,
      query,
      args.operationName ?? null,
      variables,
    ]);

    async function run(data: Record<string, unknown>): Promise<ExecutionResult> {
      // The primary fetch answers with this event; the rest of the plan fetches as usual.
      const replay: GraphQLDataSource = { process: async () => ({ data }) };
      const requestContext = {
        request: { query, variables, operationName: args.operationName ?? undefined },
        context: { ...context, subgraphContexts: new Map() },
        document: args.document,
        queryHash: '',
        metrics: {},
        logger: masking.logger,
      } as unknown as GatewayGraphQLRequestContext;
      const result = await executeQueryPlan(
        eventPlan,
        { ...options.dataSources, [primary.serviceName]: replay },
        requestContext,
        operationContext,
        supergraphSchema,
        apiSchema,
      );
      return { data: result.data, ...(result.errors?.length ? { errors: maskedErrors(result.errors) } : {}) };
    }

    /** This event's result: computed here, or by a subscriber in the same scope that had it first. */
    function resultOf(data: Record<string, unknown>): Promise<ExecutionResult> {
      if (window <= 0) {
        options.onEvent?.('executed');
        return run(data);
      }
      const key = `${scope}\n${JSON.stringify(data)}`;
      const known = recent.get(key);
      if (known) {
        options.onEvent?.('shared');
        return known;
      }
      options.onEvent?.('executed');
      const result = run(data);
      // Bounded: past RECENT_MAX results held, an event is computed for its subscriber alone.
      if (recent.size >= RECENT_MAX) return result;
      recent.set(key, result);
      setTimeout(() => recent.get(key) === result && recent.delete(key), window).unref();
      return result;
    }

    const upstream = stream[Symbol.asyncIterator]();
    async function* events(): AsyncGenerator<ExecutionResult> {
      for await (const event of { [Symbol.asyncIterator]: () => upstream }) {
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
        yield await resultOf(event.data as Record<string, unknown>);
      }
    }
    // A subscriber that leaves closes its subgraph stream now, not at the stream's next event.
    return endingSource(events(), () => upstream);
  }

  /** Parses, validates and guards one subscription the way HTTP operations are; errors come back coded. */
  async function prepare(connection: Connection, id: string, payload: SubscribePayload): Promise<ExecutionArgs | readonly GraphQLError[]> {
    // The slot is taken before anything awaits: concurrent subscribes cannot all see room.
    if (connection.open.size >= config.ws.maxSubscriptions) {
      return maskedErrors([
        badInput(`At most ${config.ws.maxSubscriptions} subscriptions per connection`, { limit: 'WS_MAX_SUBSCRIPTIONS' }),
      ]);
    }
    connection.open.add(id);
    try {
      const named =
        (payload as { documentId?: unknown }).documentId ??
        (payload.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
      const trusted = typeof named === 'string' ? await options.persisted.find(named) : null;
      if (typeof named === 'string' && !trusted)
        throw new ReportGraphError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, `No persisted operation ${named}`, { documentId: named });
      const query = trusted?.document ?? payload.query;
      enforceDocumentSize(query, config.limits);
      let document: DocumentNode;
      try {
        document = parse(query, { maxTokens: config.limits.maxTokens });
      } catch (err) {
        const formatted = tokenLimitError({ message: (err as Error).message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }, config.limits);
        throw new GraphQLError(formatted.message, { extensions: formatted.extensions });
      }
      const { schema } = options.planning();
      const invalid = validate(schema, document);
      if (invalid.length) {
        connection.open.delete(id);
        return maskedErrors(
          // Masked as over HTTP: where not everyone may introspect, no "Did you mean …?" (masking.hideSuggestions).
          invalid.map((e) => ({ message: e.message, locations: e.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })),
        );
      }
      const operation = getOperationAST(document, payload.operationName);
      if (!operation) throw badInput('No operation with that name in the document');
      // Answered by `execute` with a result that says why: nothing runs.
      if (operation.operation !== 'subscription') return { schema, document };
      if (connection.identity && !(await options.authenticator.stillValid(connection.identity))) {
        connection.socket.close(...ACCESS_CHANGED);
        throw unauthenticated('Access changed: connect again');
      }
      const variables = (payload.variables ?? {}) as Record<string, unknown>;
      // As over HTTP (where the text is refused before parsing): nothing after this walks a hostile nesting.
      if (valueDeeperThan(variables, config.limits.requestMaxJsonDepth)) throw jsonDepthRefusal(config.limits.requestMaxJsonDepth);
      await options.guard({ schema, document, operation, variables, identity: connection.identity, ip: connection.ip, trusted: !!trusted });
      const contextValue: GatewayContext = {
        identity: connection.identity,
        requestId: randomUUID(),
        ip: connection.ip,
        subgraphContexts: new Map(),
        ...(trusted ? { persisted: { id: trusted.id, name: trusted.name } } : {}),
      };
      return { schema, document, variableValues: variables, operationName: payload.operationName ?? null, contextValue };
    } catch (err) {
      connection.open.delete(id);
      return maskedErrors([err instanceof GraphQLError ? err : new GraphQLError((err as Error).message, { originalError: err as Error })]);
    }
  }

  const connections = new Set<Connection>();
  const wss = new WebSocketServer({ server: options.httpServer, path: '/graphql', maxPayload: config.ws.maxMessageBytes });
  /** Anonymous connections open per remote address (WS_MAX_ANONYMOUS_PER_ADDRESS). */
  const anonymousByAddress = new Map<string, number>();
  const server = useServer<Record<string, unknown>, { connection?: Connection }>(
    {
      // A default only: onSubscribe hands graphql-ws the schema each operation was checked against.
      schema: startSchema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = (name: string) => {
          const value =
            params[name] ?? params[name.toLowerCase()] ?? (name === 'authorization' && params.token ? `Bearer ${params.token}` : undefined);
          return typeof value === 'string' ? value : undefined;
        };
        try {
          const identity = await options.authenticator.authenticateHeaders(header);
          const ip = ctx.extra.request.socket.remoteAddress ?? 'unknown';
          // Anonymous connections can subscribe to nothing (each is told so): a few per address, not thousands.
          if (!identity) {
            const held = anonymousByAddress.get(ip) ?? 0;
            if (held >= config.ws.maxAnonymousPerAddress) return false;
            anonymousByAddress.set(ip, held + 1);
            ctx.extra.socket.once('close', () => {
              const left = (anonymousByAddress.get(ip) ?? 1) - 1;
              if (left > 0) anonymousByAddress.set(ip, left);
              else anonymousByAddress.delete(ip);
            });
          }
          const connection: Connection = { identity, ip, open: new Set(), socket: ctx.extra.socket };
          ctx.extra.connection = connection;
          connections.add(connection);
          ctx.extra.socket.once('close', () => connections.delete(connection));
          return true;
        } catch {
          return false; // closes the socket with 4403 Forbidden
        }
      },
      onSubscribe: (ctx, id, payload) => prepare(ctx.extra.connection!, id, payload),
      onComplete: (ctx, id) => {
        ctx.extra.connection?.open.delete(id);
      },
      subscribe: (args) => federated(args),
      execute: () => onlySubscriptions(),
      onError: (_ctx, _id, _payload, errors) => mask(errors),
    },
    wss,
  );

  // What a connection was allowed when it opened may have changed since: look again, as HTTP does.
  const sweep = setInterval(
    () => {
      for (const connection of connections) {
        if (!connection.identity) continue;
        options.authenticator
          .stillValid(connection.identity)
          .then((valid) => valid || connection.socket.close(...ACCESS_CHANGED))
          .catch((err) => masking.logger.warn({ err: (err as Error).message }, 'rechecking a live connection failed'));
      }
    },
    Math.max(1, config.auth.recheckSeconds) * 1000,
  ).unref();

  return {
    /** Closes the live connections of a user or API key whose access changed. */
    closeFor(change: AccessChange) {
      for (const connection of connections) {
        if (connection.identity?.kind === change.kind && connection.identity.id === change.id) connection.socket.close(...ACCESS_CHANGED);
      }
    },
    close: async () => {
      clearInterval(sweep);
      recent.clear();
      await server.dispose();
      wss.close();
    },
  };
}
