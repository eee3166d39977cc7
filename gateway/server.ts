// The gateway: one `/graphql` over the composed supergraph, plus `/healthz` and `/readyz`, and
// the web app at `/`.
// Built here without listening, so tests and both topologies share it.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { ACCESS_CHANGES_CHANNEL, REQUEST_ID_HEADER, type AccessChange } from '../lib/auth/identity.js';
import { errorBody, maskError } from '../lib/errors.js';
import { jsonDeeperThan, jsonDepthRefusal, JsonTooDeepError } from '../lib/jsonDepth.js';
import { createRateLimiter } from '../lib/rateLimit.js';
import { allOk, checkDependencies, type CheckResult } from '../lib/health.js';
import { metricsAllowed } from '../lib/metrics.js';
import type { IdentifyRequest } from '../lib/graphql/subgraph.js';
import type { Runtime } from '../lib/runtime.js';
import { drainGraceMs } from '../lib/startup.js';
import { createAuthenticator } from './auth.js';
import { composeSupergraph, type SubgraphDefinition } from './composition.js';
import { createCacheLane, laneBodyErrors } from './cacheLane.js';
import { createFastPath, createOperationDocuments } from './fastPath.js';
import { gatewayPlanning } from './federationInternals.js';
import type { GatewayContext } from './context.js';
import { guardPlugin, tokenLimitError } from './plugins/guardPlugin.js';
import { createMetrics } from './plugins/metrics.js';
import { createOperationGuard } from './plugins/operationGuard.js';
import { costModelOf } from './plugins/operationLimits.js';
import { createPersistedOperations } from './plugins/persistedOperations.js';
import { requestLimits } from './plugins/requestLimits.js';
import { createResponseCache } from './plugins/responseCache.js';
import { loadTrustedDocuments } from './plugins/trustedDocuments.js';
import { routeBudget } from './plugins/routeBudget.js';
import { RedisKeyValueCache } from '../lib/redisCache.js';
import { traceDataSource, traceRequests } from '../lib/tracing/index.js';
import { serveSubscriptions, type SubscribeToSubgraph } from './subscriptions.js';
import { webApp } from './webApp.js';

/** A subgraph as the gateway sees it: how to describe it, call it and check it. */
/** The subgraphs' HTTP routes: every one under /api/. */
const API_PATH = /^\/api\//i;

/** GET variables and extensions (JSON in the query string) past REQUEST_MAX_JSON_DEPTH, refused before anything parses them. */
function getVariablesDepth(max: number): express.RequestHandler {
  return (req, _res, next) => {
    if (req.method !== 'GET') return next();
    for (const name of ['variables', 'extensions']) {
      // Given twice, a parameter is an array here: each value is checked (a reader may take either).
      const given = req.query[name];
      for (const text of Array.isArray(given) ? given : [given]) {
        if (typeof text === 'string' && jsonDeeperThan(text, max)) return next(new JsonTooDeepError(max));
      }
    }
    next();
  };
}

/**
 * GraphQL over HTTP is UTF-8: a body declared in another charset (which the JSON parser would
 * decode, after the depth check read its bytes as UTF-8) is refused with 415 before it is read.
 */
const utf8Only: express.RequestHandler = (req, res, next) => {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase();
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return next();
  res.set('connection', 'close');
  res.status(415).json({
    errors: [{ message: `The body must be UTF-8, not ${charset.slice(0, 40)}`, extensions: { code: 'BAD_USER_INPUT' } }],
  });
};

export interface SubgraphEndpoint {
  definition: SubgraphDefinition;
  dataSource: GraphQLDataSource<GatewayContext>;
  check(): Promise<CheckResult>;
  /** The subgraph's plain HTTP routes (in-process, or proxied to its process). */
  http?: (identify: IdentifyRequest) => express.Router;
  /** Streams a subscription the planner sends to this subgraph. */
  subscribe?: SubscribeToSubgraph;
  /**
   * A part the gateway answers without (a subgraph process): its check is reported by `/readyz`
   * but does not make the gateway unready.
   */
  optional?: boolean;
  /** Background work of an in-process subgraph: started once the gateway listens, stopped with it. */
  start?(): Promise<void> | void;
  stop?(): Promise<void>;
}

