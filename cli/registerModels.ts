// npm run models:register [-- NAME ...] — registers the built models (models/artifacts, built
// first when missing) with a running gateway as new versions, with their metrics.
// Credentials as for `npm run ingest` (REPORTGRAPH_URL, REPORTGRAPH_API_KEY, ...).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ARTIFACTS_DIR, writeArtifacts } from '../models/build.js';
import { BUILDERS } from '../models/builders/index.js';
import { credentials, die, gatewayUrl } from './client.js';

const TOOL = 'models:register';
const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(BUILDERS);
const unknown = names.filter((n) => !BUILDERS[n]);
if (unknown.length) die(TOOL, `unknown model(s): ${unknown.join(', ')}; known: ${Object.keys(BUILDERS).join(', ')}`);
const missing = names.filter((n) => !existsSync(path.join(ARTIFACTS_DIR, `${n}.onnx`)));
if (missing.length) {
  process.stderr.write(`building ${missing.join(', ')}...\n`);
  writeArtifacts(missing);
}
const auth = await credentials(TOOL);
for (const name of names) {
  const meta = JSON.parse(readFileSync(path.join(ARTIFACTS_DIR, `${name}.json`), 'utf8')) as { task: string; metrics?: unknown };
  const query = new URLSearchParams({ task: meta.task, metrics: JSON.stringify(meta.metrics ?? {}) });
  const res = await fetch(`${gatewayUrl()}/api/models/${name}/versions?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...auth },
    body: readFileSync(path.join(ARTIFACTS_DIR, `${name}.onnx`)),
  });
  const body = (await res.json()) as { version?: number; sha256?: string; errors?: Array<{ message: string }> };
  if (!res.ok) die(TOOL, `${name}: ${body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${res.status}`}`);
  console.log(`${name.padEnd(24)} version ${body.version} (${body.sha256!.slice(0, 12)})`);
}
