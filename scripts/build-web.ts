// Builds the web app into web/dist with Vite, then writes a brotli and a gzip copy of every text
// file beside it (the gateway serves whichever the browser accepts) and prints the first-load
// JavaScript per entry, gzipped. `--if-stale` builds only when the sources changed since the last
// build (a stamp holds their hash): `npm start` and `npm test` run it so.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'web');
const DIST = path.join(WEB, 'dist');
const STAMP = path.join(DIST, '.source-hash');
/** What the build reads: the app, its page, its config, and the versions of what it bundles. */
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => path.join(WEB, p));
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));

export function webSourcesHash(): string {
  const hash = createHash('sha256');
  for (const source of SOURCES) {
    if (!existsSync(source)) continue;
    for (const file of statSync(source).isDirectory() ? files(source) : [source]) {
      if (/\.test\.tsx?$/.test(file)) continue;
      hash.update(path.relative(WEB, file)).update('\0').update(readFileSync(file));
    }
  }
  return hash.update(readFileSync(path.join(ROOT, 'package-lock.json'))).digest('hex');
}

export const webBuildFresh = () => existsSync(STAMP) && readFileSync(STAMP, 'utf8') === webSourcesHash();

function compress(): void {
  for (const file of files(DIST)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const raw = readFileSync(file);
    writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
    writeFileSync(`${file}.br`, brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

/**
 * JavaScript a first visit downloads before the page can run: the entry module and the modules it
 * imports statically (modulepreload links), gzipped. Lazy screens and charts come later.
 */
export function firstLoadJs(dist = DIST): { files: string[]; gzipBytes: number } {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const unique = [...new Set(scripts)];
  const gzipBytes = unique.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length, 0);
  return { files: unique, gzipBytes };
}

export async function buildWeb(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  compress();
  writeFileSync(STAMP, webSourcesHash());
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  if (!(ifStale && webBuildFresh())) {
    if (ifStale) console.log('building the web app (its sources changed since the last build)...');
    const t0 = performance.now();
    await buildWeb();
    const first = firstLoadJs();
    console.log(
      `web app built into ${path.relative(process.cwd(), DIST)}/ in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
        `first-load JavaScript ${(first.gzipBytes / 1024).toFixed(1)} KB gzipped (${first.files.length} files)`,
    );
  }
}