export interface GatewayServer {
  app: express.Express;
  httpServer: http.Server;
  supergraphSdl: string;
  /** Listens, then starts the in-process subgraphs' background work; resolves to the base URL. */
  listen(host: string, port: number): Promise<string>;
  /** Closes HTTP and WebSocket connections, then stops the subgraphs' background work. */
  stop(): Promise<void>;
}

export async function createGatewayServer(runtime: Runtime, endpoints: SubgraphEndpoint[]): Promise<GatewayServer> {
  const { config, logger } = runtime;
  const exposeDetails = config.exposeErrorDetails;
  const supergraphSdl = composeSupergraph(endpoints.map((e) => e.definition));
  const byName = new Map(endpoints.map((e) => [e.definition.name, e]));

  // @apollo/gateway otherwise probes cloud metadata addresses (169.254.169.254, ...) and
  // exports usage metrics to Apollo. A self-hosted gateway talks to nothing it was not told about.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const metrics = createMetrics(logger);
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => traceDataSource(name, metrics.timed(name, byName.get(name)!.dataSource)),
    // Hands each fetch's parsed document to in-process subgraphs (no print/parse per fetch).
    queryPlannerConfig: { exposeDocumentNodeInFetchNode: true },
    logger: logger.child({ part: 'gateway' }),
  });
  // Loaded here, once, so that the fast path and Apollo Server share one executor and one plan cache.
  const loaded = await gateway.load();

  const app = express();
  app.disable('x-powered-by');
  // Express would hash every response for a weak ETag; only cached answers carry one (their own).
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.use(metrics.http);
  // A body the cache lane read and Express's JSON parser would have refused: that parser's 400.
  app.use(laneBodyErrors);
  // Requests reach Express through the cache lane (below), when there is one.
  const httpServer = http.createServer();
  // Where not everyone may introspect, no error names the fields, arguments or values a wrong one was near.
  const masking = { logger, exposeDetails, hideSuggestions: config.introspection !== 'on' };
  const persisted = createPersistedOperations({
    prisma: runtime.prisma,
    masking,
    manifests: loadTrustedDocuments(config.trustedDocuments),
  });
  const responseCache = config.responseCache.maxEntries
    ? createResponseCache({ databaseUrl: config.databaseUrl, logger, ...config.responseCache })
    : null;
  const rateLimiter = createRateLimiter(runtime.redis);
  const guard = createOperationGuard({ config, costModel: costModelOf(supergraphSdl), rateLimiter });
  const apollo = new ApolloServer<GatewayContext>({
    gateway: {
      load: async () => loaded,
      // The schema is already loaded: tell Apollo Server now, then follow the gateway's updates.
      onSchemaLoadOrUpdate: (callback) => {
        callback({ apiSchema: loaded.schema, coreSupergraphSdl: supergraphSdl });
        return gateway.onSchemaLoadOrUpdate(callback);
      },
      stop: () => gateway.stop(),
    },
    introspection: config.introspection !== 'off',
    // Stack traces (development) only where everyone may see the schema: a validation error's
    // stack repeats its message before suggestions were taken out of it ("Did you mean …?").
    includeStacktraceInErrorResponses: masking.exposeDetails && config.introspection === 'on',
    // The process stops it on SIGTERM (lib/startup.ts), after closing live connections with 1001;
    // Apollo's own handler would drain HTTP first and cut them (1006).
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: config.limits.maxTokens },
    // Automatic persisted queries (sha256 → document) shared by every replica through Redis.
    persistedQueries: { cache: new RedisKeyValueCache(runtime.redis, 'apq-cache:') },
    // Credentials travel in headers, never cookies: a request carrying one was preflighted.
    csrfPrevention: { requestHeaders: ['authorization', 'x-api-key', 'x-apollo-operation-name', 'apollo-require-preflight'] },
    formatError: (formatted, error) => maskError(tokenLimitError(formatted, config.limits), error, masking),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: drainGraceMs(config.shutdownTimeoutSeconds) }),
      metrics.plugin,
      guardPlugin(guard),
    ],
  });
  await apollo.start();

  const authenticator = createAuthenticator(runtime);
  const subscriptions = serveSubscriptions({
    httpServer,
    planning: () => gatewayPlanning(gateway),
    dataSources: Object.fromEntries(endpoints.map((e) => [e.definition.name, e.dataSource])),
    subscribers: Object.fromEntries(endpoints.map((e) => [e.definition.name, e.subscribe])),
    authenticator,
    guard,
    persisted,
    config,
    masking,
    onEvent: metrics.subscriptionEvent,
  });
  // A changed role, a disabled user, a revoked key: forget it and close its live connections now.
  const accessChanges = runtime.pubsub.subscribe<AccessChange>(ACCESS_CHANGES_CHANNEL);
  void (async () => {
    for await (const change of accessChanges) {
      authenticator.forget(change);
      subscriptions.closeFor(change);
    }
  })();
  const contextFor = async (req: express.Request): Promise<GatewayContext> => ({
    identity: await authenticator.authenticate(req),
    requestId: (req.res?.locals.requestId as string | undefined) ?? req.get(REQUEST_ID_HEADER) ?? randomUUID(),
    ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    subgraphContexts: new Map(),
    ...(req.res?.locals.persisted ? { persisted: req.res.locals.persisted as GatewayContext['persisted'] } : {}),
  });
  // A SERVER span per request when tracing is on (null: nothing mounted, nothing spent).
  const traced = traceRequests(
    '/graphql',
    (req, res) => {
      const given =
        (res.locals.operationName as string | undefined) ?? (req.body as { operationName?: unknown } | undefined)?.operationName;
      // The client names it: bounded, so a span name cannot be made arbitrarily long.
      const name = typeof given === 'string' ? given.slice(0, 128) : undefined;
      return {
        ...(typeof name === 'string' ? { name: `graphql ${name}` } : {}),
        attributes: {
          'reportgraph.request_id': String(res.locals.requestId),
          ...(typeof name === 'string' ? { 'graphql.operation.name': name } : {}),
        },
      };
    },
    { continueCaller: config.tracing?.continueClientTrace ?? false },
  );
  const documents = createOperationDocuments(loaded.schema, config);
  // Hot answers in front of Express (not while tracing: a traced request is traced by Express's chain).
  const lane =
    responseCache && !traced
      ? createCacheLane({
          config,
          schema: loaded.schema,
          documents,
          cache: responseCache,
          persisted,
          authenticate: authenticator.authenticateHeaders,
          guard,
          masking,
          metrics,
        })
      : null;
  httpServer.on('request', lane ? (req: http.IncomingMessage, res: http.ServerResponse) => lane(req, res, () => app(req, res)) : app);
  // Mounted first: every GraphQL request reaches its chain without walking the routes below.
  app.use(
    '/graphql',
    ...(traced ? [traced] : []),
    utf8Only,
    express.json({
      limit: config.limits.requestMaxBytes,
      // Refused before it is parsed: nesting nothing legitimate needs, which everything after would walk.
      verify: (_req, _res, bytes) => {
        if (jsonDeeperThan(bytes, config.limits.requestMaxJsonDepth)) throw new JsonTooDeepError(config.limits.requestMaxJsonDepth);
      },
    }),
    getVariablesDepth(config.limits.requestMaxJsonDepth),
    requestLimits(config),
    persisted.resolveDocumentId,
    persisted.csvResponder(apollo, contextFor),
    createFastPath({
      schema: loaded.schema,
      documents,
      executor: loaded.executor,
      guard,
      masking,
      contextFor,
      count: metrics.count,
      cacheOutcome: metrics.cacheOutcome,
      cache: responseCache,
    }),
    // What the fast path leaves to Apollo Server may be a mutation (an APQ hash, a document it did
    // not take): treated as a write. A document with no mutation in it cannot write, so an invalid
    // query from anyone does not empty every caller's cache.
    ...(responseCache
      ? [
          (req: express.Request, res: express.Response, next: express.NextFunction) => {
            const query = (req.body as { query?: unknown } | undefined)?.query;
            const mayWrite = Array.isArray(req.body) || typeof query !== 'string' || /\bmutation\b/.test(query);
            return mayWrite ? responseCache.forgetOnWrite(req, res, next) : next();
          },
        ]
      : []),
    expressMiddleware(apollo, { context: ({ req }) => contextFor(req) }),
  );
  // A body or GET variables nested past REQUEST_MAX_JSON_DEPTH: a coded GraphQL error, as every other limit.
  app.use('/graphql', (err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!(err instanceof JsonTooDeepError)) return next(err);
    res.status(400).json(errorBody(jsonDepthRefusal(err.max)));
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', (req, res, next) => {
    // Optional: metrics name operations and subgraphs, which a deployment may keep to itself.
    if (!metricsAllowed(config.metricsToken, req.get('authorization'))) {
      res.status(401).set('www-authenticate', 'Bearer').end();
      return;
    }
    return metrics.handler(req, res, next);
  });
  // Ready: PostgreSQL, Redis and the in-process subgraphs answer. A subgraph process that is down
  // is reported (`degraded`) but keeps the gateway ready: it still answers everything else, and
  // the missing part as SUBGRAPH_UNAVAILABLE — taking every replica out would make it all fail.
  let stopping = false;
  app.get('/readyz', async (_req, res) => {
    if (stopping) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    const [dependencies, subgraphs] = await Promise.all([
      checkDependencies(runtime),
      Promise.all(endpoints.map(async (e) => [e.definition.name, await e.check()] as const)),
    ]);
    const required = { ...dependencies, ...Object.fromEntries(subgraphs.filter(([name]) => !byName.get(name)!.optional)) };
    const checks = { ...dependencies, ...Object.fromEntries(subgraphs) };
    const status = !allOk(required) ? 'unavailable' : allOk(checks) ? 'ready' : 'degraded';
    res.status(status === 'unavailable' ? 503 : 200).json({ status, checks });
  });

  app.use('/api', routeBudget(config, rateLimiter, authenticator.authenticate));
  // Uploads write: the response cache is dropped as their answers go out (read-your-writes).
  if (responseCache) app.use('/api', responseCache.forgetOnWrite);
  // The subgraphs' own routes all sit under /api/ (matched as Express does, ignoring case): other requests (every /graphql) pass them by
  // without walking their routers.
  for (const endpoint of endpoints) {
    if (!endpoint.http) continue;
    const router = endpoint.http(authenticator.authenticate);
    app.use((req, res, next) => (API_PATH.test(req.path) ? router(req, res, next) : next()));
  }
  const web = webApp(config.webAppDir);
  app.use(web.router);
  if (config.webAppDir && !web.built) logger.warn({ dir: config.webAppDir }, 'the web app is not built: run npm run build:web');

  return {
    app,
    httpServer,
    supergraphSdl,
    async listen(host, port) {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, resolve);
      });
      await responseCache?.start();
      for (const endpoint of endpoints) await endpoint.start?.();
      const { port: bound } = httpServer.address() as AddressInfo;
      return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`;
    },
    async stop() {
      stopping = true;
      await accessChanges.return?.();
      await responseCache?.stop();
      await subscriptions.close();
      await apollo.stop();
      for (const endpoint of endpoints) await endpoint.stop?.();
    },
  };
}
