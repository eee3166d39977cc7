// A frontend's cross-subgraph read through the gateway — datasets (datasets subgraph) with their
// owners (templates) and analysis jobs (insights) — against a bare node:http + pg server answering
// the same JSON with one SQL statement on the same database: requests/s, p99, CPU time per request
// (steadier than requests/s on a shared machine), and what the gateway process holds under the
// load (RSS, V8 heap, memory outside it, threads). Variables vary per request (no dedup can
// flatter either side); the load generator runs in its own process; pairs alternate.
//   npm run bench:reads            (BENCH_SECONDS, BENCH_ROUNDS, BENCH_TOPOLOGY=single-host|distributed,
//                                  BENCH_BUILD=dist for the compiled parts, BENCH_NODE_ARGS for their V8 flags,
//                                  BENCH_SUBGRAPH_NODE_ARGS for the subgraph processes' own)
//   BENCH_HIVE=on                  distributed and compiled only (`npm run build` first): also Hive Gateway
//                                  (installed once into the system's temporary folder, outside the project) on the
//                                  same subgraphs, its rounds alternating with the gateway's
//   BENCH_TRACING=on               also a second gateway tracing every request (BENCH_TRACING_RATIO, default 1) to
//                                  an OTLP/HTTP receiver here, its rounds alternating with the untraced one's
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'graphql';
import { composeSupergraph } from '../gateway/composition.js';
import { fetchSdl } from '../gateway/topology/distributed.js';
import { REQUEST_ID_HEADER } from '../lib/auth/identity.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../test/support/processes.js';
import { loadConfig } from '../lib/config.js';
import { createRuntime } from '../lib/runtime.js';
import { load, median, scratchDatabase, startProcess, waitReady } from './support.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TOPOLOGY = process.env.BENCH_TOPOLOGY ?? 'single-host';
if (TOPOLOGY !== 'single-host' && TOPOLOGY !== 'distributed') throw new Error('BENCH_TOPOLOGY is single-host or distributed');
const PASSWORD = 'bench-admin-password';
const QUERY =
  'query($limit: Int, $offset: Int) { datasets(limit: $limit, offset: $offset) { id name rowCount owner { username role } analysisJobs { id status } } }';
/** The same answer in one statement: what the gateway's work is measured against. */
const SQL = `SELECT json_build_object('data', json_build_object('datasets', coalesce(json_agg(json_build_object(
    'id', d.id, 'name', d.name, 'rowCount', coalesce(v."rowCount", 0),
    'owner', CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('username', u.username, 'role', u.role) END,
    'analysisJobs', coalesce((SELECT json_agg(json_build_object('id', j.id, 'status', j.status) ORDER BY j."createdAt" DESC, j.id)
                              FROM "AnalysisJob" j WHERE j."datasetId" = d.id), '[]'::json)
  ) ORDER BY d."createdAt"), '[]'::json)))::text AS body
  FROM (SELECT * FROM "Dataset" ORDER BY "createdAt" LIMIT $1 OFFSET $2) d
  LEFT JOIN "DatasetVersion" v ON v.id = d."currentVersionId" LEFT JOIN "User" u ON u.id = d."ownerId"`;

/** A process's resident memory (MB), threads and CPU time so far (ms, user + system), from /proc. */
function processStats(pid: number): { rss: number; threads: number; cpuMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const stat = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  return {
    rss: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024,
    threads: Number(/Threads:\s+(\d+)/.exec(status)?.[1] ?? 0),
    cpuMs: ((Number(stat[11]) + Number(stat[12])) * 1000) / 100, // clock ticks: USER_HZ is 100 on Linux
  };
}

