// Subscription fan-out: N subscribers of one analysis's progress, spread over two gateway
// replicas (separate processes on the same PostgreSQL and Redis), and events published the way a
// worker publishes them (Redis pub/sub). Prints publish → receive latency percentiles over every
// delivery, and how many deliveries arrived.
//   npm run bench:fanout        (BENCH_SUBSCRIBERS=1000, BENCH_EVENTS=20)
import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { loadConfig } from '../lib/config.js';
import { createRuntime } from '../lib/runtime.js';
import { scratchDatabase, startProcess, waitReady } from './support.js';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20);
const PASSWORD = 'bench-admin-password';
const PREFIX = 'rg:bench-fanout:';

const db = await scratchDatabase('rg_bench_fanout');
const ports = [0, 1].map(() => 4600 + Math.floor(Math.random() * 300));
const env = (port: number) => ({
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  DATABASE_URL: db.url,
  REDIS_KEY_PREFIX: PREFIX,
  JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
  ADMIN_PASSWORD: PASSWORD,
  PORT: String(port),
  HOST: '127.0.0.1',
  START_WORKER: 'false',
  RATE_LIMIT_OPERATIONS_PER_MINUTE: '0',
  WS_MAX_SUBSCRIPTIONS: '1000',
});
// BENCH_CPU_PROF=<dir>: the replicas write V8 CPU profiles there (bench/profileSummary.ts reads them).
const nodeArgs = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
// The first replica migrates and seeds; the second starts once it is ready.
const first = startProcess('gateway/main.ts', ['single-host'], env(ports[0]!), { nodeArgs });
const replicas = [first];
const clients: Client[] = [];
const publisher = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
try {
  await waitReady(`http://127.0.0.1:${ports[0]}/readyz`, first);
  replicas.push(startProcess('gateway/main.ts', ['single-host'], env(ports[1]!), { nodeArgs }));
  await waitReady(`http://127.0.0.1:${ports[1]}/readyz`, replicas[1]!);

  const runtime = createRuntime(loadConfig({ ...process.env, ...env(ports[0]!) }));
  const dataset = await runtime.prisma.dataset.create({ data: { name: 'fan-out' } });
  const job = await runtime.prisma.analysisJob.create({
    data: { datasetId: dataset.id, column: 'x', kinds: ['TREND'], status: 'RUNNING' },
  });
  await runtime.close();
  const login = await fetch(`http://127.0.0.1:${ports[0]}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($p: String!) { login(username: "admin", password: $p) { token } }',
      variables: { p: PASSWORD },
    }),
  });
  const token = ((await login.json()) as { data: { login: { token: string } } }).data.login.token;

  // One connection per 50 subscribers, alternating replicas, as browsers behind a balancer would.
  const latencies: number[] = [];
  let subscribed = 0;
  const ready = new Promise<void>((resolve) => {
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const c = Math.floor(i / 50);
      clients[c] ??= createClient({
        url: `ws://127.0.0.1:${ports[c % 2]}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
      });
      let first = true;
      clients[c]!.subscribe(
        { query: 'subscription($id: ID!) { analysisProgress(jobId: $id) { stage progress message } }', variables: { id: job.id } },
        {
          next: (r) => {
            // The first answer is the job's current state: the subscription is live from here.
            if (first) {
              first = false;
              if (++subscribed === SUBSCRIBERS) resolve();
              return;
            }
            const sent = Number((r.data as { analysisProgress: { message: string } }).analysisProgress.message);
            latencies.push(Date.now() - sent);
          },
          error: (e) => console.error('subscription error', e),
          complete: () => undefined,
        },
      );
    }
  });
  await ready;
  for (let e = 0; e < EVENTS; e++) {
    const event = { jobId: job.id, status: 'RUNNING', stage: 'bench', progress: e / EVENTS, message: String(Date.now()), insightId: null };
    await publisher.publish(`${PREFIX}analysis-progress:${job.id}`, JSON.stringify(event));
    await new Promise((r) => setTimeout(r, 250));
  }
  await new Promise((r) => setTimeout(r, 2000));
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  console.log(`subscription fan-out: ${SUBSCRIBERS} subscribers over 2 gateway replicas, ${EVENTS} events published through Redis`);
  console.log(`  deliveries ${latencies.length} of ${SUBSCRIBERS * EVENTS}`);
  console.log(`  publish → receive: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${latencies.at(-1)} ms`);
} finally {
  await Promise.all(clients.map((c) => c.dispose()));
  publisher.disconnect();
  await Promise.all(replicas.map((r) => r.stop()));
  await db.drop();
}
