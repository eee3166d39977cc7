// npm run models:register [-- NAME ...] — registers the built models (models/artifacts: run
// `npm run models:build` first) with a running gateway as new versions, with their metrics: the
// latest built version of each model named (of every model when none is).
// Credentials as for `npm run ingest` (REPORTGRAPH_URL, REPORTGRAPH_API_KEY, ...).
import { readArtifacts, type Artifact } from '../models/artifacts.js';
import { credentials, die, gatewayUrl } from './client.js';

const TOOL = 'models:register';
let built: Artifact[];
try {
  built = readArtifacts();
} catch (err) {
  die(TOOL, (err as Error).message);
}
const names = process.argv.slice(2).length ? process.argv.slice(2) : [...new Set(built.map((a) => a.name))];
const unknown = names.filter((n) => !built.some((a) => a.name === n));
if (unknown.length) die(TOOL, `unknown model(s): ${unknown.join(', ')}; built: ${built.map((a) => a.name).join(', ')}`);
const auth = await credentials(TOOL);
const latest = new Map(built.map((a) => [a.name, a])); // read in version order: the last one stays
for (const artifact of [...latest.values()].filter((a) => names.includes(a.name))) {
  const name = artifact.name;
  const query = new URLSearchParams({ task: artifact.task, metrics: JSON.stringify(artifact.metrics ?? {}) });
  const res = await fetch(`${gatewayUrl()}/api/models/${name}/versions?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...auth },
    body: artifact.bytes,
  });
  const body = (await res.json()) as { version?: number; sha256?: string; errors?: Array<{ message: string }> };
  if (!res.ok) die(TOOL, `${name}: ${body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${res.status}`}`);
  console.log(`${name.padEnd(24)} version ${body.version} (${body.sha256!.slice(0, 12)})`);
}
