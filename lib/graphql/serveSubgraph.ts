// Serves one subgraph over HTTP for the distributed topology: `/graphql` (trusting the caller's
// identity only when the gateway signed it), `/healthz`, `/readyz`, `/metrics`. The gateway's
// query and mutation fetches take a fast path — each document text parsed and validated once,
// run by lib/graphql/execution.ts (compiled once it recurs) — and Apollo Server answers the rest
// (anything malformed, variables that do not coerce, traces asked for) as it always has.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { getOperationAST, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { decodeForwardedIdentity, IDENTITY_HEADER, REQUEST_ID_HEADER, type Identity } from '../auth/identity.js';
import type { BaseContext } from '../context.js';
import { maskError, type MaskingOptions } from '../errors.js';
import { createDocumentCache } from './documents.js';
import { createOperationRunner } from './execution.js';
import { sendError } from './httpErrors.js';
import { allOk, checkDependencies, timedCheck } from '../health.js';
import { METRICS_CONTENT_TYPE, metricsAllowed, processMetricsText } from '../metrics.js';
import type { Runtime } from '../runtime.js';
import { drainGraceMs } from '../startup.js';
import { traceRequests } from '../tracing/index.js';
import type { SubgraphService } from './subgraph.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function serveSubgraph(
  service: SubgraphService<BaseContext>,
  runtime: Runtime,
  { host, port }: { host: string; port: number },
): Promise<RunningServer> {
  const logger = runtime.logger.child({ subgraph: service.name });
  const masking = { logger, exposeDetails: runtime.config.exposeErrorDetails };
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<BaseContext>({
    schema: service.schema,
    csrfPrevention: false, // only the gateway calls a subgraph
    stopOnTerminationSignals: false, // stopped by the process's own handler (lib/startup.ts)
    formatError: (formatted, error) => maskError(formatted, error, masking),
    includeStacktraceInErrorResponses: runtime.config.exposeErrorDetails && runtime.config.introspection === 'on',
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: drainGraceMs(runtime.config.shutdownTimeoutSeconds) }),
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', subgraph: service.name });
  });
  // Not ready once stopping: load balancers take the process out while it finishes its requests.
  let stopping = false;
  app.get('/readyz', async (_req, res) => {
    if (stopping) {
      res.status(503).json({ subgraph: service.name, status: 'stopping' });
      return;
    }
    const checks = { ...(await checkDependencies(runtime)), ...(service.ready ? { [service.name]: await timedCheck(service.ready) } : {}) };
    res.status(allOk(checks) ? 200 : 503).json({ subgraph: service.name, checks });
  });
  // A SERVER span per GraphQL request, continuing the gateway's trace (its traceparent), when tracing is on.
  const traced = traceRequests(
    '/graphql',
    (req) => {
      const name = (req.body as { operationName?: unknown } | undefined)?.operationName;
      return {
        attributes: {
          'reportgraph.subgraph': service.name,
          'reportgraph.request_id': req.get(REQUEST_ID_HEADER) ?? '',
          ...(typeof name === 'string' ? { 'graphql.operation.name': name } : {}),
        },
      };
    },
    { continueCaller: true },
  );
  if (traced) app.use('/graphql', traced);

  // Prometheus (lib/metrics.ts), behind METRICS_TOKEN when set.
  app.get('/metrics', async (req, res) => {
    if (!metricsAllowed(runtime.config.metricsToken, req.get('authorization'))) return void res.status(401).end();
    res.set('content-type', METRICS_CONTENT_TYPE).send(await processMetricsText());
  });
  // Everything but health answers only the gateway: its signature, for this subgraph and request.
  const vouched = (header: unknown, requestId: unknown) =>
    decodeForwardedIdentity(typeof header === 'string' ? header : undefined, runtime.config.gatewaySecret, {
      audience: service.name,
      requestId: typeof requestId === 'string' ? requestId : '',
    });
  const callerOf = (req: express.Request) => vouched(req.get(IDENTITY_HEADER), req.get(REQUEST_ID_HEADER));
  app.use((req, res, next) => {
    try {
      res.locals.identity = callerOf(req);
      next();
    } catch (err) {
      sendError(res, err, masking);
    }
  });
  if (service.http) app.use(service.http(async (req) => req.res!.locals.identity as Identity | null));
  const contextOf = (req: express.Request, res: express.Response) =>
    service.createContext({ identity: res.locals.identity as Identity | null, requestId: req.get(REQUEST_ID_HEADER)! });
  app.use(
    '/graphql',
    express.json({ limit: runtime.config.limits.requestMaxBytes }),
    fetchFastPath(service.schema, runtime.config.limits.maxTokens, masking, contextOf),
    expressMiddleware(apollo, { context: async ({ req, res }) => contextOf(req, res) }),
  );

  // Subscriptions from the gateway (graphql-transport-ws), vouched for like HTTP requests.
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const subscriptions = useServer<Record<string, unknown>, { identity: Identity | null }>(
    {
      schema: service.schema,
      onConnect: (ctx) => {
        try {
          ctx.extra.identity = vouched(ctx.connectionParams?.[IDENTITY_HEADER], ctx.connectionParams?.[REQUEST_ID_HEADER]);
          return true;
        } catch {
          return false;
        }
      },
      context: (ctx) =>
        service.createContext({ identity: ctx.extra.identity ?? null, requestId: String(ctx.connectionParams?.[REQUEST_ID_HEADER]) }),
      // The same edge as HTTP: unexpected errors in a stream are logged here and masked.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors?.length ? { ...result, errors: result.errors.map((e) => maskError(e.toJSON(), e, masking)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => maskError(e.toJSON(), e, masking)),
    },
    wss,
  );

  await new Promise<void>((resolve) => httpServer.listen(port, host, resolve));
  await service.start?.();
  const address = httpServer.address() as AddressInfo;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}/graphql`;
  logger.info({ url }, 'subgraph listening');
  return {
    url,
    async close() {
      stopping = true;
      await subscriptions.dispose();
      wss.close();
      await apollo.stop();
      await service.stop?.();
    },
  };
}

/** Document texts kept parsed and validated: the gateway's planner sends few distinct ones. */
const DOCUMENT_CACHE_SIZE = 1000;

/**
 * The gateway's fetches (a JSON POST of a valid query or mutation) answered without Apollo
 * Server's per-request pipeline; anything else is passed on to it.
 */
function fetchFastPath(
  schema: GraphQLSchema,
  maxTokens: number,
  masking: MaskingOptions,
  contextOf: (req: express.Request, res: express.Response) => BaseContext,
): express.RequestHandler {
  const runner = createOperationRunner(schema);
  const documentOf = createDocumentCache(schema, { maxTokens, size: DOCUMENT_CACHE_SIZE }, (document) => document);
  return async (req, res, next) => {
    const body = req.body as { query?: unknown; variables?: unknown; operationName?: unknown; extensions?: unknown } | undefined;
    if (
      req.method !== 'POST' ||
      !body ||
      typeof body.query !== 'string' ||
      body.extensions !== undefined ||
      req.get('apollo-federation-include-trace') ||
      (body.variables != null && (typeof body.variables !== 'object' || Array.isArray(body.variables))) ||
      (body.operationName != null && typeof body.operationName !== 'string')
    )
      return next();
    const document = documentOf(body.query);
    const operationName = (body.operationName as string | null) ?? undefined;
    const operation = document && getOperationAST(document, operationName);
    if (!document || !operation || operation.operation === 'subscription') return next();
    try {
      const context = contextOf(req, res);
      const result = await runner.run(
        document,
        context,
        (body.variables ?? undefined) as Record<string, unknown> | undefined,
        operationName,
      );
      // Nothing ran (variables that do not coerce): Apollo Server answers that, with its 400.
      if (result.data === undefined) return next();
      const log = { ...masking, logger: masking.logger.child({ requestId: context.requestId }) };
      const errors = result.errors?.map((e) => jsonHttp(maskError(e.toJSON(), e, log)));
      res.type('application/json').send(JSON.stringify(errors ? { errors, data: result.data } : { data: result.data }));
    } catch (err) {
      next(err);
    }
  };
}

/** An error's `extensions.http` as JSON carries it: its headers (a Map) as an object, for the gateway to apply. */
function jsonHttp(error: GraphQLFormattedError): GraphQLFormattedError {
  const http = error.extensions?.http as { status?: number; headers?: Map<string, string> } | undefined;
  if (!(http?.headers instanceof Map)) return error;
  return { ...error, extensions: { ...error.extensions, http: { ...http, headers: Object.fromEntries(http.headers) } } };
}
