// The built web app at `/`: hashed assets cached for a year, `index.html` revalidated on every
// load (so a deploy is picked up at once), the app's own routes answered with `index.html`, and
// a Content-Security-Policy that lets the page run only its own scripts and talk only to this
// origin. The files are read into memory once at start (a few hundred KB, with the gzip and
// brotli copies the build wrote), so a request can only ever name a file the build produced.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import express from 'express';

/** Paths the gateway answers itself: never the app's `index.html`, even when nothing matched. */
const RESERVED = /^\/(graphql|api|healthz|readyz|metrics)(\/|$)/;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * The page may run only scripts from this origin (no inline script, no eval) and connect only to
 * this origin — `'self'` covers ws:/wss: to the same host (CSP Level 3) for subscriptions. Styles
 * are this origin's stylesheet; charts draw on canvas and set element styles through the CSSOM,
 * which the policy allows without 'unsafe-inline'.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

interface StaticFile {
  type: string;
  etag: string;
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

function readTree(root: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && !/\.(gz|br)$/.test(entry.name) && !entry.name.startsWith('.')) {
        const identity = readFileSync(full);
        const sibling = (ext: string) => (existsSync(`${full}${ext}`) ? readFileSync(`${full}${ext}`) : undefined);
        files.set(`/${path.relative(root, full).split(path.sep).join('/')}`, {
          type: TYPES[path.extname(entry.name)] ?? 'application/octet-stream',
          etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}"`,
          identity,
          br: sibling('.br'),
          gzip: sibling('.gz'),
        });
      }
    }
  };
  walk(root);
  return files;
}

function send(req: express.Request, res: express.Response, file: StaticFile, cacheControl: string): void {
  res.set({ 'content-type': file.type, 'cache-control': cacheControl, etag: file.etag, 'x-content-type-options': 'nosniff' });
  if (file.br || file.gzip) res.vary('accept-encoding');
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  // Brotli when the browser takes it (smaller), else gzip, else the file as built.
  const encoding =
    file.br && req.acceptsEncodings('br') === 'br' ? 'br' : file.gzip && req.acceptsEncodings('gzip') === 'gzip' ? 'gzip' : null;
  const body = encoding === 'br' ? file.br! : encoding === 'gzip' ? file.gzip! : file.identity;
  if (encoding) res.set('content-encoding', encoding);
  res.set('content-length', String(body.length));
  res.status(200).end(req.method === 'HEAD' ? undefined : body);
}

export interface WebApp {
  router: express.Router;
  /** False when the app was not built: `/` then says how to build it. */
  built: boolean;
}

/** Serves the app built into `dir` (`npm run build:web`); nothing at all when `dir` is null. */
export function webApp(dir: string | null): WebApp {
  const router = express.Router();
  if (!dir) return { router, built: false };
  const built = existsSync(path.join(dir, 'index.html')) && statSync(dir).isDirectory();
  const files = built ? readTree(dir) : new Map<string, StaticFile>();
  const index = files.get('/index.html');

  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || RESERVED.test(req.path)) return next();
    const file = files.get(req.path);
    // Hashed names change with their content: a year, and never revalidated.
    if (file && req.path.startsWith('/assets/')) return send(req, res, file, 'public, max-age=31536000, immutable');
    if (file && file !== index) return send(req, res, file, 'no-cache');
    // The app's own routes (/datasets/42) get the page; a missing file (/assets/old.js) a 404.
    if (path.posix.extname(req.path) && !file) return next();
    if (!req.accepts('html')) return next();
    if (!index) {
      res.status(503).type('text/plain').send('The web app is not built: run `npm run build:web` (npm start builds it when missing).\n');
      return;
    }
    res.set(PAGE_HEADERS);
    send(req, res, index, 'no-cache');
  });
  return { router, built };
}
