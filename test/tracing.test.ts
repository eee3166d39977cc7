// OpenTelemetry end to end: the distributed topology (gateway, four subgraph processes, an
// analysis worker) exporting to a local OTLP/HTTP receiver. One mutation that crosses two
// subgraphs and queues an analysis must come back as one trace, correctly parented across the
// processes; with no OTLP endpoint set, no tracing code is even loaded.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { loadConfig } from '../lib/config.js';
import { SpanKind, startTracing, stopTracing, traceCarrier, withRemoteParent, withSpan } from '../lib/tracing/index.js';
import { describeStatement } from '../lib/tracing/sql.js';
import { freePort, scratchDatabase, startProcess, waitForOk, type RunningProcess } from './support/processes.js';
import { gql, processEnv, TEST_JWT_SECRET } from './support/stack.js';

const ADMIN_PASSWORD = 'otel-admin-password';
/** What tracing loads: the SDK packages and our module that imports them. */
const TRACING_MODULES = String.raw`@opentelemetry/(sdk-|exporter-|resources)|@prisma/instrumentation|/lib/tracing/sdk\.ts`;
// OTLP span kinds (the wire's numbering).
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number | boolean>;
  status?: { code?: number };
  links?: Array<{ traceId: string; spanId: string }>;
}

type OtlpValue = { stringValue?: string; intValue?: number | string; boolValue?: boolean; doubleValue?: number };
type OtlpAttributes = Array<{ key: string; value: OtlpValue }>;

