// The GraphQL client: urql over HTTP for queries and mutations, graphql-ws for subscriptions,
// every operation sent as its persisted id only (the gateway runs the trusted document it names,
// even under PERSISTED_OPERATIONS_ONLY=all). One client per session: signing out drops its cache
// and closes its socket.
import { persistedExchange } from '@urql/exchange-persisted';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { cacheExchange, Client, fetchExchange, mapExchange, subscriptionExchange } from 'urql';
import { documentId } from './documentId.js';

export interface ApiClient {
  client: Client;
  dispose(): void;
}

const wsUrl = () => `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;

export function createApiClient(token: string | null, onSessionEnded: () => void): ApiClient {
  const authorization = token ? `Bearer ${token}` : undefined;
  const headers: Record<string, string> = authorization ? { authorization } : {};
  // Lazy: the socket opens with the first subscription and closes a little after the last.
  const ws: WsClient | null = token
    ? createWsClient({ url: wsUrl(), lazy: true, lazyCloseTimeout: 3000, retryAttempts: 5, connectionParams: { authorization } })
    : null;
  const client = new Client({
    url: '/graphql',
    // Screens show what they had at once and refresh it; mutations refetch what they change.
    requestPolicy: 'cache-and-network',
    preferGetMethod: false,
    fetchOptions: () => ({ headers }),
    exchanges: [
      mapExchange({
        onError(error) {
          // An expired token or a disabled user: back to the sign-in form.
          const ended = error.response?.status === 401 || error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
          if (ended && token) onSessionEnded();
        },
      }),
      cacheExchange,
      persistedExchange({
        enforcePersistedQueries: true,
        enableForMutation: true,
        preferGetForPersistedQueries: false,
        generateHash: async (_query, document) => documentId(document),
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request, operation) => ({
          subscribe(sink) {
            if (!ws) throw new Error('subscriptions need a signed-in session');
            // graphql-ws requires a `query` string; the gateway runs the document `documentId` names.
            const payload = {
              query: '',
              documentId: documentId(operation.query),
              variables: request.variables,
              operationName: request.operationName,
            };
            return { unsubscribe: ws.subscribe(payload as Parameters<WsClient['subscribe']>[0], sink) };
          },
        }),
      }),
    ],
  });
  return { client, dispose: () => void ws?.dispose() };
}
