// compose/Dockerfile read by a small parser (no Docker engine here): its stages and what each
// holds, the runtime's user, init, health check and command, the GPU worker's base and CUDA
// install, and .dockerignore keeping generated files out of the build context.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOutputs, parseDockerfile, type Stage } from '../support/dockerfile.js';
import { ROOT } from '../support/processes.js';

const stages = parseDockerfile(readFileSync(path.join(ROOT, 'compose/Dockerfile'), 'utf8'));
const stage = (name: string) => stages.find((s) => s.name === name)!;
const all = (s: Stage, op: string) => s.body.filter((i) => i.op === op).map((i) => i.args);
const last = (s: Stage, op: string) => all(s, op).at(-1);
const json = (args: string | undefined) => JSON.parse(args ?? 'null') as string[];

describe('compose/Dockerfile', () => {
  it('builds in stages: dependencies, build, production dependencies, and the runtime as the default (last) target', () => {
    expect(stages.map((s) => s.name)).toEqual(expect.arrayContaining(['deps', 'build', 'prod-deps', 'runtime', 'worker-gpu']));
    expect(stages.at(-1)!.name).toBe('runtime');
    expect(all(stage('deps'), 'RUN').join('\n')).toMatch(/npm ci\b/);
    expect(stage('build').from).toBe('deps');
    expect(all(stage('build'), 'RUN')).toEqual(['npm run build']);
    expect(all(stage('prod-deps'), 'RUN').join('\n')).toMatch(/npm ci --omit=dev --omit=optional/);
    // Node 20 (package.json's engines), slim Debian.
    expect(stage('runtime').from).toMatch(/^node:20[.\d]*-bookworm-slim$/);
  });

  it('runtime: only dist/, production node_modules and package.json; non-root; tini as PID 1; a node health check; node on dist/', () => {
    const runtime = stage('runtime');
    const copies = all(runtime, 'COPY').map((c) => c.replace(/--chown=\S+ /, ''));
    expect(copies.sort()).toEqual(
      ['--from=build /app/dist ./dist', '--from=build /app/package.json ./', '--from=prod-deps /app/node_modules ./node_modules'].sort(),
    );
    expect(last(runtime, 'USER')).toBe('node');
    expect(all(runtime, 'RUN').join('\n')).toMatch(/apt-get install[^\n]*\btini\b/);
    expect(json(last(runtime, 'ENTRYPOINT'))).toEqual(['/usr/bin/tini', '--']);
    const health = last(runtime, 'HEALTHCHECK')!;
    expect(health).toMatch(/CMD \["node", "-e", ".*\/healthz/);
    expect(health).not.toMatch(/curl|wget/);
    expect(all(runtime, 'ENV').join(' ')).toMatch(/NODE_ENV=production/);
    const cmd = json(last(runtime, 'CMD'));
    expect(cmd).toEqual(['node', 'dist/gateway/main.js', 'distributed']);
  });

  it('worker-gpu: CUDA 12 with cuDNN 9 on Ubuntu 22.04, onnxruntime-node with its CUDA provider, the worker on ONNX_DEVICE=cuda', () => {
    const gpu = stage('worker-gpu');
    const deps = stage('worker-gpu-deps');
    for (const s of [gpu, deps]) expect(s.from).toMatch(/^nvidia\/cuda:12\.\d+\.\d+-cudnn-runtime-ubuntu22\.04$/);
    expect(all(deps, 'RUN').join('\n')).toMatch(/ONNXRUNTIME_NODE_INSTALL=cuda12 npm ci --omit=dev --omit=optional/);
    expect(all(gpu, 'COPY').join('\n')).toContain('/usr/local/bin/node');
    expect(all(gpu, 'ENV').join(' ')).toMatch(/ONNX_DEVICE=cuda/);
    expect(last(gpu, 'USER')).toBe('node');
    expect(json(last(gpu, 'ENTRYPOINT'))).toEqual(['/usr/bin/tini', '--']);
    expect(last(gpu, 'HEALTHCHECK')).toMatch(/\/healthz/);
    expect(json(last(gpu, 'CMD'))).toEqual(['node', 'dist/subgraphs/insights/worker/main.js']);
  });

  it('runs commands that exist: each CMD runs a file npm run build emits, from its source', () => {
    const outputs = buildOutputs();
    for (const s of stages) {
      const cmd = json(last(s, 'CMD') ?? 'null');
      if (!cmd) continue;
      const source = outputs.get(cmd[1]!);
      expect(source, `${s.name}: ${cmd[1]} is no output of tsconfig.build.json`).toBeDefined();
      expect(existsSync(path.join(ROOT, source!)), `${s.name}: ${source}`).toBe(true);
    }
  });

  it('is built from a context without generated files or secrets (.dockerignore)', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', '.git', 'prisma/__generated__', 'models/artifacts', 'web/dist', '.env']) {
      expect(ignored).toContain(entry);
    }
  });

  it('parses what it reads, and fails on what it cannot', () => {
    expect(() => parseDockerfile('RUN true')).toThrow('RUN before FROM');
    expect(parseDockerfile('ARG B=x:1\nFROM ${B} AS a\nRUN a \\\n  b')).toEqual([
      { name: 'a', from: 'x:1', body: [{ op: 'RUN', args: 'a b' }] },
    ]);
  });
});
