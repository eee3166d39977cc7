// Serves one subgraph over HTTP for the distributed topology: `/graphql` (trusting the caller's
// identity only when the gateway signed it), `/healthz`, `/readyz`.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { decodeForwardedIdentity, IDENTITY_HEADER, REQUEST_ID_HEADER, type Identity } from '../auth/identity.js';
import type { BaseContext } from '../context.js';
import { maskError } from '../errors.js';
import { allOk, checkDependencies, timedCheck } from '../health.js';
import type { Runtime } from '../runtime.js';
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
    formatError: (formatted, error) => maskError(formatted, error, masking),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', subgraph: service.name });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = { ...(await checkDependencies(runtime)), ...(service.ready ? { [service.name]: await timedCheck(service.ready) } : {}) };
    res.status(allOk(checks) ? 200 : 503).json({ subgraph: service.name, checks });
  });
  if (service.http) {
    app.use(service.http(async (req) => decodeForwardedIdentity(req.get(IDENTITY_HEADER), runtime.config.gatewaySecret)));
  }
  app.use(
    '/graphql',
    express.json({ limit: '10mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        service.createContext({
          identity: decodeForwardedIdentity(req.get(IDENTITY_HEADER), runtime.config.gatewaySecret),
          requestId: req.get(REQUEST_ID_HEADER) ?? randomUUID(),
        }),
    }),
  );

  // Subscriptions from the gateway (graphql-transport-ws), vouched for like HTTP requests.
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const subscriptions = useServer<Record<string, unknown>, { identity: Identity | null }>(
    {
      schema: service.schema,
      onConnect: (ctx) => {
        try {
          const header = ctx.connectionParams?.[IDENTITY_HEADER];
          ctx.extra.identity = decodeForwardedIdentity(typeof header === 'string' ? header : undefined, runtime.config.gatewaySecret);
          return true;
        } catch {
          return false;
        }
      },
      context: (ctx) => {
        const requestId = ctx.connectionParams?.[REQUEST_ID_HEADER];
        return service.createContext({
          identity: ctx.extra.identity ?? null,
          requestId: typeof requestId === 'string' ? requestId : randomUUID(),
        });
      },
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
      await subscriptions.dispose();
      wss.close();
      await apollo.stop();
      await service.stop?.();
    },
  };
}
