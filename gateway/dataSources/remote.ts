// Distributed: subgraphs over HTTP. The caller's verified identity travels in a header signed
// with the gateway secret. Each fetch is one POST through undici's `request` over a keep-alive
// pool — not Apollo's RemoteGraphQLDataSource, which builds a node-fetch Request and Headers per
// call and whose stock fetcher (make-fetch-happen, or undici's `fetch` with its web streams) cost
// more CPU per call than the rest of the gateway's work on the answer.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { Agent, request } from 'undici';
import { encodeForwardedIdentity, IDENTITY_HEADER, REQUEST_ID_HEADER } from '../../lib/auth/identity.js';
import { ErrorCode } from '../../lib/errors.js';
import { traceCarrier } from '../../lib/tracing/index.js';
import type { GatewayContext } from '../context.js';
import { INCOMING_OPERATION } from '../federationInternals.js';

const agent = new Agent({ connections: 128, keepAliveTimeout: 30_000, pipelining: 1 });

export class AuthenticatedDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    private readonly url: string,
    private readonly gatewaySecret: string,
  ) {}

  /**
   * Every call is signed for this subgraph and request (the gateway's own calls as anonymous)
   * and carries the trace. A subgraph that cannot be reached (connection refused or reset, or a
   * proxy's 502/503/504) answers as an error of its own, SUBGRAPH_UNAVAILABLE with its name: the
   * gateway fills in what the other subgraphs answered and leaves this one's fields null, as
   * Apollo Router does. Once the subgraph is back, the next request reaches it: no restart.
   */
  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const incoming = options.kind === INCOMING_OPERATION;
    const requestId = incoming ? options.context.requestId : randomUUID();
    const identity = incoming ? options.context.identity : null;
    const { query, variables, operationName, extensions } = options.request;
    if (!query) throw new Error('Missing query');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      [REQUEST_ID_HEADER]: requestId,
      [IDENTITY_HEADER]: encodeForwardedIdentity(identity, this.gatewaySecret, { audience: this.subgraph, requestId }),
      ...traceCarrier(), // traceparent: the subgraph continues the trace
    };
    let status: number;
    let text: string;
    try {
      const answer = await request(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables, operationName, extensions }),
        dispatcher: agent,
      });
      status = answer.statusCode;
      text = await answer.body.text();
    } catch (err) {
      if (unreachable(err)) return this.unavailable();
      throw err;
    }
    if (status === 502 || status === 503 || status === 504) return this.unavailable();
    if (status < 200 || status >= 300) throw this.errorFromStatus(status, text);
    const body = JSON.parse(text) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new Error(`Expected JSON response body, but received: ${text}`);
    return body as GatewayGraphQLResponse;
  }

  private unavailable(): GatewayGraphQLResponse {
    return {
      errors: [
        {
          message: `The ${this.subgraph} service is unavailable: its part of the answer is missing`,
          extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.subgraph },
        },
      ],
    };
  }

  /** A subgraph's HTTP failure as Apollo's data source reports it: status line, code for 401/403, the body. */
  private errorFromStatus(status: number, text: string): GraphQLError {
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: the text as it came
    }
    const statusText = STATUS_CODES[status] ?? '';
    return new GraphQLError(`${status}: ${statusText}`, {
      extensions: {
        response: { url: this.url, status, statusText, body },
        ...(status === 401 ? { code: 'UNAUTHENTICATED' } : status === 403 ? { code: 'FORBIDDEN' } : {}),
      },
    });
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
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'UND_ERR_CLOSED',
]);

/** Failures that mean nobody answered: no connection, a dropped one, or one that hung. */
function unreachable(err: unknown): boolean {
  // undici rejects with the socket's error: refused, reset, closed by the other side, timed out
  // connecting or waiting for the answer.
  return UNREACHABLE_CODES.has(String((err as { code?: unknown }).code));
}
