// Shared by the benchmarks: a scratch database, the single-host stack on it, a logged-in admin,
// and the generated CSV both sides of a comparison load.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { createDatabase, dropDatabase } from '../lib/db/admin.js';
import { hashPassword } from '../lib/auth/passwords.js';
import { loadConfig } from '../lib/config.js';
import { migrate } from '../lib/db/migrate.js';
import { createRuntime, type Runtime } from '../lib/runtime.js';
import { createGatewayServer } from '../gateway/server.js';
import { inProcessEndpoints } from '../gateway/topology/singleHost.js';

export const SERVER_URL = process.env.BENCH_DATABASE_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export async function scratchDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  await dropDatabase(SERVER_URL, name);
  const url = await createDatabase(SERVER_URL, name);
  return { url, drop: () => dropDatabase(SERVER_URL, name) };
}

export interface BenchStack {
  runtime: Runtime;
  url: string;
  token: string;
  stop(): Promise<void>;
}

/**
 * The single-host gateway on `databaseUrl`, production mode, with an admin signed in. `env`
 * overrides settings (a benchmark's own Redis prefix, quotas it must lift).
 */
export async function startStack(databaseUrl: string, env: Record<string, string> = {}): Promise<BenchStack> {
  await migrate(databaseUrl);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
    REDIS_KEY_PREFIX: 'rg:bench:',
    // Counted, as in production, but never refused: a benchmark measures the limiter's cost, not its verdict.
    RATE_LIMIT_OPERATIONS_PER_MINUTE: '1000000000',
    ...env,
  });
  const runtime = createRuntime(config);
  await runtime.prisma.user.create({
    data: { username: 'bench', role: 'ADMIN', passwordHash: await hashPassword('bench-password', { log2N: 14 }) },
  });
  const gateway = await createGatewayServer(runtime, inProcessEndpoints(runtime));
  const url = await gateway.listen('127.0.0.1', 0);
  const token = (await graphql(url, '', 'mutation { login(username: "bench", password: "bench-password") { token } }')).login.token;
  return {
    runtime,
    url,
    token,
    async stop() {
      await gateway.stop();
      await runtime.close();
    },
  };
}

export async function graphql(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

export const CSV_COLUMNS =
  'id bigint, at timestamptz, day date, category text, region text, amount double precision, qty bigint, paid boolean';

/** 8 columns of every type, deterministic; written once per row count and reused. */
export async function generatedCsv(rows: number): Promise<string> {
  const path = `/tmp/reportgraph-bench-${rows}.csv`;
  if (existsSync(path) && statSync(path).size > 0) return path;
  const out = createWriteStream(path);
  const categories = ['hardware', 'software', 'services', 'support', 'training', 'licenses', 'cloud', 'consulting'];
  const regions = ['North', 'South', 'East', 'West', 'Central'];
  out.write('id,at,day,category,region,amount,qty,paid\n');
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const start = Date.UTC(2022, 0, 1);
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const t = new Date(start + Math.floor(rand() * 3 * 365 * 86400_000));
    buf += `${i},${t.toISOString()},${t.toISOString().slice(0, 10)},${categories[i % 8]},${regions[Math.floor(rand() * 5)]},${(rand() * 1000).toFixed(2)},${Math.floor(rand() * 50)},${rand() < 0.5}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return path;
}

export { startProcess } from '../test/support/processes.js';
export { waitForOk as waitReady } from '../test/support/processes.js';

export interface LoadResult {
  rps: number;
  p99: number;
  errors: number;
  /** What the first failed request answered. */
  firstError?: string;
}

/**
 * Closed-loop load from a process of its own (bench/loadClient.ts), so that the load generator
 * never shares the measured server's event loop: `connections` loops for `seconds`, cycling bodies.
 */
export function load(
  url: string,
  bodies: string[],
  headers: Record<string, string>,
  connections: number,
  seconds: number,
  mustContain?: string,
): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./loadClient.ts', import.meta.url).pathname,
      JSON.stringify({ url, bodies, headers, seconds, connections, expect: mustContain }),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited ${code}`)))),
  );
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