/** The gateway's V8 heap and memory outside it (MB), from its /metrics (prom-client's defaults). */
async function heapOf(url: string): Promise<{ heapUsed: number; heapTotal: number; external: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const metric = (name: string) => Number(new RegExp(`^reportgraph_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return {
    heapUsed: metric('nodejs_heap_size_used_bytes'),
    heapTotal: metric('nodejs_heap_size_total_bytes'),
    external: metric('nodejs_external_memory_bytes'),
  };
}

/** A collector that accepts and counts OTLP/HTTP exports (it reads nothing but their size). */
async function spanSink() {
  const received = { requests: 0, bytes: 0, spans: 0 };
  const server = http.createServer((req, res) => {
    req.on('data', (chunk: Buffer) => {
      received.bytes += chunk.length;
      received.spans += chunk.toString('latin1').split('"spanId"').length - 1;
    });
    req.on('end', () => {
      received.requests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
const sink = process.env.BENCH_TRACING === 'on' ? await spanSink() : null;

const db = await scratchDatabase('rg_bench_reads');
const port = 4100 + Math.floor(Math.random() * 500);
const env = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  DATABASE_URL: db.url,
  REDIS_KEY_PREFIX: 'rg:bench-reads:',
  JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
  ADMIN_PASSWORD: PASSWORD,
  PORT: String(port),
  HOST: '127.0.0.1',
  // Counted, as in production, but never refused: the bench measures the limiter's cost, not its verdict.
  RATE_LIMIT_OPERATIONS_PER_MINUTE: '1000000000',
  // glibc's malloc arenas, as the image sets them (compose/Dockerfile); BENCH_MALLOC_ARENA_MAX='' for glibc's default.
  ...((process.env.BENCH_MALLOC_ARENA_MAX ?? '2') ? { MALLOC_ARENA_MAX: process.env.BENCH_MALLOC_ARENA_MAX ?? '2' } : {}),
};
// BENCH_PROFILE=dir writes the gateway's CPU profile there (node --cpu-prof), to find where time goes.
// BENCH_NODE_ARGS: the serving processes' Node/V8 flags; by default the young generation the image sets
// (compose/Dockerfile's NODE_OPTIONS); empty for V8's defaults.
// BENCH_BUILD=dist runs the compiled parts (`node dist/…`, what the images run; `npm run build` first)
// rather than TypeScript through tsx.
const BUILT = process.env.BENCH_BUILD === 'dist';
const entryOf = (part: string) => (BUILT ? `dist/${part}.js` : `${part}.ts`);
const HIVE = process.env.BENCH_HIVE === 'on';
const HIVE_VERSION = '2.15.1';
if (HIVE && (TOPOLOGY !== 'distributed' || !BUILT)) throw new Error('BENCH_HIVE=on needs BENCH_TOPOLOGY=distributed and BENCH_BUILD=dist');
const flags = (process.env.BENCH_NODE_ARGS ?? '--max-semi-space-size=64').split(' ').filter(Boolean);
const nodeArgs = [...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), ...flags];
// BENCH_SUBGRAPH_NODE_ARGS: the subgraph processes' own flags (distributed); by default those they are deployed with.
const subgraphFlags = (process.env.BENCH_SUBGRAPH_NODE_ARGS ?? '--max-semi-space-size=4 --heap-growing-percent=50')
  .split(' ')
  .filter(Boolean);
// Distributed: the four subgraphs in processes of their own, called over HTTP.
const subgraphs: Array<ReturnType<typeof startProcess>> = [];
const SUBGRAPHS = ['templates', 'datasets', 'insights', 'model-registry'];
if (TOPOLOGY === 'distributed') {
  const entries = SUBGRAPHS;
  const ports = await Promise.all(entries.map(() => freePort()));
  entries.forEach((name, i) => {
    (env as Record<string, string>)[`${name.toUpperCase().replace('-', '_')}_URL`] = `http://127.0.0.1:${ports[i]}/graphql`;
  });
  for (const name of entries)
    subgraphs.push(startProcess(entryOf(`subgraphs/${name}/main`), [], env, { nodeArgs: subgraphFlags, tsx: !BUILT }));
}
const gateway = startProcess(entryOf('gateway/main'), [TOPOLOGY], env, { nodeArgs, tsx: !BUILT });
const url = `http://127.0.0.1:${port}`;
const tracedUrl = `http://127.0.0.1:${port + 500}`;
let traced: ReturnType<typeof startProcess> | null = null;
const startTraced = (otlpUrl: string) =>
  startProcess(
    'gateway/main.ts',
    [TOPOLOGY],
    {
      ...env,
      PORT: String(port + 500),
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
      OTEL_TRACES_SAMPLER: 'traceidratio',
      OTEL_TRACES_SAMPLER_ARG: process.env.BENCH_TRACING_RATIO ?? '1',
    },
    { nodeArgs: flags },
  );
