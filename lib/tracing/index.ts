// OpenTelemetry traces, when an OTLP endpoint is configured (lib/config.ts, OTEL_*). This module
// is what the rest of the code calls; it imports no OpenTelemetry code itself. `startTracing`
// loads the SDK (./sdk.ts) with a dynamic import only when tracing is on: with it off nothing is
// loaded, and every helper here is a null check that calls straight through.
//
// Spans: the gateway's incoming GraphQL request (SERVER), @apollo/gateway's own gateway.request /
// gateway.plan / gateway.execute / gateway.fetch under it, one CLIENT span per subgraph fetch with
// W3C `traceparent` sent along, the subgraph process's SERVER span continuing it, SQL statements
// (kind and table, never the text or its values) and Prisma operations, the analysis job's hand-off
// through BullMQ (PRODUCER, its trace context in the job's data) and the worker's CONSUMER span,
// with a span per inference.
import type { Attributes, Span, SpanKind as OtelSpanKind, Tracer } from '@opentelemetry/api';
import type express from 'express';
import type pg from 'pg';
import type { TracingSettings } from '../config.js';

export type { Span };

/** The OpenTelemetry span kinds (the API's numeric enum), usable without loading the API. */
export const SpanKind = { INTERNAL: 0, SERVER: 1, CLIENT: 2, PRODUCER: 3, CONSUMER: 4 } as const;

export interface SpanOptions {
  kind?: (typeof SpanKind)[keyof typeof SpanKind];
  attributes?: Attributes;
}

/** What the SDK module hands back once started. */
export interface ActiveTracing {
  api: typeof import('@opentelemetry/api');
  tracer: Tracer;
  /** Adds SQL spans to a pg pool's queries. */
  instrumentPool(pool: pg.Pool): void;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

let active: ActiveTracing | null = null;

/**
 * Starts tracing for this process when `settings` say so (null: off, and nothing is loaded).
 * Call it before the runtime is created: pools made earlier have no SQL spans.
 */
export async function startTracing(settings: TracingSettings | null, defaultServiceName: string): Promise<void> {
  if (!settings || active) return;
  const { createTracing } = await import('./sdk.js');
  active = createTracing(settings, defaultServiceName);
}

/** Exports the spans still buffered and stops tracing (a no-op when it is off). */
export async function stopTracing(): Promise<void> {
  const stopping = active;
  active = null;
  await stopping?.shutdown();
}

export function tracingEnabled(): boolean {
  return active !== null;
}

function failed(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: 2 /* SpanStatusCode.ERROR */, message: err instanceof Error ? err.message : String(err) });
}

