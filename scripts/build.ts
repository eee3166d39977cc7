// `npm run build` (after prepare:runtime; run with tsx): compiles the run-time code with tsc
// (tsconfig.build.json) into dist/, in the source tree's layout, and copies beside it the files
// that code reads at run time, at the same relative places — so every `new URL(…, import.meta.url)`
// and every path resolved from a module's own folder finds them from dist/ too. dist/ with the
// production node_modules and package.json is all a deployment runs (`node dist/gateway/main.js`).
// Ends by checking that every relative import and `new URL('./…', import.meta.url)` in the
// emitted JavaScript names a file that exists, so a missing asset fails the build, not a start.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const require = createRequire(import.meta.url);

/** What run-time code reads from beside itself (source path → the same path under dist/). */
export const ASSETS = [
  ...['templates', 'datasets', 'insights', 'model-registry'].map((s) => `subgraphs/${s}/schema.graphql`),
  // The inference worker threads' scripts (plain JavaScript, loaded by URL).
  'models/runtime/worker.mjs',
  'models/runtime/sessions.mjs',
  'models/runtime/protocol.mjs',
  // Applied at start-up by lib/db/migrate.ts.
  'prisma/migrations',
  // The built models (npm run models:build), seeded into the registry on first start.
  'models/artifacts',
  // The web app every gateway serves, and its trusted documents.
  'web/dist',
  'web/src/__generated__/persisted-query-manifest.json',
];

const t0 = performance.now();
for (const asset of ASSETS) {
  if (!existsSync(path.join(ROOT, asset))) {
    console.error(`build: ${asset} is missing — run \`npm run build\` (which runs prepare:runtime first), not this script alone`);
    process.exit(1);
  }
}
rmSync(DIST, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], {
  cwd: ROOT,
  stdio: 'inherit',
});
for (const asset of ASSETS) {
  const target = path.join(DIST, asset);
  mkdirSync(path.dirname(target), { recursive: true });
  cpSync(path.join(ROOT, asset), target, { recursive: true });
}

/** Relative specifiers in one emitted module: static and dynamic imports, re-exports, URLs. */
const SPECIFIERS = [
  /\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g,
  /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  /\bimport\s*['"](\.{1,2}\/[^'"]+)['"]/g,
  /new URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
];
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
const missing: string[] = [];
let modules = 0;
for (const file of files(DIST).filter((f) => /\.(m?js)$/.test(f) && !f.includes(`${path.sep}web${path.sep}dist${path.sep}`))) {
  modules++;
  const text = readFileSync(file, 'utf8');
  for (const pattern of SPECIFIERS) {
    for (const [, spec] of text.matchAll(pattern)) {
      if (!existsSync(path.resolve(path.dirname(file), spec!))) missing.push(`${path.relative(ROOT, file)} → ${spec}`);
    }
  }
}
if (missing.length) {
  console.error(`build: ${missing.length} relative reference(s) in dist/ name no file:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`built dist/ (${modules} modules, ${ASSETS.length} assets) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
