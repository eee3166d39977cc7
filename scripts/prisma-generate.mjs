// Generates the Prisma client when schema.prisma changed since the last generation (a stamp
// holds the schema's hash), so `npm start` and `npm test` pay for it only once.
// Prisma's CLI insists on a native schema engine it cannot download here; generation does not
// use it, so it is pointed at a stub that explains itself if anything tries.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schema = path.join(root, 'prisma/schema.prisma');
const stamp = path.join(root, 'prisma/__generated__/.schema-hash');
const pkg = JSON.parse(readFileSync(path.join(root, 'node_modules/prisma/package.json'), 'utf8'));
const hash = createHash('sha256').update(readFileSync(schema)).update(pkg.version).digest('hex');

if (!process.argv.includes('--force') && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) process.exit(0);

execFileSync(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), 'generate', '--schema', schema], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'prisma/bin/schema-engine'),
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
writeFileSync(stamp, hash);
