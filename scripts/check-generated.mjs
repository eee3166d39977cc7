// CI: generated code must be what the generators produce from the committed sources — the
// subgraphs' resolver types, and the web app's schema, typed operations and persisted-query
// manifest. Regenerates in place and fails when git sees a difference.
import { execFileSync } from 'node:child_process';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

run('npx', ['tsx', 'scripts/web-schema.ts']);
run('npx', ['graphql-codegen', '--config', 'codegen.yml', '--silent']);
const stale = run('git', [
  'status',
  '--porcelain',
  '--untracked-files=all',
  '--',
  'subgraphs/*/__generated__',
  'web/src/__generated__',
]).trim();
if (stale) {
  console.error(`generated code is stale; run npm run codegen and commit:\n${stale}`);
  process.exit(1);
}
console.log('generated code is fresh');
