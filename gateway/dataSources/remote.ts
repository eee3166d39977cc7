// Distributed: subgraphs over HTTP. The caller's verified identity travels in a header signed
// with the gateway secret; the default fetcher (make-fetch-happen) is replaced by undici over a
// keep-alive pool, which is where the stock gateway spends most of its CPU.
import { randomUUID } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { Agent, fetch as undiciFetch } from 'undici';
import { encodeForwardedIdentity, IDENTITY_HEADER, REQUEST_ID_HEADER } from '../../lib/auth/identity.js';
import { injectTraceHeaders } from '../../lib/tracing/index.js';
import type { GatewayContext } from '../context.js';
import { INCOMING_OPERATION } from '../federationInternals.js';

const agent = new Agent({ connections: 128, keepAliveTimeout: 30_000, pipelining: 1 });

export const undiciFetcher: Fetcher = (url, init) =>
  undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as ReturnType<Fetcher>;

export class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly gatewaySecret: string,
  ) {
    super({ url, fetcher: undiciFetcher });
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
