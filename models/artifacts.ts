// The built models as run-time code sees them: files in models/artifacts/, written once by
// `npm run models:build` (npm start and the image build run it when the sources changed), never
// trained inside a serving process.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelTask } from '../lib/prisma.js';

export const ARTIFACTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');

export interface Artifact {
  /** Registry name. */
  name: string;
  /** The registry version it is seeded as (several artefacts may share a name). */
  version: number;
  task: ModelTask;
  bytes: Uint8Array;
  metrics: unknown;
}

export class ArtifactsMissingError extends Error {
  constructor(dir: string) {
    super(`no built models in ${dir}: run npm run models:build`);
    this.name = 'ArtifactsMissingError';
  }
}

/** Every built model (`<file>.onnx` with its `<file>.json`), by registry name and version. */
export function readArtifacts(dir = ARTIFACTS_DIR): Artifact[] {
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.onnx'))
        .sort()
    : [];
  if (files.length === 0) throw new ArtifactsMissingError(dir);
  return files
    .map((file) => {
      const stem = file.slice(0, -'.onnx'.length);
      const meta = JSON.parse(readFileSync(path.join(dir, `${stem}.json`), 'utf8')) as {
        name?: string;
        version?: number;
        task: ModelTask;
        metrics?: unknown;
      };
      return {
        name: meta.name ?? stem,
        version: meta.version ?? 1,
        task: meta.task,
        metrics: meta.metrics ?? null,
        bytes: new Uint8Array(readFileSync(path.join(dir, file))),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
}
