// Distributed: each subgraph is its own process; the gateway reads their SDL over HTTP
// (`{ _service { sdl } }`), waiting for them to come up, and composes it itself.
import { randomUUID } from 'node:crypto';
import { parse, type ExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { endingSource } from '../../lib/asyncIterators.js';
import { encodeForwardedIdentity, IDENTITY_HEADER, REQUEST_ID_HEADER } from '../../lib/auth/identity.js';
import { fetch } from 'undici';
import { SUBGRAPH_NAMES, type Config, type SubgraphName } from '../../lib/config.js';
import type { Logger } from '../../lib/logger.js';
import { timedCheck } from '../../lib/health.js';
import { StartupError } from '../../lib/startup.js';
import { AuthenticatedDataSource } from '../dataSources/remote.js';
import { restProxy } from '../restProxy.js';
import type { GatewayContext } from '../context.js';
import type { SubgraphEndpoint } from '../server.js';
import type { SubgraphSubscription } from '../subscriptions.js';

/** The gateway's own signed, anonymous call to a subgraph. */
function gatewayHeaders(subgraph: string, gatewaySecret: string): Record<string, string> {
  const requestId = randomUUID();
  return {
    [REQUEST_ID_HEADER]: requestId,
    [IDENTITY_HEADER]: encodeForwardedIdentity(null, gatewaySecret, { audience: subgraph, requestId }),
  };
}

/** A subgraph's SDL (`_service { sdl }`), asked as the gateway asks it. */
export async function fetchSdl(name: string, url: string, gatewaySecret: string): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...gatewayHeaders(name, gatewaySecret) },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
    signal: AbortSignal.timeout(3000),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = (await res.json()) as { data?: { _service?: { sdl?: string } } };
  const sdl = body.data?._service?.sdl;
  if (!sdl) throw new Error('no SDL in the answer');
  return sdl;
}

async function waitForSdl(name: string, url: string, { subgraphWaitSeconds, gatewaySecret }: Config): Promise<string> {
  const deadline = Date.now() + subgraphWaitSeconds * 1000;
  for (;;) {
    try {
      return await fetchSdl(name, url, gatewaySecret);
    } catch (err) {
      if (Date.now() >= deadline) {
        throw new StartupError(`subgraph ${name} at ${url} did not answer (${(err as Error).message}); start it or set its URL`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Plain HTTP routes each subgraph serves beside GraphQL, proxied by the gateway. */
const HTTP_ROUTES: Partial<Record<SubgraphName, string[]>> = {
  templates: ['/api/reports', '/api/shared'],
  datasets: ['/api/datasets'],
  'model-registry': ['/api/models'],
};

/** Streams a subscription from a subgraph process over graphql-ws, vouching for the caller. */
function subscribeRemote(
  subgraph: string,
  url: string,
  gatewaySecret: string,
  request: SubgraphSubscription,
  context: GatewayContext,
): AsyncIterableIterator<ExecutionResult> {
  const scope = { audience: subgraph, requestId: context.requestId };
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: {
      [REQUEST_ID_HEADER]: context.requestId,
      [IDENTITY_HEADER]: encodeForwardedIdentity(context.identity, gatewaySecret, scope),
    },
  });
  const source = client.iterate<ExecutionResult['data']>({
    query: request.query,
    variables: request.variables,
    operationName: request.operationName,
  });
  async function* results(): AsyncGenerator<ExecutionResult> {
    try {
      yield* source as AsyncIterable<ExecutionResult>;
    } finally {
      await client.dispose();
    }
  }
  // The gateway's subscriber left: complete the subgraph subscription now, not at its next event.
  return endingSource(results(), () => source);
}

export async function remoteEndpoints(config: Config, logger: Logger): Promise<SubgraphEndpoint[]> {
  return Promise.all(
    SUBGRAPH_NAMES.map(async (name) => {
      const url = config.subgraphUrls[name];
      const sdl = await waitForSdl(name, url, config);
      const healthUrl = new URL('/readyz', url).toString();
      return {
        definition: { name, url, typeDefs: parse(sdl) },
        optional: true,
        dataSource: new AuthenticatedDataSource(name, url, config.gatewaySecret),
        http: HTTP_ROUTES[name]
          ? restProxy(name, HTTP_ROUTES[name], new URL(url).origin, {
              gatewaySecret: config.gatewaySecret,
              logger,
              exposeDetails: config.exposeErrorDetails,
            })
          : undefined,
        subscribe: (request, context) => subscribeRemote(name, url, config.gatewaySecret, request, context),
        check: () =>
          timedCheck(async () => {
            const res = await fetch(healthUrl, { signal: AbortSignal.timeout(2000) });
            await res.arrayBuffer();
            if (!res.ok) throw new Error(`HTTP ${res.status}`);
          }),
      };
    }),
  );
}
