// Test support for end-to-end runs: real processes started the way an operator starts them.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseUrl, dropDatabase } from '../../lib/db/admin.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx <entry> ...args` from the project root with `env` on top of a clean
 * environment: one process (signals and /proc reach the program itself), `nodeArgs` before the
 * entry (e.g. `--cpu-prof`). `tsx: false` runs built JavaScript (dist/) with plain node.
 */
export function startProcess(
  entry: string,
  args: string[],
  env: Record<string, string>,
  { nodeArgs = [], tsx = true }: { nodeArgs?: string[]; tsx?: boolean } = {},
): RunningProcess {
  const child = spawn(process.execPath, [...nodeArgs, ...(tsx ? ['--import', 'tsx'] : []), entry, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200, failing with the process output if it dies or times out. */
export async function waitForOk(url: string, proc: RunningProcess | RunningProcess[], timeoutMs = 60_000): Promise<void> {
  const procs = Array.isArray(proc) ? proc : [proc];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = procs.find((p) => p.child.exitCode !== null);
    if (dead) throw new Error(`process exited early:\n${dead.output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no 200 from ${url} within ${timeoutMs} ms:\n${procs.map((p) => p.output()).join('\n---\n')}`);
}

/** The name of a scratch database beside `baseUrl`'s, not created: `npm start` creates it. */
export async function scratchDatabase(baseUrl: string, suffix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${new URL(baseUrl).pathname.slice(1)}_${suffix}`;
  await dropDatabase(baseUrl, name);
  return { url: databaseUrl(baseUrl, name), drop: () => dropDatabase(baseUrl, name) };
}
