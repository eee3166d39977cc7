// npm run models:build — builds (and trains) every model from code and writes, per model,
// models/artifacts/<name>.onnx and <name>.json (inputs, outputs, shapes, training data digest,
// metrics). Deterministic: the same source gives the same bytes.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILDERS, type BuiltModel } from './builders/index.js';
import { describeModel } from './onnx/graph.js';

export const ARTIFACTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');

/** The metadata file written beside an artefact. */
export function metadataOf(model: BuiltModel) {
  const described = describeModel(model.bytes);
  return {
    name: model.name,
    task: model.task,
    sha256: createHash('sha256').update(model.bytes).digest('hex'),
    sizeBytes: model.bytes.length,
    irVersion: described.irVersion,
    opset: described.opset,
    tensors: { inputs: described.inputs, outputs: described.outputs },
    ...model.metadata,
  };
}

export function writeArtifacts(names = Object.keys(BUILDERS), dir = ARTIFACTS_DIR): Array<{ name: string; sha256: string; ms: number }> {
  mkdirSync(dir, { recursive: true });
  return names.map((name) => {
    const t0 = performance.now();
    const model = BUILDERS[name]!();
    const meta = metadataOf(model);
    writeFileSync(path.join(dir, `${name}.onnx`), model.bytes);
    writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(meta, null, 2)}\n`);
    return { name, sha256: meta.sha256, ms: performance.now() - t0 };
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const only = process.argv.slice(2);
  for (const r of writeArtifacts(only.length ? only : undefined)) {
    console.log(`${r.name.padEnd(24)} ${r.sha256.slice(0, 16)}  ${(r.ms / 1000).toFixed(1)} s`);
  }
  console.log(`artefacts in ${path.relative(process.cwd(), ARTIFACTS_DIR)}/`);
}
