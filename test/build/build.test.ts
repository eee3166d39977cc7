// `npm run build` as a deployment uses it: the build runs, dist/ holds JavaScript and every file
// the code reads, and the single-host gateway started from dist/ with plain node (no tsx; a hook
// fails any TypeScript load) migrates, seeds and answers — the models and the web app found from
// dist/ too. The inference worker threads start from dist/ as well.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROOT, freePort, scratchDatabase, startProcess, waitForOk, type RunningProcess } from '../support/processes.js';
import { gql, processEnv } from '../support/stack.js';

const run = promisify(execFile);
const DIST = path.join(ROOT, 'dist');
/**
 * `--import`ed before a built entry point: any load of TypeScript source, of tsx or of the
 * TypeScript compiler fails the process, so the test proves dist/ runs on plain node alone.
 */
const FORBID_TYPESCRIPT = `
const FORBIDDEN = /\\/node_modules\\/(tsx|typescript|esbuild)\\/|\\.[cm]?tsx?$/;
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (FORBIDDEN.test(new URL(resolved.url).pathname)) throw new Error('dist/ loaded ' + resolved.url + ' (from ' + context.parentURL + ')');
  return resolved;
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(FORBID_TYPESCRIPT)}`)});`;
const PLAIN_NODE = ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`];
const ADMIN_PASSWORD = 'build-admin-password';

const running: RunningProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  for (const c of cleanups) await c();
});

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));

describe('npm run build', () => {
  beforeAll(async () => {
    await run('npm', ['run', '--silent', 'build'], { cwd: ROOT, timeout: 300_000 });
  }, 320_000);

  it('emits JavaScript for every part and copies what the code reads at run time', () => {
    for (const entry of [
      'gateway/main.js',
      'subgraphs/templates/main.js',
      'subgraphs/datasets/main.js',
      'subgraphs/insights/main.js',
      'subgraphs/model-registry/main.js',
      'subgraphs/insights/worker/main.js',
      'prisma/migrate.js',
      'cli/ingest.js',
      'cli/registerModels.js',
    ]) {
      expect(existsSync(path.join(DIST, entry)), entry).toBe(true);
    }
    const all = files(DIST).map((f) => path.relative(DIST, f));
    expect(all.filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(all.some((f) => f.startsWith('models/training') || f.startsWith('test/') || f.includes('.test.'))).toBe(false);
    for (const asset of [
      'subgraphs/insights/schema.graphql',
      'models/runtime/worker.mjs',
      'web/dist/index.html',
      'web/src/__generated__/persisted-query-manifest.json',
    ]) {
      expect(existsSync(path.join(DIST, asset)), asset).toBe(true);
    }
    expect(all.filter((f) => f.startsWith('prisma/migrations/') && f.endsWith('migration.sql')).length).toBeGreaterThan(0);
    expect(all.filter((f) => f.startsWith('models/artifacts/') && f.endsWith('.onnx')).length).toBeGreaterThan(0);
  });

  it('starts the single-host gateway from dist/ with plain node: ready, answering across subgraphs, serving the web app', async () => {
    const db = await scratchDatabase(inject('databaseUrl'), 'build');
    cleanups.push(db.drop);
    const port = await freePort();
    const proc = startProcess(
      'dist/gateway/main.js',
      ['single-host'],
      processEnv(db.url, ADMIN_PASSWORD, { PORT: String(port), REDIS_KEY_PREFIX: `${inject('redisKeyPrefix')}build:` }),
      {
        tsx: false,
        nodeArgs: PLAIN_NODE,
      },
    );
    running.push(proc);
    const url = `http://127.0.0.1:${port}`;
    await waitForOk(`${url}/readyz`, proc, 90_000);

    const login = await gql(url, 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
      u: 'admin',
      p: ADMIN_PASSWORD,
    });
    expect(login.errors).toBeUndefined();
    const token = login.data!.login.token as string;
    const r = await gql(url, '{ me { username } datasets { name } templates { name } models { name } }', {}, token);
    expect(r.errors).toBeUndefined();
    expect(r.data!.me).toEqual({ username: 'admin' });
    expect(r.data!.datasets).toHaveLength(1);
    expect(r.data!.templates).toHaveLength(1);
    // Seeded from dist/models/artifacts.
    expect(r.data!.models.length).toBeGreaterThan(0);

    const page = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"></div>');
    expect(proc.output()).not.toContain('dist/ loaded');
  }, 120_000);

  it('runs a model on the inference worker threads started from dist/', async () => {
    const script = `(async () => {
      const { InferenceEngine } = await import('./dist/models/runtime/engine.js');
      const engine = new InferenceEngine({ device: 'cpu', workers: 1 });
      const model = await engine.load('m', 'dist/models/artifacts/chart-recommender.onnx');
      console.log(JSON.stringify({ device: model.device, inputs: model.inputs.length }));
      await engine.close();
    })()`;
    const { stdout } = await run(process.execPath, [...PLAIN_NODE, '-e', script], { cwd: ROOT, timeout: 60_000 });
    expect(JSON.parse(stdout.trim())).toEqual({ device: 'cpu', inputs: expect.any(Number) });
  });
});
