// The OpenTelemetry SDK, loaded by lib/tracing only when an OTLP endpoint is set: a Node tracer
// provider (AsyncLocalStorage context, W3C trace-context propagation) batching spans to
// OTLP/HTTP (JSON), the sampler OTEL_TRACES_SAMPLER names, Prisma's own spans, SQL spans on pools.
import * as api from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import type { TracingSettings } from '../config.js';
import type { ActiveTracing } from './index.js';
import { instrumentPool } from './sql.js';

function samplerOf({ sampler, samplerRatio }: TracingSettings): Sampler {
  switch (sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(samplerRatio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(samplerRatio) });
  }
}

/**
 * Prisma starts a span for every operation, also in background work (timers, sweeps, health
 * checks) where no request or job is traced: those would each be a trace of one span. Dropped.
 */
function withoutLonePrismaSpans(sampler: Sampler): Sampler {
  return {
    shouldSample(context, traceId, name, kind, attributes, links) {
      if (name.startsWith('prisma:') && !api.trace.getSpanContext(context)) return { decision: SamplingDecision.NOT_RECORD };
      return sampler.shouldSample(context, traceId, name, kind, attributes, links);
    },
    toString: () => `WithoutLonePrismaSpans{${sampler.toString()}}`,
  };
}

export function createTracing(settings: TracingSettings, defaultServiceName: string): ActiveTracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName ?? defaultServiceName }),
    sampler: withoutLonePrismaSpans(samplerOf(settings)),
    // Batches as OTEL_BSP_* say (by default: every 5 s, at most 512 spans, 2048 queued).
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.endpoint }))],
  });
  provider.register();
  // Prisma's operation spans (model and method); its SQL is traced on the pool, like the raw SQL.
  new PrismaInstrumentation({ ignoreSpanTypes: ['prisma:client:db_query', 'prisma:client:serialize'] }).enable();
  const tracer = api.trace.getTracer('reportgraph');
  return {
    api,
    tracer,
    instrumentPool: (pool) => instrumentPool(api, tracer, pool),
    shutdown: () => provider.shutdown(),
  };
}
