// npm run models:build — builds (and trains) every model from code and writes, per artefact,
// models/artifacts/<name>.onnx and <name>.json (<name> is the registry name, `.v2` for a version 2) (inputs, outputs, shapes, training data digest,
// metrics). Deterministic: the same source gives the same bytes. `--if-stale` builds only when
// the sources changed since the last build (a stamp holds their hash): npm start runs it so.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTIFACTS_DIR } from './artifacts.js';
import { BUILDERS, type BuiltModel } from './builders/index.js';
import { describeModel } from './onnx/graph.js';

const MODELS_DIR = path.dirname(fileURLToPath(import.meta.url));
/** Everything the weights depend on. */
const SOURCES = ['builders', 'features', 'onnx', 'reference', 'training', '../lib/random.ts', '../lib/charts'].map((p) =>
  path.join(MODELS_DIR, p),
);
const STAMP = '.sources-sha256';

/** The metadata file written beside an artefact. */
export function metadataOf(model: BuiltModel) {
  const described = describeModel(model.bytes);
  return {
    name: model.name,
    version: model.version ?? 1,
    task: model.task,
    sha256: createHash('sha256').update(model.bytes).digest('hex'),
    sizeBytes: model.bytes.length,
    irVersion: described.irVersion,
    opset: described.opset,
    tensors: { inputs: described.inputs, outputs: described.outputs },
    ...model.metadata,
  };
}

/** sha256 over the model sources (file names and contents, test files excluded). */
export function sourcesHash(): string {
  const hash = createHash('sha256');
  const add = (file: string) => {
    if (file.endsWith('.test.ts')) return;
    hash.update(path.relative(MODELS_DIR, file)).update('\0').update(readFileSync(file));
  };
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    if (p.endsWith('.ts')) return add(p);
    for (const entry of readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = path.join(p, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.ts')) add(child);
    }
  };
  SOURCES.forEach(walk);
  return hash.digest('hex');
}

/** True when every model is built from the current sources. */
export function artifactsFresh(dir = ARTIFACTS_DIR): boolean {
  const stamp = path.join(dir, STAMP);
  return (
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === sourcesHash() &&
    Object.keys(BUILDERS).every((n) => existsSync(path.join(dir, `${n}.onnx`)))
  );
}

export function writeArtifacts(names = Object.keys(BUILDERS), dir = ARTIFACTS_DIR): Array<{ name: string; sha256: string; ms: number }> {
  mkdirSync(dir, { recursive: true });
  const results = names.map((name) => {
    const t0 = performance.now();
    const model = BUILDERS[name]!();
    const meta = metadataOf(model);
    writeFileSync(path.join(dir, `${name}.onnx`), model.bytes);
    writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(meta, null, 2)}\n`);
    return { name, sha256: meta.sha256, ms: performance.now() - t0 };
  });
  if (names.length === Object.keys(BUILDERS).length) writeFileSync(path.join(dir, STAMP), sourcesHash());
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const ifStale = args.includes('--if-stale');
  const only = args.filter((a) => !a.startsWith('--'));
  if (ifStale && artifactsFresh()) process.exit(0);
  if (ifStale) console.log('building the ONNX models (their sources changed since the last build)...');
  for (const r of writeArtifacts(only.length ? only : undefined)) {
    console.log(`${r.name.padEnd(24)} ${r.sha256.slice(0, 16)}  ${(r.ms / 1000).toFixed(1)} s`);
  }
  console.log(`artefacts in ${path.relative(process.cwd(), ARTIFACTS_DIR)}/`);
}