const valueOf = (v: OtlpValue) => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.boolValue ?? v.doubleValue ?? ''));
const attributesOf = (list: OtlpAttributes = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

/** A plain OTLP/HTTP receiver (JSON, as the exporter sends it): POST /v1/traces. */
function startReceiver() {
  const spans: ReceivedSpan[] = [];
  const raw: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const text = body.toString('utf8');
      raw.push(text);
      const request = JSON.parse(text) as {
        resourceSpans: Array<{
          resource: { attributes: OtlpAttributes };
          scopeSpans: Array<{
            spans: Array<Omit<ReceivedSpan, 'service' | 'attributes'> & { attributes?: OtlpAttributes }>;
          }>;
        }>;
      };
      for (const rs of request.resourceSpans) {
        const service = String(attributesOf(rs.resource.attributes)['service.name']);
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans)
            spans.push({ ...s, parentSpanId: s.parentSpanId ?? '', service, attributes: attributesOf(s.attributes) });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return {
    spans,
    raw,
    async listen(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const receiver = startReceiver();
let receiverUrl = '';
const running: RunningProcess[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
const logDir = mkdtempSync(path.join(tmpdir(), 'rg-otel-'));
cleanups.push(() => rmSync(logDir, { recursive: true, force: true }));

beforeAll(async () => {
  receiverUrl = await receiver.listen();
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  for (const c of cleanups) await c();
  await receiver.close();
});

const baseEnv = (databaseUrl: string, extra: Record<string, string> = {}) =>
  processEnv(databaseUrl, ADMIN_PASSWORD, { REDIS_KEY_PREFIX: `${inject('redisKeyPrefix')}otel:`, WEB_APP_DIR: 'off', ...extra });

/** Starts a process whose loaded tracing modules are logged to `log`. */
function start(entry: string, args: string[], env: Record<string, string>, log: string): RunningProcess {
  const proc = startProcess(
    entry,
    args,
    { ...env, MODULE_LOG: log, MODULE_LOG_MATCH: TRACING_MODULES },
    {
      nodeArgs: ['--import', 'tsx', '--import', './test/support/moduleLog.mjs'],
    },
  );
  running.push(proc);
  return proc;
}

const loaded = (log: string) => {
  try {
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

async function login(url: string): Promise<string> {
  const r = await gql(url, 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
    u: 'admin',
    p: ADMIN_PASSWORD,
  });
  expect(r.errors).toBeUndefined();
  return r.data!.login.token as string;
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('describeStatement', () => {
  it('names the kind and first table, never anything else', () => {
    expect(describeStatement('SELECT "public"."User"."id" FROM "public"."User" WHERE "id" = $1')).toEqual({
      kind: 'SELECT',
      table: 'public.User',
    });
    expect(describeStatement('  -- note\n insert into ds_abc (a, b) values ($1, $2)')).toEqual({ kind: 'INSERT', table: 'ds_abc' });
    expect(describeStatement('UPDATE "AnalysisJob" SET status = $1')).toEqual({ kind: 'UPDATE', table: 'AnalysisJob' });
    expect(describeStatement('SELECT count(*) FROM (SELECT * FROM "Dataset" LIMIT 3) d')).toEqual({ kind: 'SELECT', table: 'Dataset' });
    expect(describeStatement('COPY "ds_x" FROM STDIN')).toEqual({ kind: 'COPY', table: 'ds_x' });
    expect(describeStatement('BEGIN')).toEqual({ kind: 'BEGIN', table: null });
  });
});

describe('tracing in this process', () => {
  it('keeps spans in a batch until stopped, then exports them; a carrier continues a trace', async () => {
    const before = receiver.spans.length;
    const delay = process.env.OTEL_BSP_SCHEDULE_DELAY;
    process.env.OTEL_BSP_SCHEDULE_DELAY = '60000'; // the batch waits: only stopping exports it
    try {
      await startTracing(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl }).tracing, 'reportgraph-test');
    } finally {
      if (delay === undefined) delete process.env.OTEL_BSP_SCHEDULE_DELAY;
      else process.env.OTEL_BSP_SCHEDULE_DELAY = delay;
    }
    const carrier = await withSpan('hand-off', { kind: SpanKind.PRODUCER }, async () => traceCarrier());
    expect(carrier.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await withRemoteParent(carrier, 'picked up', { kind: SpanKind.CONSUMER }, async () => undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.spans.length).toBe(before);
    await stopTracing();
    const mine = receiver.spans.slice(before).filter((s) => s.service === 'reportgraph-test');
    const producer = mine.find((s) => s.name === 'hand-off')!;
    const consumer = mine.find((s) => s.name === 'picked up')!;
    expect(producer.kind).toBe(PRODUCER);
    expect(consumer).toMatchObject({ kind: CONSUMER, traceId: producer.traceId, parentSpanId: producer.spanId });
    // Stopped: the helpers call straight through again, and carry nothing.
    expect(traceCarrier()).toEqual({});
  });
});

describe('traces across the distributed topology', () => {
  it('one trace from the gateway request through subgraphs, SQL, the queue and the worker to inference', async () => {
    const db = await scratchDatabase(inject('databaseUrl'), 'otel');
    cleanups.push(db.drop);
    const ports = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
    const env = baseEnv(db.url, {
      PORT: String(ports[0]),
      TEMPLATES_URL: `http://127.0.0.1:${ports[1]}/graphql`,
      DATASETS_URL: `http://127.0.0.1:${ports[2]}/graphql`,
      INSIGHTS_URL: `http://127.0.0.1:${ports[3]}/graphql`,
      MODEL_REGISTRY_URL: `http://127.0.0.1:${ports[4]}/graphql`,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      ANALYSIS_CONCURRENCY: '1',
    });
    const gatewayLog = path.join(logDir, 'gateway.log');
    const procs = [
      start('gateway/main.ts', ['distributed'], env, gatewayLog),
      start('subgraphs/templates/main.ts', [], env, path.join(logDir, 'templates.log')),
      start('subgraphs/datasets/main.ts', [], env, path.join(logDir, 'datasets.log')),
      start('subgraphs/insights/main.ts', [], env, path.join(logDir, 'insights.log')),
      start('subgraphs/model-registry/main.ts', [], env, path.join(logDir, 'model-registry.log')),
    ];
    const url = `http://127.0.0.1:${ports[0]}`;
    await waitForOk(`${url}/readyz`, procs, 90_000);
    // The worker after the gateway: the models it runs are registered by the gateway's start-up.
    procs.push(start('subgraphs/insights/worker/main.ts', [], env, path.join(logDir, 'worker.log')));
    expect(loaded(gatewayLog).some((u) => u.includes('/lib/tracing/sdk.ts'))).toBe(true);

    const token = await login(url);
    const datasets = await gql(url, '{ datasets { id name } }', {}, token);
    const dataset = datasets.data!.datasets[0] as { id: string; name: string };
    const run = await gql(
      url,
      `mutation Analyse($d: ID!) {
        runAnalysis(input: { datasetId: $d, column: "revenue", timeColumn: "month", kinds: [ANOMALY, FORECAST] }) { id status dataset { name } }
      }`,
      { d: dataset.id },
      token,
    );
    expect(run.errors).toBeUndefined();
    expect(run.data!.runAnalysis.dataset.name).toBe(dataset.name);
    const jobId = run.data!.runAnalysis.id as string;
    await until('the analysis to finish', async () => {
      const r = await gql(url, 'query($id: ID!) { analysisJob(id: $id) { status error } }', { id: jobId }, token);
      const job = r.data?.analysisJob as { status: string; error: string | null } | undefined;
      if (job?.status === 'FAILED') throw new Error(`analysis failed: ${job.error}`);
      return job?.status === 'SUCCEEDED' ? true : undefined;
    });

    // The gateway's SERVER span for the mutation names the trace.
    const request = await until('the gateway request span', () =>
      receiver.spans.find(
        (s) => s.service === 'reportgraph-gateway' && s.kind === SERVER && s.attributes['graphql.operation.name'] === 'Analyse',
      ),
    );
    const inTrace = () => receiver.spans.filter((s) => s.traceId === request.traceId);
    await until('the worker inference spans', () =>
      inTrace().some((s) => s.service === 'reportgraph-worker' && s.name.startsWith('inference ')) ? true : undefined,
    );
    // Later batches: what the worker exports after its last inference (its job span ends last).
    await until('the worker job span', () => inTrace().find((s) => s.kind === CONSUMER));
    const spans = inTrace();
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (s: ReceivedSpan) => byId.get(s.parentSpanId);
    const ancestors = (s: ReceivedSpan) => {
      const chain: ReceivedSpan[] = [];
      for (let p = parentOf(s); p; p = parentOf(p)) chain.push(p);
      return chain;
    };
    const one = (predicate: (s: ReceivedSpan) => boolean, what: string) => {
      const found = spans.filter(predicate);
      expect(found.length, `${what} in ${spans.map((s) => `${s.service}:${s.name}`).join(', ')}`).toBeGreaterThan(0);
      return found;
    };

    expect(request.parentSpanId).toBe('');
    expect(request.name).toBe('graphql Analyse');
    expect(request.attributes).toMatchObject({
      'graphql.operation.type': 'mutation',
      'reportgraph.outcome': 'ok',
      'http.response.status_code': 200,
    });
    expect(request.attributes['reportgraph.request_id']).toMatch(/^[0-9a-f-]{36}$/);

    // Apollo's own spans, under ours: request → plan, execute → fetch.
    const [gatewayRequest] = one((s) => s.name === 'gateway.request', 'gateway.request');
    expect(parentOf(gatewayRequest!)).toBe(request);
    const [plan] = one((s) => s.name === 'gateway.plan', 'gateway.plan');
    expect(ancestors(plan!)).toContain(gatewayRequest);
    const [execute] = one((s) => s.name === 'gateway.execute', 'gateway.execute');
    expect(ancestors(execute!)).toContain(gatewayRequest);

    // A CLIENT span per subgraph fetch, under Apollo's fetch; each subgraph's SERVER span continues it.
    for (const subgraph of ['insights', 'datasets']) {
      const [client] = one((s) => s.kind === CLIENT && s.name === `subgraph ${subgraph}`, `the ${subgraph} fetch`);
      expect(client!.service).toBe('reportgraph-gateway');
      expect(parentOf(client!)!.name).toBe('gateway.fetch');
      expect(ancestors(client!)).toContain(execute);
      const [server] = one((s) => s.service === `reportgraph-${subgraph}` && s.kind === SERVER, `the ${subgraph} server span`);
      expect(parentOf(server!)).toBe(client);
      expect(server!.attributes['reportgraph.subgraph']).toBe(subgraph);
      expect(server!.attributes['reportgraph.request_id']).toBe(request.attributes['reportgraph.request_id']);
    }
    const insightsServer = spans.find((s) => s.service === 'reportgraph-insights' && s.kind === SERVER)!;

    // SQL under the insights subgraph's span: kind and table, nothing else.
    const sql = one((s) => s.attributes['db.system.name'] === 'postgresql', 'SQL spans');
    const insightsSql = sql.filter((s) => s.service === 'reportgraph-insights');
    expect(insightsSql.length).toBeGreaterThan(0);
    for (const s of insightsSql) expect(ancestors(s)).toContain(insightsServer);
    expect(
      insightsSql.some(
        (s) => s.attributes['db.operation.name'] === 'INSERT' && s.attributes['db.collection.name'] === 'public.AnalysisJob',
      ),
    ).toBe(true);
    for (const s of sql) {
      expect(s.kind).toBe(CLIENT);
      expect(
        Object.keys(s.attributes).every((k) =>
          ['db.system.name', 'db.operation.name', 'db.collection.name', 'db.response.status_code'].includes(k),
        ),
      ).toBe(true);
    }
    // Prisma's own operation spans come along.
    one((s) => s.name === 'prisma:client:operation', "Prisma's operation spans");

    // The hand-off: a PRODUCER span in the insights process, the worker's CONSUMER span its child.
    const [producer] = one((s) => s.kind === PRODUCER, 'the queue hand-off');
    expect(producer!.service).toBe('reportgraph-insights');
    expect(producer!.attributes).toMatchObject({ 'messaging.system': 'bullmq', 'messaging.message.id': jobId });
    expect(ancestors(producer!)).toContain(insightsServer);
    const [consumer] = one((s) => s.kind === CONSUMER, 'the worker job span');
    expect(consumer!.service).toBe('reportgraph-worker');
    expect(parentOf(consumer!)).toBe(producer);
    expect(consumer!.attributes['messaging.message.id']).toBe(jobId);
    const inferences = one((s) => s.name.startsWith('inference '), 'inference spans');
    for (const s of inferences) {
      expect(ancestors(s)).toContain(consumer);
      expect(s.attributes).toMatchObject({ 'reportgraph.inference.device': 'cpu' });
      expect(typeof s.attributes['reportgraph.model.version']).toBe('number');
      expect(s.attributes['reportgraph.inference.rows']).toBeGreaterThan(0);
      expect(s.attributes['reportgraph.inference.batch_rows']).toBeGreaterThanOrEqual(s.attributes['reportgraph.inference.rows'] as number);
    }
    expect(new Set(inferences.map((s) => s.attributes['reportgraph.model.name']))).toEqual(
      new Set(['anomaly-robust-z', 'forecast-holt-winters']),
    );
    // The worker's SQL continues the trace too.
    expect(sql.some((s) => s.service === 'reportgraph-worker' && ancestors(s).includes(consumer!))).toBe(true);

    // A client's traceparent is not continued at the edge (TRACE_CONTINUE_CLIENT off): the gateway
    // starts a trace of its own, sampled by its own rule, and links the client's span.
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const traced = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, traceparent: `00-${callerTrace}-${callerSpan}-01` },
      body: JSON.stringify({ query: 'query Mine { datasets(limit: 1) { id } }' }),
    });
    expect(traced.status).toBe(200);
    const linked = await until('the span linking the caller', () =>
      receiver.spans.find(
        (s) => s.kind === SERVER && s.service === 'reportgraph-gateway' && s.attributes['graphql.operation.name'] === 'Mine',
      ),
    );
    expect(linked.traceId).not.toBe(callerTrace);
    expect(linked.parentSpanId).toBe('');
    expect(linked.links).toEqual([expect.objectContaining({ traceId: callerTrace, spanId: callerSpan })]);
    expect(linked.attributes).toMatchObject({ 'graphql.operation.type': 'query' });
    expect(receiver.spans.some((s) => s.traceId === callerTrace)).toBe(false);

    // Nothing secret anywhere in what was exported: passwords, tokens, signing secrets.
    const everything = receiver.raw.join('\n');
    for (const secret of [ADMIN_PASSWORD, TEST_JWT_SECRET, token, token.split('.')[2]!]) expect(everything).not.toContain(secret);

    // Background work (sweeps, health and drift checks) starts no traces of its own.
    await Promise.all(procs.map((p) => p.stop()));
    const roots = receiver.spans.filter((s) => s.parentSpanId === '');
    expect(roots.filter((s) => s.name.startsWith('prisma:'))).toEqual([]);
  }, 180_000);

  it('loads no tracing code and exports nothing when no OTLP endpoint is set', async () => {
    const db = await scratchDatabase(inject('databaseUrl'), 'otel_off');
    cleanups.push(db.drop);
    const port = await freePort();
    const log = path.join(logDir, 'off.log');
    const before = receiver.raw.length;
    const proc = start('gateway/main.ts', ['single-host'], baseEnv(db.url, { PORT: String(port), START_WORKER: 'true' }), log);
    const url = `http://127.0.0.1:${port}`;
    await waitForOk(`${url}/readyz`, proc, 90_000);
    const token = await login(url);
    const r = await gql(url, '{ datasets(limit: 10) { id owner { username } analysisJobs { id } } }', {}, token);
    expect(r.errors).toBeUndefined();
    const run = await gql(
      url,
      'mutation($d: ID!) { runAnalysis(input: { datasetId: $d, column: "revenue", timeColumn: "month", kinds: [TREND] }) { id } }',
      { d: r.data!.datasets[0].id },
      token,
    );
    expect(run.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1000));
    await proc.stop();
    expect(loaded(log)).toEqual([]);
    expect(receiver.raw.length).toBe(before);
  }, 120_000);
});
