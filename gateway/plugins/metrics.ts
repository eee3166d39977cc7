// Prometheus metrics at GET /metrics: process defaults, HTTP requests by route and status, and
// GraphQL operations by type and outcome.
import type { ApolloServerPlugin } from '@apollo/server';
import type express from 'express';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export function createMetrics() {
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

  /** Times every request; the route is the matched prefix, never the raw path (ids stay out). */
  const http: express.RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      // originalUrl: routers mounted on a prefix rewrite req.path.
      const path = req.originalUrl.split('?')[0]!;
      const route = path.startsWith('/api/datasets')
        ? '/api/datasets/:id/csv'
        : path.startsWith('/api/models')
          ? '/api/models/:name/versions'
          : ['/graphql', '/healthz', '/readyz', '/metrics'].includes(path)
            ? path
            : 'other';
      end({ route, status: String(res.statusCode) });
    });
    next();
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
          operations.inc({ type, outcome: errors?.length ? 'error' : 'ok' });
        },
      };
    },
  };

  const handler: express.RequestHandler = async (_req, res) => {
    res.set('content-type', registry.contentType).send(await registry.metrics());
  };

  return { http, plugin, handler };
}
