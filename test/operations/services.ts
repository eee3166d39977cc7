// Operations tests' own Redis and PostgreSQL: a redis-server and a throwaway PostgreSQL cluster on
// free ports, which a test stops, kills and restarts. The shared services are never touched.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort } from '../support/processes.js';

/** Polls `check` every `everyMs` until it answers true; fails after `timeoutMs` with `what`. */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000, everyMs = 50): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return performance.now() - t0;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

export interface PrivateRedis {
  url: string;
  /** Kills the server (SIGKILL): everything in it is lost, as in a crash without persistence. */
  kill(): Promise<void>;
  /** Starts a fresh server on the same port. */
  start(): Promise<void>;
}

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const ping = async () => {
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {}); // not started yet: connect() rejects
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } finally {
      client.disconnect();
    }
  };
  const redis: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
        {
          stdio: 'ignore',
        },
      );
      await waitUntil(`redis-server on ${port}`, ping, 10_000);
    },
    async kill() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((r) => running.once('exit', r));
      running.kill('SIGKILL');
      await exited;
    },
  };
  await redis.start();
  return redis;
}

export interface PrivatePostgres {
  /** The cluster's `postgres` database, for `databaseUrl(server, name)`. */
  serverUrl: string;
  /** `pg_ctl restart -m fast`: every connection is terminated, the server comes back. */
  restart(): Promise<void>;
  /** Stops the cluster and deletes its directory. */
  destroy(): Promise<void>;
}

/** Where Debian keeps PostgreSQL's programs (initdb and pg_ctl are not on PATH). */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  if (!version) throw new Error(`no PostgreSQL under ${root}`);
  return path.join(root, version, 'bin');
}

/**
 * A PostgreSQL cluster of its own in a temporary directory (initdb refuses root: as root it is
 * run as the `postgres` user), trust authentication, fsync off.
 */
export async function privatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-ops-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot
    ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) }
    : {};
  if (asRoot) chownSync(dir, ids.uid!, ids.gid!);
  const run = (program: string, args: string[]) => execFileSync(path.join(bin, program), args, { ...ids, stdio: 'pipe', cwd: dir });
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const ctl = (...args: string[]) => run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', ...args]);
  ctl('start');
  const serverUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  await waitUntil(`PostgreSQL on ${port}`, async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    try {
      await client.connect();
      return true;
    } finally {
      await client.end().catch(() => {});
    }
  });
  return {
    serverUrl,
    async restart() {
      ctl('-m', 'fast', 'restart');
    },
    async destroy() {
      try {
        ctl('-m', 'immediate', 'stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
