// Start-up time of every part, built (`node dist/…`, what the images run) against TypeScript run
// through tsx (`node --import tsx …`, what `npm start` runs), in the same run on the same
// database: spawn → the part is ready — /readyz answers 200 (the gateway in either topology, each
// subgraph), or the worker logs that it takes jobs. A few repetitions, alternating which mode goes
// first; the median and the fastest of each are printed with the ratio tsx / dist.
//   npm run bench:startup        (builds dist/ first; BENCH_REPS=3)
// tsx keeps a cache of compiled files between runs: the tsx figures are its warm (best) case.
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.js';
import { freePort, ROOT } from '../test/support/processes.js';
import { median, scratchDatabase } from './support.js';

const REPS = Number(process.env.BENCH_REPS ?? 3);
const PASSWORD = 'bench-admin-password';
type Mode = 'dist' | 'tsx';

const db = await scratchDatabase('rg_bench_startup');
const gatewayPort = await freePort();
const subgraphPorts = Object.fromEntries(await Promise.all(SUBGRAPH_NAMES.map(async (n) => [n, await freePort()] as const))) as Record<
  SubgraphName,
  number
>;
const env = {
  PATH: process.env.PATH!,
  HOME: process.env.HOME ?? '/tmp',
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  DATABASE_URL: db.url,
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: 'rg:bench-startup:',
  JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
  ADMIN_PASSWORD: PASSWORD,
  HOST: '127.0.0.1',
  PORT: String(gatewayPort),
  TEMPLATES_URL: `http://127.0.0.1:${subgraphPorts.templates}/graphql`,
  DATASETS_URL: `http://127.0.0.1:${subgraphPorts.datasets}/graphql`,
  INSIGHTS_URL: `http://127.0.0.1:${subgraphPorts.insights}/graphql`,
  MODEL_REGISTRY_URL: `http://127.0.0.1:${subgraphPorts['model-registry']}/graphql`,
};

interface Part {
  name: string;
  /** The entry point without its extension, e.g. `gateway/main`. */
  entry: string;
  args: string[];
  /** Ready: /readyz on this port answers 200, or (no port) this line is logged. */
  port?: number;
  log?: string;
}

const singleHost: Part = { name: 'gateway (single host)', entry: 'gateway/main', args: ['single-host'], port: gatewayPort };
const subgraphs: Part[] = SUBGRAPH_NAMES.map((n) => ({
  name: `subgraph ${n}`,
  entry: `subgraphs/${n}/main`,
  args: [],
  port: subgraphPorts[n],
}));
const distributed: Part = { name: 'gateway (distributed)', entry: 'gateway/main', args: ['distributed'], port: gatewayPort };
const worker: Part = { name: 'worker', entry: 'subgraphs/insights/worker/main', args: [], log: 'analysis worker started' };

interface Started {
  child: ChildProcess;
  ms: number;
}

/** Spawns `part` and resolves once it is ready, with the milliseconds from spawn. */
async function start(part: Part, mode: Mode): Promise<Started> {
  const argv = mode === 'dist' ? [`dist/${part.entry}.js`] : ['--import', 'tsx', `${part.entry}.ts`];
  const t0 = performance.now();
  const child = spawn(process.execPath, [...argv, ...part.args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let logged = false;
  const collect = (d: Buffer) => {
    output += d;
    if (part.log && output.includes(part.log)) logged = true;
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const deadline = t0 + 120_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${part.name} (${mode}) exited early:\n${output}`);
    if (part.log ? logged : await ok(part.port!)) return { child, ms: performance.now() - t0 };
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  throw new Error(`${part.name} (${mode}) was not ready within 120 s:\n${output}`);
}

async function ok(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
  } catch {
    return false;
  }
}

async function stop(...procs: Started[]): Promise<void> {
  await Promise.all(
    procs.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

const times = new Map<string, Record<Mode, number[]>>();
const note = (part: Part, mode: Mode, ms: number) => {
  const entry = times.get(part.name) ?? { dist: [], tsx: [] };
  entry[mode].push(ms);
  times.set(part.name, entry);
};

/** One repetition of every part in `mode`: single host, then each subgraph and the distributed gateway over them, then the worker. */
async function round(mode: Mode): Promise<void> {
  const single = await start(singleHost, mode);
  note(singleHost, mode, single.ms);
  await stop(single);
  const running: Started[] = [];
  try {
    for (const part of subgraphs) {
      const s = await start(part, mode);
      running.push(s);
      note(part, mode, s.ms);
    }
    const gateway = await start(distributed, mode);
    running.push(gateway);
    note(distributed, mode, gateway.ms);
  } finally {
    await stop(...running);
  }
  const w = await start(worker, mode);
  note(worker, mode, w.ms);
  await stop(w);
}

try {
  // The first start migrates the empty database and creates the admin; it is not timed. Then one
  // untimed round per mode warms the file system cache and tsx's compile cache.
  await stop(await start(singleHost, 'dist'));
  await round('tsx');
  await round('dist');
  times.clear();
  for (let rep = 0; rep < REPS; rep++) {
    for (const mode of (rep % 2 ? ['tsx', 'dist'] : ['dist', 'tsx']) as Mode[]) await round(mode);
  }
  const ms = (x: number) => `${Math.round(x)} ms`;
  const rows = [...times].map(([name, t]) => ({
    part: name,
    'dist (node) median': ms(median(t.dist)),
    'tsx median': ms(median(t.tsx)),
    'tsx / dist': `${(median(t.tsx) / median(t.dist)).toFixed(2)}×`,
    'dist min': ms(Math.min(...t.dist)),
    'tsx min': ms(Math.min(...t.tsx)),
  }));
  console.log(`start-up, spawn → ready, ${REPS} repetitions (median and fastest), Node ${process.version}`);
  console.table(rows);
} finally {
  await db.drop();
  // The parts' keys (queues, rate limits) under the bench's prefix.
  const redis = new Redis(env.REDIS_URL);
  const keys = await redis.keys(`${env.REDIS_KEY_PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}
