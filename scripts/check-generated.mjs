// CI: generated code must be what the generators produce from the committed sources.
// Regenerates in place and fails when git sees a difference.
import { execFileSync } from 'node:child_process';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

run('npx', ['graphql-codegen', '--config', 'codegen.yml', '--silent']);
const stale = run('git', ['status', '--porcelain', '--', 'subgraphs/*/__generated__']).trim();
if (stale) {
  console.error(`generated resolver types are stale; run npm run codegen and commit:\n${stale}`);
  process.exit(1);
}
console.log('generated code is fresh');
