// compose/Dockerfile read by a small parser (no Docker engine here), and what `npm run build` emits
// (tsconfig.build.json's files, in the source tree's layout under its outDir): for the tests that
// check an image runs files the build produced, where the manifests expect them.
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from './processes.js';

export interface Instruction {
  op: string;
  args: string;
}
export interface Stage {
  name: string;
  from: string;
  body: Instruction[];
}

/** Instructions (continuation lines joined, comments dropped), grouped by stage; ARGs before the first FROM resolved. */
export function parseDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, op, rest] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (!op) throw new Error(`unparsable line: ${line}`);
    const instruction = { op: op.toUpperCase(), args: rest!.replace(/\s+/g, ' ') };
    if (instruction.op === 'ARG' && stages.length === 0) {
      const [k, v = ''] = instruction.args.split('=');
      args.set(k!, v);
    } else if (instruction.op === 'FROM') {
      const [, image, name] = /^(\S+)(?: AS (\S+))?$/i.exec(instruction.args) ?? [];
      const from = image!.replace(/\$\{(\w+)\}/g, (_, k: string) => args.get(k) ?? '');
      stages.push({ name: name ?? String(stages.length), from, body: [] });
    } else {
      if (stages.length === 0) throw new Error(`${instruction.op} before FROM`);
      stages.at(-1)!.body.push(instruction);
    }
  }
  return stages;
}

/** A stage's working directory at its end: its own WORKDIRs, from the stage it starts FROM (or /). */
export function workdirOf(stages: Stage[], name: string): string {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage ${name}`);
  let dir = stages.some((s) => s.name === stage.from) ? workdirOf(stages, stage.from) : '/';
  for (const i of stage.body) if (i.op === 'WORKDIR') dir = path.posix.resolve(dir, i.args);
  return dir;
}

/**
 * Where a file of a stage's filesystem came from, following its `COPY --from=<stage>` lines back
 * to the stage that made it: { stage, path } there, or null when no COPY --from brought it.
 */
export function originOf(stages: Stage[], name: string, file: string): { stage: string; path: string } | null {
  const stage = stages.find((s) => s.name === name)!;
  const workdir = workdirOf(stages, name);
  for (const copy of stage.body.filter((i) => i.op === 'COPY').reverse()) {
    const words = copy.args.split(' ');
    const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
    const [src, dst] = words.filter((w) => !w.startsWith('--'));
    if (!from || !src || !dst || words.filter((w) => !w.startsWith('--')).length !== 2) continue;
    const target = path.posix.resolve(workdir, dst);
    if (file !== target && !file.startsWith(`${target}/`)) continue;
    const there = path.posix.join(
      path.posix.resolve(stages.some((s) => s.name === from) ? workdirOf(stages, from) : '/', src),
      file.slice(target.length),
    );
    return stages.some((s) => s.name === from)
      ? (originOf(stages, from, there) ?? { stage: from, path: there })
      : { stage: from, path: there };
  }
  return null;
}

/**
 * What `npm run build` emits (scripts/build.ts runs tsc -p tsconfig.build.json): each compiled file,
 * as a path from the repository root (dist/gateway/main.js), mapped to its source (gateway/main.ts).
 */
export function buildOutputs(): Map<string, string> {
  const file = path.join(ROOT, 'tsconfig.build.json');
  const { config, error } = ts.readConfigFile(file, (f) => ts.sys.readFile(f));
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, file);
  const { outDir, rootDir } = parsed.options;
  if (!outDir || !rootDir) throw new Error('tsconfig.build.json: no outDir or rootDir');
  const emitted = (source: string) =>
    path
      .join(outDir, path.relative(rootDir, source))
      .replace(/\.ts$/, '.js')
      .replace(/\.mts$/, '.mjs');
  return new Map(
    parsed.fileNames.filter((f) => !f.endsWith('.d.ts')).map((f) => [path.relative(ROOT, emitted(f)), path.relative(ROOT, f)]),
  );
}
