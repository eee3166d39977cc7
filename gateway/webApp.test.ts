// The web app as a browser meets it through the gateway: hashed assets cached for a year and
// compressed, the page revalidated and locked down by its headers, the app's routes answered with
// the page — and none of the gateway's own routes ever answered with it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawHttp } from '../test/support/attack.js';
import { startTestStack, type TestStack } from '../test/support/stack.js';

const PAGE = '<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd.js"></script></head><body></body></html>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(2000))});`;
const dir = mkdtempSync(path.join(tmpdir(), 'rg-web-'));
mkdirSync(path.join(dir, 'assets'));
writeFileSync(path.join(dir, 'index.html'), PAGE);
writeFileSync(path.join(dir, 'assets/index-Ab12Cd.js'), SCRIPT);
writeFileSync(path.join(dir, 'assets/index-Ab12Cd.js.gz'), gzipSync(SCRIPT));
writeFileSync(path.join(dir, 'assets/index-Ab12Cd.js.br'), brotliCompressSync(SCRIPT));
writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ WEB_APP_DIR: dir });
});
afterAll(() => stack?.stop());

const get = (p: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}${p}`, { headers: { accept: 'text/html', ...headers } });

describe('the web app at /', () => {
  it('serves the page with no-cache, a Content-Security-Policy without inline scripts, and the usual locks', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(PAGE);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('answers the page again unchanged with 304 when the browser revalidates', async () => {
    const etag = (await get('/')).headers.get('etag')!;
    // Raw: fetch() adds `Cache-Control: no-cache` to a conditional request, which forbids a 304.
    const again = await rawHttp(
      stack.url,
      `GET / HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nIf-None-Match: ${etag}\r\nConnection: close\r\n\r\n`,
    );
    expect(again).toMatch(/^HTTP\/1.1 304/);
    expect(again).not.toContain('<html>');
  });

  it('answers the app routes with the page, so a reload of /datasets/42 works', async () => {
    for (const route of ['/datasets', '/datasets/42', '/reports/abc/runs', '/admin']) {
      const res = await get(route);
      expect(res.status, route).toBe(200);
      expect(await res.text()).toBe(PAGE);
    }
  });

  it('serves hashed assets for a year, brotli or gzip as the browser accepts', async () => {
    const br = await get('/assets/index-Ab12Cd.js', { 'accept-encoding': 'gzip, br' });
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(await br.text()).toBe(SCRIPT); // fetch decodes it
    const gz = await get('/assets/index-Ab12Cd.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(Number(gz.headers.get('content-length'))).toBeLessThan(SCRIPT.length / 10);
    const plain = await rawHttp(stack.url, 'GET /assets/index-Ab12Cd.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(plain).not.toMatch(/content-encoding/i);
    expect(plain.endsWith(SCRIPT)).toBe(true);
    const icon = await get('/favicon.svg');
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing asset with 404, never with the page', async () => {
    const res = await get('/assets/index-old.js');
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<!doctype html><html><head><script');
  });

  it('never answers the gateway routes with the page', async () => {
    expect((await get('/healthz')).headers.get('content-type')).toMatch(/application\/json/);
    expect((await get('/readyz')).headers.get('content-type')).toMatch(/application\/json/);
    expect((await get('/metrics')).headers.get('content-type')).toMatch(/text\/plain/);
    for (const route of ['/api/nothing', '/api/datasets/x/csv', '/graphqlx/../graphql', '/metrics/x']) {
      expect(await (await get(route)).text(), route).not.toBe(PAGE);
    }
    const graphql = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/html, application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await graphql.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('serves only files the build produced: no path climbs out of the folder', async () => {
    for (const target of [
      '/../package.json',
      '/assets/../../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const answer = await rawHttp(stack.url, `GET ${target} HTTP/1.1\r\nHost: x\r\nAccept: */*\r\nConnection: close\r\n\r\n`);
      expect(answer, target).not.toContain('"name": "reportgraph"');
      expect(answer, target).not.toContain('root:');
    }
  });
});

describe('without a build', () => {
  it('says how to build the app instead of failing obscurely, and still serves the API', async () => {
    const bare = await startTestStack({ WEB_APP_DIR: path.join(dir, 'missing') });
    try {
      const res = await fetch(`${bare.url}/`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/npm run build:web/);
      expect((await fetch(`${bare.url}/healthz`)).status).toBe(200);
    } finally {
      await bare.stop();
    }
  });
});
