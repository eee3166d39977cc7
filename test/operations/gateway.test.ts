// Two single-host gateway processes (replicas) over a Redis and a PostgreSQL of this file's own,
// which the tests kill and restart under traffic: live events cross replicas, Redis going away
// makes the gateway unready but not broken, a PostgreSQL restart needs no gateway restart, and
// SIGTERM drains requests and live connections before the process exits 0.
import http from 'node:http';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl } from '../../lib/db/admin.js';
import { freePort, startProcess, waitForOk, type RunningProcess } from '../support/processes.js';
import { gql, TEST_JWT_SECRET } from '../support/stack.js';
import { privatePostgres, privateRedis, waitUntil, type PrivatePostgres, type PrivateRedis } from './services.js';

const ADMIN_PASSWORD = 'ops-admin-password';
const SHUTDOWN_SECONDS = 10;

let redis: PrivateRedis;
let postgres: PrivatePostgres;
const gateways: Array<{ url: string; proc: RunningProcess }> = [];
let admin: string;
let datasetId: string;

async function startGateway(worker: boolean) {
  const port = await freePort();
  const proc = startProcess('gateway/main.ts', ['single-host'], {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl(postgres.serverUrl, 'reportgraph'),
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: 'rg:ops:',
    ADMIN_PASSWORD,
    JWT_SECRET: TEST_JWT_SECRET,
    PORT: String(port),
    START_WORKER: String(worker),
    ONNX_DEVICE: 'cpu',
    ONNX_WORKERS: '1',
    WEB_APP_DIR: 'off',
    SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_SECONDS),
  });
  const gateway = { url: `http://127.0.0.1:${port}`, proc };
  gateways.push(gateway);
  await waitForOk(`${gateway.url}/readyz`, proc, 90_000);
  return gateway;
}

beforeAll(async () => {
  [redis, postgres] = await Promise.all([privateRedis(), privatePostgres()]);
  // One after the other: the first migrates and seeds the empty database.
  await startGateway(true);
  await startGateway(false);
  const r = await gql(gateways[0]!.url, 'mutation($p: String!) { login(username: "admin", password: $p) { token } }', {
    p: ADMIN_PASSWORD,
  });
  admin = r.data!.login.token;
  datasetId = (await gql(gateways[0]!.url, '{ datasets { id } }', {}, admin)).data!.datasets[0].id;
}, 180_000);

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.proc.stop()));
  await redis?.kill();
  await postgres?.destroy();
});