/**
 * Hive Gateway on the same subgraphs: the supergraph composed as the gateway composes it, and each
 * subgraph call signed for the benchmark's admin as the gateway signs it (a header per call, from
 * the compiled lib/auth/identity.js), so that both gateways get the same answers from the same work.
 */
async function startHive(subgraphUrls: Record<string, string>, admin: { id: string; name: string; role: string }) {
  const prefix = path.join(os.tmpdir(), `reportgraph-bench-hive-${HIVE_VERSION}`);
  const bin = path.join(prefix, 'node_modules', '.bin', 'hive-gateway');
  if (!existsSync(bin)) {
    console.log(`installing Hive Gateway ${HIVE_VERSION} into ${prefix} (once)...`);
    mkdirSync(prefix, { recursive: true });
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--prefix', prefix, `@graphql-hive/gateway@${HIVE_VERSION}`], {
      stdio: 'ignore',
    });
  }
  const secret = loadConfig({ ...process.env, ...env }).gatewaySecret; // as the gateway derives it
  const definitions = await Promise.all(
    Object.entries(subgraphUrls).map(async ([name, subgraphUrl]) => ({
      name,
      url: subgraphUrl,
      typeDefs: parse(await fetchSdl(name, subgraphUrl, secret)),
    })),
  );
  const dir = path.join(prefix, `run-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'supergraph.graphql'), composeSupergraph(definitions));
  const identityModule = pathToFileURL(path.resolve('dist/lib/auth/identity.js')).href;
  writeFileSync(
    path.join(dir, 'gateway.config.mjs'),
    `import { randomUUID } from 'node:crypto';
import { encodeForwardedIdentity, IDENTITY_HEADER, REQUEST_ID_HEADER } from ${JSON.stringify(identityModule)};
const admin = ${JSON.stringify({ ...admin, kind: 'user' })};
export const gatewayConfig = {
  supergraph: './supergraph.graphql',
  logging: 'error',
  propagateHeaders: {
    fromClientToSubgraphs({ request, subgraphName }) {
      // Hive Gateway forwards the request's x-request-id itself (the client's, or one it makes).
      const requestId = request.headers.get(REQUEST_ID_HEADER) ?? randomUUID();
      return { [REQUEST_ID_HEADER]: requestId, [IDENTITY_HEADER]: encodeForwardedIdentity(admin, ${JSON.stringify(secret)}, { audience: subgraphName, requestId }) };
    },
  },
};
`,
  );
  const hivePort = await freePort();
  const child = spawn(
    process.execPath,
    [...flags, realpathSync(bin), 'supergraph', 'supergraph.graphql', '--port', String(hivePort), '--host', '127.0.0.1'],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH!,
        HOME: process.env.HOME ?? '/tmp',
        NODE_ENV: 'production',
        ...(env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX } : {}),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const hiveUrl = `http://127.0.0.1:${hivePort}`;
  for (const deadline = Date.now() + 60_000; ;) {
    const ready = await fetch(`${hiveUrl}/readiness`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('Hive Gateway did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, url: `${hiveUrl}/graphql` };
}

let bare: ChildProcess | undefined;
let hive: Awaited<ReturnType<typeof startHive>> | undefined;
try {
  await waitReady(`${url}/readyz`, [gateway, ...subgraphs], 120_000);
  // Started once the first has migrated and seeded the database they share.
  if (sink) {
    traced = startTraced(sink.url);
    await waitReady(`${tracedUrl}/readyz`, traced);
  }
  // 31 datasets with owners and a few analyses each, written the way the product writes them.
  const runtime = createRuntime(loadConfig({ ...process.env, ...env }));
  const owners = await Promise.all(
    ['ana', 'bo', 'cy'].map((name, i) =>
      runtime.prisma.user.create({ data: { username: `${name}-${Date.now()}`, role: i ? 'ANALYST' : 'VIEWER', passwordHash: 'x' } }),
    ),
  );
  for (let i = 0; i < 31; i++) {
    const dataset = await runtime.prisma.dataset.create({
      data: { name: `dataset ${String(i).padStart(2, '0')}`, ownerId: owners[i % 3]!.id },
    });
    const version = await runtime.prisma.datasetVersion.create({
      data: { datasetId: dataset.id, number: 1, tableName: `ds_bench_${i}`, rowCount: 1000 + i, sourceKind: 'CSV', source: {} },
    });
    await runtime.prisma.dataset.update({ where: { id: dataset.id }, data: { currentVersionId: version.id } });
    for (let j = 0; j < i % 4; j++) {
      await runtime.prisma.analysisJob.create({
        data: { datasetId: dataset.id, column: 'amount', kinds: ['TREND'], status: j % 2 ? 'SUCCEEDED' : 'FAILED' },
      });
    }
  }
  await runtime.close();

  const login = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($p: String!) { login(username: "admin", password: $p) { token } }',
      variables: { p: PASSWORD },
    }),
  });
  const token = ((await login.json()) as { data: { login: { token: string } } }).data.login.token;
  const pages = [
    [31, 0],
    [10, 0],
    [10, 10],
    [10, 20],
    [20, 5],
    [5, 25],
  ];
  const bodies = pages.map(([limit, offset]) => JSON.stringify({ query: QUERY, variables: { limit, offset } }));
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  if (HIVE) {
    const adminRuntime = createRuntime(loadConfig({ ...process.env, ...env }));
    const admin = await adminRuntime.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
    await adminRuntime.close();
    const urls = Object.fromEntries(
      ['templates', 'datasets', 'insights', 'model-registry'].map((name) => [
        name,
        (env as Record<string, string>)[`${name.toUpperCase().replace('-', '_')}_URL`]!,
      ]),
    );
    hive = await startHive(urls, { id: admin.id, name: admin.username, role: admin.role });
  }

  // The bare server: one pooled pg statement per request, the JSON as PostgreSQL builds it.
  bare = spawn(
    process.execPath,
    [
      '-e',
      `const http=require('http');const pg=require('pg');const pool=new pg.Pool({connectionString:process.env.DATABASE_URL,max:10});const sql=process.env.SQL;
http.createServer((q,s)=>{let b='';q.on('data',d=>b+=d);q.on('end',async()=>{const v=JSON.parse(b).variables;const r=await pool.query(sql,[v.limit,v.offset]);const out=r.rows[0].body;s.writeHead(200,{'content-type':'application/json','content-length':Buffer.byteLength(out)});s.end(out);});}).listen(0,'127.0.0.1',function(){console.log(this.address().port)});`,
    ],
    { env: { ...process.env, DATABASE_URL: db.url, SQL }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const barePort = await new Promise<string>((resolve) => bare!.stdout!.once('data', (d) => resolve(String(d).trim())));
  const bareUrl = `http://127.0.0.1:${barePort}/`;
  const hiveHeaders = { 'content-type': 'application/json', [REQUEST_ID_HEADER]: 'bench-hive' };

  // Same answers, checked once: the comparison is only fair if both sides say the same thing.
  for (const body of bodies) {
    const [a, b] = await Promise.all([
      fetch(`${url}/graphql`, { method: 'POST', headers, body }).then((r) => r.json()),
      fetch(bareUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.json()),
    ]);
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`answers differ for ${body}:\n${JSON.stringify(a)}\n${JSON.stringify(b)}`);
    if (hive) {
      const h = await fetch(hive.url, { method: 'POST', headers: hiveHeaders, body }).then((r) => r.json());
      if (JSON.stringify(h) !== JSON.stringify(b)) throw new Error(`Hive Gateway answers otherwise for ${body}:\n${JSON.stringify(h)}`);
    }
    if (traced) {
      const t = await fetch(`${tracedUrl}/graphql`, { method: 'POST', headers, body }).then((r) => r.json());
      if (JSON.stringify(t) !== JSON.stringify(b))
        throw new Error(`the traced gateway answers otherwise for ${body}:\n${JSON.stringify(t)}`);
    }
  }

  // CPU time per request, of the serving processes (the gateway and, distributed, its subgraphs).
  const serving = [gateway, ...subgraphs].map((p) => p.child.pid!);
  const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + processStats(pid).cpuMs, 0);
  const subgraphPids = subgraphs.map((p) => p.child.pid!);
  const measured = async (target: string, pids: number[], requestHeaders: Record<string, string>, onPeak?: () => Promise<void>) => {
    const cpu = cpuOf(pids);
    const subgraphCpu = cpuOf(subgraphPids);
    const t = performance.now();
    // Halfway through the load: what the gateway holds while serving it.
    const peak = onPeak && setTimeout(() => void onPeak(), (SECONDS * 1000) / 2);
    const result = await load(target, bodies, requestHeaders, CONNECTIONS, SECONDS, '"datasets"');
    clearTimeout(peak);
    const requests = (result.rps * (performance.now() - t)) / 1000;
    return {
      ...result,
      cpuMsPerRequest: (cpuOf(pids) - cpu) / requests,
      subgraphCpuMsPerRequest: (cpuOf(subgraphPids) - subgraphCpu) / requests,
    };
  };
  const gatewayRuns: Array<Awaited<ReturnType<typeof measured>>> = [];
  const bareRuns: typeof gatewayRuns = [];
  const tracedRuns: typeof gatewayRuns = [];
  const hiveRuns: typeof gatewayRuns = [];
  const runHive = async () => {
    if (hive) hiveRuns.push(await measured(hive.url, [hive.child.pid!, ...subgraphPids], hiveHeaders));
  };
  const runTraced = async () => {
    if (traced) tracedRuns.push(await measured(`${tracedUrl}/graphql`, [traced.child.pid!], headers));
  };
  let held = { rss: 0, threads: 0, heapUsed: 0, heapTotal: 0, external: 0, subgraphs: [] as number[] };
  const sample = async () => {
    const { rss, threads } = processStats(gateway.child.pid!);
    // Each subgraph's own highest, whenever it came.
    const subgraphRss = subgraphs.map((p, i) => Math.max(processStats(p.child.pid!).rss, held.subgraphs[i] ?? 0));
    if (rss > held.rss) held = { rss, threads, ...(await heapOf(url)), subgraphs: subgraphRss };
    else held.subgraphs = subgraphRss;
  };
  for (let round = 0; round < ROUNDS; round++) {
    // The traced gateway goes first every other round: whichever runs second was measured faster.
    if (round % 2) await runTraced();
    if (round % 2) await runHive();
    const from = process.hrtime.bigint() / 1000n;
    gatewayRuns.push(await measured(`${url}/graphql`, serving, headers, sample));
    if (process.env.BENCH_PROFILE) console.log(`profile window (µs, monotonic): ${from} ${process.hrtime.bigint() / 1000n}`);
    if (!(round % 2)) await runTraced();
    if (!(round % 2)) await runHive();
    bareRuns.push(await measured(bareUrl, [bare!.pid!], { 'content-type': 'application/json' }));
  }
  const summary = (runs: typeof gatewayRuns) => ({
    rps: median(runs.map((r) => r.rps)),
    p99: median(runs.map((r) => r.p99)),
    cpu: median(runs.map((r) => r.cpuMsPerRequest)),
    subgraphCpu: median(runs.map((r) => r.subgraphCpuMsPerRequest)),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    firstError: runs.find((r) => r.firstError)?.firstError,
  });
  const g = summary(gatewayRuns);
  const b = summary(bareRuns);
  const mb = (n: number) => `${Math.round(n)} MB`;
  console.log(
    `cross-subgraph read (31 datasets, owners, analyses), ${CONNECTIONS} connections, ${SECONDS} s × ${ROUNDS} rounds, medians; ${BUILT ? 'compiled (dist/)' : 'tsx'}, Node flags: ${flags.join(' ') || 'none'}${TOPOLOGY === 'distributed' ? `, subgraphs: ${subgraphFlags.join(' ') || 'none'}` : ''}`,
  );
  console.log(
    `  gateway (${TOPOLOGY}): ${Math.round(g.rps).toLocaleString()} req/s, p99 ${g.p99.toFixed(1)} ms, ${g.cpu.toFixed(2)} ms CPU/request${subgraphs.length ? ` (the subgraphs' ${g.subgraphCpu.toFixed(2)})` : ''}, ${g.errors} errors`,
  );
  console.log(
    `  bare node:http + pg: ${Math.round(b.rps).toLocaleString()} req/s, p99 ${b.p99.toFixed(1)} ms, ${b.cpu.toFixed(2)} ms CPU/request`,
  );
  console.log(`  ratio gateway / bare: ${(g.rps / b.rps).toFixed(2)}x req/s`);
  console.log(
    `  gateway process under the load: RSS ${mb(held.rss)} (V8 heap ${mb(held.heapUsed)} used of ${mb(held.heapTotal)}, outside the heap ${mb(held.external)}), ${held.threads} threads` +
      (held.subgraphs.length
        ? `; subgraph processes' highest RSS: ${held.subgraphs.map((r, i) => `${SUBGRAPHS[i]} ${mb(r)}`).join(', ')}`
        : ''),
  );
  if (hive) {
    const h = summary(hiveRuns);
    console.log(
      `  Hive Gateway ${HIVE_VERSION}, same subgraphs: ${Math.round(h.rps).toLocaleString()} req/s, p99 ${h.p99.toFixed(1)} ms, ${h.cpu.toFixed(2)} ms CPU/request (its process and the subgraphs'), ${h.errors} errors`,
    );
    console.log(
      `  ratio gateway / Hive Gateway: ${(g.rps / h.rps).toFixed(2)}x req/s (per round: ${hiveRuns.map((r, i) => (gatewayRuns[i]!.rps / r.rps).toFixed(2)).join(', ')})`,
    );
  }
  if (sink) {
    const t = summary(tracedRuns);
    const requests = tracedRuns.reduce((n, r) => n + r.rps * SECONDS, 0);
    console.log(
      `  gateway, tracing on:   ${Math.round(t.rps).toLocaleString()} req/s, p99 ${t.p99.toFixed(1)} ms, ${t.cpu.toFixed(2)} ms CPU/request`,
    );
    console.log(
      `  ratio tracing on / off: ${(t.rps / g.rps).toFixed(2)}x req/s (per round: ${tracedRuns.map((r, i) => (r.rps / gatewayRuns[i]!.rps).toFixed(2)).join(', ')})`,
    );
    console.log(
      `  exported: ${sink.received.spans.toLocaleString()} spans in ${sink.received.requests} exports (${Math.round(sink.received.bytes / 2 ** 20)} MB), ~${(sink.received.spans / requests).toFixed(1)} per request`,
    );
  }
} finally {
  bare?.kill();
  hive?.child.kill();
  await gateway.stop();
  await traced?.stop();
  sink?.close();
  await Promise.all(subgraphs.map((p) => p.stop()));
  await db.drop();
}
