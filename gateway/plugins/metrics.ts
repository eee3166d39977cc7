// Prometheus metrics at GET /metrics: process defaults, HTTP requests by route and status,
// GraphQL operations by type and outcome, subgraph fetch latency by subgraph and outcome, and the
// response cache's hits and misses, followed by lib/metrics.ts's. And one JSON log line per request (request id, operation,
// status, duration), which is what an operator greps first.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import type express from 'express';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { REQUEST_ID_HEADER } from '../../lib/auth/identity.js';
import { appMetrics } from '../../lib/metrics.js';
import type { Logger } from '../../lib/logger.js';
import { noteOperation } from '../../lib/tracing/index.js';
import type { GatewayContext } from '../context.js';

/** A request as it is logged and timed once answered. */
export interface AnsweredRequest {
  requestId: string;
  method: string;
  /** Without the query string. */
  path: string;
  operation: string | undefined;
  status: number;
  /** performance.now() when it arrived. */
  started: number;
}

export function createMetrics(logger: Logger) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'reportgraph_' });
  const httpDuration = new Histogram({
    name: 'reportgraph_http_request_duration_seconds',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const operations = new Counter({
    name: 'reportgraph_graphql_operations_total',
    help: 'GraphQL operations by type and outcome',
    labelNames: ['type', 'outcome'],
    registers: [registry],
  });

  const subgraphFetches = new Histogram({
    name: 'reportgraph_subgraph_fetch_duration_seconds',
    help: 'Subgraph fetches of query plans, by subgraph and outcome',
    labelNames: ['subgraph', 'outcome'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  const responseCache = new Counter({
    name: 'reportgraph_response_cache_total',
    help: 'Trusted documents answered from the response cache (hit) or computed (miss)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const laneHits = new Counter({
    name: 'reportgraph_response_cache_lane_total',
    help: 'Of the response cache hits, those answered in front of the HTTP framework (the cache lane)',
    registers: [registry],
  });

  const subscriptionEvents = new Counter({
    name: 'reportgraph_subscription_events_total',
    help: 'Subscription events run through the query plan (executed) or answered with the result another subscriber of the same operation, variables and caller already had (shared)',
    labelNames: ['outcome'],
    registers: [registry],
  });

  /** A data source whose fetches are timed: what a slow subgraph looks like from the gateway. */
  function timed(subgraph: string, source: GraphQLDataSource<GatewayContext>): GraphQLDataSource<GatewayContext> {
    return {
      async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
        const end = subgraphFetches.startTimer({ subgraph });
        try {
          const response = await source.process(options);
          end({ outcome: response.errors?.length ? 'error' : 'ok' });
          return response;
        } catch (err) {
          end({ outcome: 'error' });
          throw err;
        }
      },
    };
  }

  /** The route label of a path: the matched prefix, never the raw path (ids stay out). */
  const routeOf = (path: string) =>
    path.startsWith('/api/datasets')
      ? '/api/datasets/:id/csv'
      : path.startsWith('/api/models')
        ? '/api/models/:name/versions'
        : ['/graphql', '/healthz', '/readyz', '/metrics'].includes(path)
          ? path
          : 'other';

  /** One answered request: its log line and its duration, however it was served (Express or the cache lane). */
  function request(done: AnsweredRequest): void {
    const ms = performance.now() - done.started;
    logger.info(
      {
        requestId: done.requestId,
        method: done.method,
        path: done.path,
        operation: done.operation,
        status: done.status,
        ms: Math.round(ms * 10) / 10,
      },
      'request',
    );
    httpDuration.observe({ method: done.method, route: routeOf(done.path), status: String(done.status) }, ms / 1000);
  }

  /** Times every request Express serves and logs it. */
  const http: express.RequestHandler = (req, res, next) => {
    const started = performance.now();
    // One id per request, from the client or made here: in every log line, forwarded to subgraphs, answered back.
    const requestId = req.get(REQUEST_ID_HEADER) ?? randomUUID();
    res.locals.requestId = requestId;
    res.set(REQUEST_ID_HEADER, requestId);
    res.on('finish', () =>
      request({
        requestId,
        method: req.method,
        // originalUrl: routers mounted on a prefix rewrite req.path.
        path: req.originalUrl.split('?')[0]!,
        operation: (res.locals.operationName as string | undefined) ?? (req.body as { operationName?: string } | undefined)?.operationName,
        status: res.statusCode,
        started,
      }),
    );
    next();
  };

  /** One operation, however it was served (Apollo Server's pipeline or the fast path). */
  const count = (type: string, outcome: 'ok' | 'error') => {
    operations.inc({ type, outcome });
    noteOperation(type, outcome);
  };

  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      let type = 'unknown';
      return {
        async didResolveOperation(ctx) {
          type = ctx.operation?.operation ?? 'unknown';
        },
        async willSendResponse(ctx) {
          const errors = ctx.response.body.kind === 'single' ? ctx.response.body.singleResult.errors : undefined;
          count(type, errors?.length ? 'error' : 'ok');
        },
      };
    },
  };

  const handler: express.RequestHandler = async (_req, res) => {
    // Then the work done in this process (single host: queue, jobs, inference, drift; lib/metrics.ts).
    res.set('content-type', registry.contentType).send(`${await registry.metrics()}\n${await appMetrics.metrics()}`);
  };

  return {
    http,
    request,
    plugin,
    handler,
    count,
    timed,
    cacheOutcome: (outcome: 'hit' | 'miss') => responseCache.inc({ outcome }),
    laneHit: () => laneHits.inc(),
    subscriptionEvent: (outcome: 'executed' | 'shared') => subscriptionEvents.inc({ outcome }),
  };
}