function wsClient(url: string): Client & { closed: Promise<number> } {
  let closed!: (code: number) => void;
  const client = createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${admin}` },
    retryAttempts: 0,
    on: { closed: (event) => closed((event as { code: number }).code) },
  });
  return Object.assign(client, { closed: new Promise<number>((r) => (closed = r)) });
}

/** Model events seen by a subscription on `url`, as they come. */
function followModelEvents(client: Client): { events: string[]; ended: Promise<string | null> } {
  const events: string[] = [];
  const ended = new Promise<string | null>((resolve) => {
    client.subscribe(
      { query: 'subscription { modelEvents(modelName: "anomaly-robust-z") { kind message } }' },
      {
        next: (r) => events.push(r.data ? (r.data as any).modelEvents.message : JSON.stringify(r.errors)),
        error: (err) => resolve(String((err as Error).message ?? err)),
        complete: () => resolve(null),
      },
    );
  });
  return { events, ended };
}

const moveAlias = (url: string, version: number) =>
  gql(url, `mutation { setModelAlias(modelName: "anomaly-robust-z", alias: "staging", version: ${version}) { name } }`, {}, admin);

/** Sends `query` every `everyMs` until stopped; answers each request's outcome and latency. */
function traffic(url: string, query: string, variables: Record<string, unknown> = {}, everyMs = 100) {
  const results: Array<{ ok: boolean; ms: number; error?: string }> = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const r = await gql(url, query, variables, admin);
        results.push({ ok: !r.errors, ms: performance.now() - t0, ...(r.errors ? { error: JSON.stringify(r.errors) } : {}) });
      } catch (err) {
        results.push({ ok: false, ms: performance.now() - t0, error: (err as Error).message });
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    results,
    async stop() {
      running = false;
      await loop;
      return results;
    },
  };
}

const status = async (url: string) => (await fetch(url)).status;

describe('replicas', () => {
  it('deliver a live event published through one replica to a subscription on the other', async () => {
    const [a, b] = gateways as [(typeof gateways)[0], (typeof gateways)[0]];
    const client = wsClient(a.url);
    const { events } = followModelEvents(client);
    await new Promise((r) => setTimeout(r, 300));
    expect((await moveAlias(b.url, 1)).errors).toBeUndefined();
    await waitUntil('the event on the other replica', () => events.includes('staging → version 1'), 10_000);
    await client.dispose();
  });
});

describe('Redis away for a few seconds', () => {
  it('keeps the gateway alive and answering, unready until Redis is back, then resumes live events and analyses', async () => {
    const [a, b] = gateways as [(typeof gateways)[0], (typeof gateways)[0]];
    const client = wsClient(a.url);
    const live = followModelEvents(client);
    await new Promise((r) => setTimeout(r, 300));
    // Reads PostgreSQL only (rate limits and the APQ cache, in Redis, are skipped while it is away).
    const load = traffic(a.url, '{ datasets { id name columns { name } } }');
    await new Promise((r) => setTimeout(r, 500));

    await redis.kill();
    const unready = await waitUntil('/readyz 503', async () => (await status(`${a.url}/readyz`)) === 503, 10_000);
    expect(await status(`${a.url}/healthz`)).toBe(200);
    // Signing in counts attempts in Redis: the limit fails open rather than locking everyone out.
    const login = await gql(a.url, 'mutation($p: String!) { login(username: "admin", password: $p) { token } }', { p: ADMIN_PASSWORD });
    expect(login.errors).toBeUndefined();
    // Queuing an analysis needs Redis: refused at once with a code, the job recorded FAILED, no hang.
    const refusedAt = performance.now();
    const refused = await gql(
      a.url,
      'mutation($i: RunAnalysisInput!) { runAnalysis(input: $i) { id } }',
      { i: { datasetId, column: 'revenue', timeColumn: 'month', kinds: ['TREND'] } },
      admin,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(performance.now() - refusedAt).toBeLessThan(2000);
    const failed = await gql(a.url, '{ analysisJobs(limit: 1) { status error } }', {}, admin);
    expect(failed.data?.analysisJobs?.[0]).toMatchObject({ status: 'FAILED', error: 'the analysis queue is unavailable' });
    await new Promise((r) => setTimeout(r, 2500));
    const during = load.results.length;

    await redis.start();
    const backAt = performance.now();
    await waitUntil('/readyz 200', async () => (await status(`${a.url}/readyz`)) === 200, 30_000);
    const ready = performance.now() - backAt;
    await waitUntil('replica b ready', async () => (await status(`${b.url}/readyz`)) === 200, 30_000);
    const results = await load.stop();

    const slowest = Math.max(...results.map((r) => r.ms));
    console.log(
      `Redis away: /readyz 503 after ${Math.round(unready)} ms; Redis back → /readyz 200 in ${Math.round(ready)} ms; ` +
        `${results.length} queries (${during} before Redis returned), ${results.filter((r) => !r.ok).length} failed, slowest ${Math.round(slowest)} ms`,
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(ready).toBeLessThan(5000);
    expect(a.proc.child.exitCode).toBeNull();

    // The subscription opened before the outage hears what is published after it.
    let version = 2;
    const resumed = await waitUntil(
      'the live event after the outage',
      async () => {
        if (live.events.some((e) => e.startsWith('staging → version'))) return true;
        await moveAlias(b.url, (version = 3 - version));
        return false;
      },
      15_000,
      500,
    );
    console.log(`Redis back → first live event through the old subscription after ${Math.round(resumed)} ms of trying`);
    await client.dispose();

    // An analysis queued now runs (the worker in replica a reconnected to the new Redis).
    const run = await gql(
      a.url,
      'mutation($i: RunAnalysisInput!) { runAnalysis(input: $i) { id } }',
      { i: { datasetId, column: 'revenue', timeColumn: 'month', kinds: ['TREND', 'NARRATIVE'] } },
      admin,
    );
    expect(run.errors).toBeUndefined();
    const id = run.data!.runAnalysis.id;
    await waitUntil(
      'the analysis',
      async () =>
        (await gql(a.url, 'query($id: ID!) { analysisJob(id: $id) { status } }', { id }, admin)).data!.analysisJob.status === 'SUCCEEDED',
      30_000,
      200,
    );
  }, 90_000);
});

describe('PostgreSQL restarted', () => {
  it('serves again without a gateway restart: the pools reconnect', async () => {
    const [a] = gateways as [(typeof gateways)[0]];
    const READ = '{ datasets { id name } }';
    const QUERY = 'query($i: DatasetQueryInput!) { datasetQuery(input: $i) { rowCount } }';
    const input = { i: { datasetId, dimensions: ['region'] } };
    // Every pool connection is open and idle when the server goes away.
    await Promise.all(Array.from({ length: 8 }, () => gql(a.url, QUERY, input, admin)));

    const t0 = performance.now();
    await postgres.restart();
    const restarted = performance.now() - t0;
    const back = performance.now();
    const first = await gql(a.url, READ, {}, admin);
    const firstMs = performance.now() - back;
    const query = await gql(a.url, QUERY, input, admin);
    expect(first.errors).toBeUndefined();
    expect(query.errors).toBeUndefined();
    const ready = await waitUntil('/readyz 200', async () => (await status(`${a.url}/readyz`)) === 200, 10_000);
    console.log(
      `PostgreSQL restart (pg_ctl -m fast, ${Math.round(restarted)} ms) → first query answered in ${Math.round(firstMs)} ms; /readyz 200 after ${Math.round(ready)} ms`,
    );
  }, 60_000);
});

describe('SIGTERM', () => {
  it('lets a request in flight finish, closes live connections with 1001 and exits 0 within SHUTDOWN_TIMEOUT_SECONDS', async () => {
    const b = gateways[1]!;
    const client = wsClient(b.url);
    const live = followModelEvents(client);
    await new Promise((r) => setTimeout(r, 300));

    // A slow client: the request body arrives in three parts over 1.5 s; SIGTERM comes after the first.
    const body = JSON.stringify({ query: '{ datasets { id name } }' });
    const thirds = [body.slice(0, 10), body.slice(10, 20), body.slice(20)];
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${b.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${admin}` },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      void (async () => {
        for (const part of thirds) {
          req.write(part);
          await new Promise((r) => setTimeout(r, 750));
        }
        req.end();
      })();
    });
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    b.proc.child.kill('SIGTERM');
    const [code, closeCode, response] = await Promise.all([b.proc.exited, client.closed, answer]);
    const drained = performance.now() - t0;
    console.log(`SIGTERM → in-flight request answered, WebSocket closed ${closeCode}, exit ${code} after ${Math.round(drained)} ms`);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).data.datasets[0].id).toBe(datasetId);
    expect(closeCode).toBe(1001);
    expect(code).toBe(0);
    expect(drained).toBeLessThan(SHUTDOWN_SECONDS * 1000);
    expect(await live.ended).not.toBeUndefined();
  }, 60_000);
});
