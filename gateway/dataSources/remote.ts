// Distributed: subgraphs over HTTP. The caller's verified identity travels in a header signed
// with the gateway secret; the default fetcher (make-fetch-happen) is replaced by undici's
// `request` over a keep-alive pool — not its `fetch`, whose web streams cost more CPU per call
// than the rest of the gateway's work on the answer.
import { randomUUID } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';
import { encodeForwardedIdentity, IDENTITY_HEADER, REQUEST_ID_HEADER } from '../../lib/auth/identity.js';
import { ErrorCode } from '../../lib/errors.js';
import { injectTraceHeaders } from '../../lib/tracing/index.js';
import type { GatewayContext } from '../context.js';
import { INCOMING_OPERATION } from '../federationInternals.js';

const agent = new Agent({ connections: 128, keepAliveTimeout: 30_000, pipelining: 1 });

/** A fetch for the gateway's subgraph calls: undici's `request`, the body read whole, answered as a fetch response. */
export const undiciFetcher: Fetcher = async (url, init) => {
  const answer = await request(url, {
    method: (init?.method ?? 'GET') as 'GET' | 'POST',
    headers: init?.headers as Record<string, string> | undefined,
    body: init?.body as string | undefined,
    dispatcher: agent,
  });
  const text = await answer.body.text();
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else if (value !== undefined) headers.set(name, value);
  }
  return responseOf(url, answer.statusCode, headers, text);
};

function responseOf(url: string, status: number, headers: Headers, text: string): FetcherResponse {
  return {
    bodyUsed: false,
    url,
    redirected: false,
    status,
    ok: status >= 200 && status < 300,
    statusText: STATUS_CODES[status] ?? '',
    headers,
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
    arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
    clone: () => responseOf(url, status, headers, text),
  };
}

export class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly gatewaySecret: string,
  ) {
    super({ url, fetcher: undiciFetcher });
  }

  /**
   * A subgraph that cannot be reached (connection refused or reset, or a proxy's 502/503/504)
   * answers as an error of its own, SUBGRAPH_UNAVAILABLE with its name: the gateway fills in
   * what the other subgraphs answered and leaves this one's fields null, as Apollo Router does.
   * Once the subgraph is back, the next request reaches it: the gateway needs no restart.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      return await super.process(options);
    } catch (err) {
      if (!unreachable(err)) throw err;
      return {
        errors: [
          {
            message: `The ${this.subgraph} service is unavailable: its part of the answer is missing`,
            extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.subgraph },
          },
        ],
      };
    }
  }

  /** Every call is signed for this subgraph and request; the gateway's own calls as anonymous. */
  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const incoming = options.kind === INCOMING_OPERATION;
    const requestId = incoming ? options.context.requestId : randomUUID();
    const identity = incoming ? options.context.identity : null;
    const headers = options.request.http!.headers;
    headers.set(REQUEST_ID_HEADER, requestId);
    headers.set(IDENTITY_HEADER, encodeForwardedIdentity(identity, this.gatewaySecret, { audience: this.subgraph, requestId }));
    injectTraceHeaders(headers); // traceparent: the subgraph continues the trace
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Failures that mean nobody answered: no connection, a dropped one, or a proxy saying so. */
function unreachable(err: unknown): boolean {
  const status = (err as { extensions?: { response?: { status?: number } } }).extensions?.response?.status;
  if (status !== undefined) return status === 502 || status === 503 || status === 504;
  // undici rejects with the socket's error: refused, reset, closed by the other side, timed out.
  return UNREACHABLE_CODES.has(String((err as { code?: unknown }).code));
}
