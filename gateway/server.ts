// The gateway: one `/graphql` over the composed supergraph, plus `/healthz` and `/readyz`.
// Built here without listening, so tests and both topologies share it.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { REQUEST_ID_HEADER } from '../lib/auth/identity.js';
import { maskError } from '../lib/errors.js';
import { allOk, checkDependencies, type CheckResult } from '../lib/health.js';
import type { IdentifyRequest } from '../lib/graphql/subgraph.js';
import type { Runtime } from '../lib/runtime.js';
import { createAuthenticator } from './auth.js';
import { composeSupergraph, type SubgraphDefinition } from './composition.js';
import type { GatewayContext } from './context.js';
import { createMetrics } from './plugins/metrics.js';
import { serveSubscriptions, type SubscribeToSubgraph } from './subscriptions.js';

/** A subgraph as the gateway sees it: how to describe it, call it and check it. */
export interface SubgraphEndpoint {
  definition: SubgraphDefinition;
  dataSource: GraphQLDataSource<GatewayContext>;
  check(): Promise<CheckResult>;
  /** The subgraph's plain HTTP routes (in-process, or proxied to its process). */
  http?: (identify: IdentifyRequest) => express.Router;
  /** Streams a subscription the planner sends to this subgraph. */
  subscribe?: SubscribeToSubgraph;
}

export interface GatewayServer {
  app: express.Express;
  httpServer: http.Server;
  supergraphSdl: string;
  listen(host: string, port: number): Promise<string>;
  stop(): Promise<void>;
}

export async function createGatewayServer(runtime: Runtime, endpoints: SubgraphEndpoint[]): Promise<GatewayServer> {
  const { config, logger } = runtime;
  const supergraphSdl = composeSupergraph(endpoints.map((e) => e.definition));
  const byName = new Map(endpoints.map((e) => [e.definition.name, e]));

  // @apollo/gateway otherwise probes cloud metadata addresses (169.254.169.254, ...) and
  // exports usage metrics to Apollo. A self-hosted gateway talks to nothing it was not told about.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => byName.get(name)!.dataSource,
    // Hands each fetch's parsed document to in-process subgraphs (no print/parse per fetch).
    queryPlannerConfig: { exposeDocumentNodeInFetchNode: true },
    logger: logger.child({ part: 'gateway' }),
  });

  const app = express();
  app.disable('x-powered-by');
  const metrics = createMetrics();
  app.use(metrics.http);
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: true,
    formatError: (formatted, error) => maskError(formatted, error, { logger, exposeDetails: !config.isProduction }),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), metrics.plugin],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', metrics.handler);
  app.get('/readyz', async (_req, res) => {
    const [dependencies, subgraphs] = await Promise.all([
      checkDependencies(runtime),
      Promise.all(endpoints.map(async (e) => [e.definition.name, await e.check()] as const)),
    ]);
    const checks = { ...dependencies, ...Object.fromEntries(subgraphs) };
    res.status(allOk(checks) ? 200 : 503).json({ status: allOk(checks) ? 'ready' : 'unavailable', checks });
  });

  const { authenticate, authenticateHeaders } = createAuthenticator(runtime);
  for (const endpoint of endpoints) {
    if (endpoint.http) app.use(endpoint.http(authenticate));
  }
  const subscriptions = serveSubscriptions({
    httpServer,
    supergraphSdl,
    dataSources: Object.fromEntries(endpoints.map((e) => [e.definition.name, e.dataSource])),
    subscribers: Object.fromEntries(endpoints.map((e) => [e.definition.name, e.subscribe])),
    authenticate: authenticateHeaders,
    logger,
    exposeDetails: !config.isProduction,
  });
  app.use(
    '/graphql',
    express.json({ limit: '10mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<GatewayContext> => ({
        identity: await authenticate(req),
        requestId: req.get(REQUEST_ID_HEADER) ?? randomUUID(),
        subgraphContexts: new Map(),
      }),
    }),
  );

  return {
    app,
    httpServer,
    supergraphSdl,
    async listen(host, port) {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, resolve);
      });
      const { port: bound } = httpServer.address() as AddressInfo;
      return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`;
    },
    async stop() {
      await subscriptions.close();
      await apollo.stop();
    },
  };
}