/** Runs `fn` in a new span, child of the active one; the span ends when `fn` settles. */
export function withSpan<T>(name: string, options: SpanOptions, fn: (span?: Span) => Promise<T>): Promise<T> {
  if (!active) return fn();
  return active.tracer.startActiveSpan(name, options as { kind?: OtelSpanKind; attributes?: Attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      failed(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The active trace context as W3C headers (`traceparent`, `tracestate`): for a job's data. Empty when off. */
export function traceCarrier(): Record<string, string> {
  const carrier: Record<string, string> = {};
  active?.api.propagation.inject(active.api.context.active(), carrier);
  return carrier;
}

/** Sets `traceparent` (and `tracestate`) for the active span on outgoing fetch headers. */
export function injectTraceHeaders(headers: { set(name: string, value: string): void }): void {
  if (!active) return;
  for (const [name, value] of Object.entries(traceCarrier())) headers.set(name, value);
}

/** Runs `fn` in a span continuing the trace whose context `carrier` holds (a job's data, headers). */
export function withRemoteParent<T>(
  carrier: Record<string, unknown>,
  name: string,
  options: SpanOptions,
  fn: (span?: Span) => Promise<T>,
): Promise<T> {
  if (!active) return fn();
  const { api } = active;
  const parent = api.propagation.extract(api.context.active(), carrier);
  return api.context.with(parent, () => withSpan(name, options, fn));
}

/** The context key of the request's SERVER span (the API's keys are `Symbol.for` their name). */
const REQUEST_SPAN = 'reportgraph.request-span';

/**
 * Express middleware: a SERVER span per request, active for the rest of the chain. `describe`
 * names the span and adds attributes once the response is sent. Null when tracing is off (mount
 * nothing). With `continueCaller` the span continues the caller's `traceparent` (a subgraph
 * behind the gateway); without it — at the edge, where any client could send one — the span
 * starts a trace of its own, sampled by this process's rule rather than the client's flag, and
 * links the caller's span so the two traces can still be joined.
 */
export function traceRequests(
  name: string,
  describe: (req: express.Request, res: express.Response) => { name?: string; attributes: Attributes },
  { continueCaller }: { continueCaller: boolean },
): express.RequestHandler | null {
  if (!active) return null;
  const { api, tracer } = active;
  const key = api.createContextKey(REQUEST_SPAN);
  return (req, res, next) => {
    const given = api.propagation.extract(api.context.active(), req.headers);
    const caller = continueCaller ? undefined : api.trace.getSpanContext(given);
    const parent = continueCaller ? given : api.context.active();
    const span = tracer.startSpan(
      `${req.method} ${name}`,
      {
        kind: SpanKind.SERVER as OtelSpanKind,
        attributes: { 'http.request.method': req.method, 'url.path': req.baseUrl || req.path },
        ...(continueCaller ? {} : { root: true }),
        ...(caller && api.trace.isSpanContextValid(caller) ? { links: [{ context: caller }] } : {}),
      },
      parent,
    );
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const described = describe(req, res);
      if (described.name) span.updateName(described.name);
      span.setAttributes(described.attributes);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: 2, message: `HTTP ${res.statusCode}` });
      if (!res.writableFinished) span.setAttribute('reportgraph.aborted', true);
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    api.context.with(api.trace.setSpan(parent, span).setValue(key, span), next);
  };
}

/**
 * Notes a GraphQL operation's type and outcome on the request's SERVER span (however the request
 * was served); nothing when tracing is off or outside a traced request.
 */
export function noteOperation(type: string, outcome: 'ok' | 'error'): void {
  if (!active) return;
  const span = active.api.context.active().getValue(active.api.createContextKey(REQUEST_SPAN)) as Span | undefined;
  if (!span) return;
  span.setAttributes({ 'graphql.operation.type': type, 'reportgraph.outcome': outcome });
  if (outcome === 'error') span.setStatus({ code: 2, message: 'the operation answered errors' });
}

/**
 * Wraps a GraphQL data source: each fetch is a CLIENT span `subgraph <name>` (a remote data
 * source sends its context as `traceparent`). The same source when tracing is off.
 */
export function traceDataSource<O extends { request: { operationName?: string | null } }, R extends { errors?: readonly unknown[] | null }>(
  subgraph: string,
  source: { process(options: O): Promise<R> },
): { process(options: O): Promise<R> } {
  if (!active) return source;
  return {
    process: (options) =>
      withSpan(`subgraph ${subgraph}`, { kind: SpanKind.CLIENT, attributes: { 'reportgraph.subgraph': subgraph } }, async (span) => {
        if (options.request.operationName) span?.setAttribute('graphql.operation.name', options.request.operationName);
        const response = await source.process(options);
        if (response.errors?.length) {
          span?.setAttribute('reportgraph.outcome', 'error');
          span?.setStatus({ code: 2, message: 'the subgraph answered errors' });
        }
        return response;
      }),
  };
}

/** Adds a span per SQL statement to the pool's queries (statement kind and table only). The pool itself. */
export function instrumentPool(pool: pg.Pool): pg.Pool {
  active?.instrumentPool(pool);
  return pool;
}
