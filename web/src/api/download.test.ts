/// <reference types="node" />
// Node's types are for this test's HTTP server, the only web test that runs one.
// Downloads as the app makes them, against a real HTTP server answering as the gateway does: the
// file under the server's name with the Bearer token sent, coded refusals, a body cut short, a
// cancelled download.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, fetchDownload, fileNameOf, reportExportUrl } from './download.js';

describe('fileNameOf', () => {
  it('prefers the UTF-8 name, falls back to the plain one, and keeps no path', () => {
    expect(fileNameOf(`attachment; filename="_.csv"; filename*=UTF-8''%E6%9C%88%E6%8A%A5.csv`)).toBe('月报.csv');
    expect(fileNameOf('attachment; filename="Monthly revenue.xlsx"')).toBe('Monthly revenue.xlsx');
    expect(fileNameOf('attachment; filename=report.pdf')).toBe('report.pdf');
    expect(fileNameOf(`attachment; filename="a \\"b\\".csv"`)).toBe('a "b".csv');
    expect(fileNameOf(`attachment; filename="fallback.csv"; filename*=UTF-8''%E6%9C`)).toBe('fallback.csv');
    expect(fileNameOf('attachment; filename="../../etc/passwd"')).toBe('.._.._etc_passwd');
    expect(fileNameOf('attachment')).toBeNull();
    expect(fileNameOf(null)).toBeNull();
  });
});

describe('reportExportUrl', () => {
  it('names the format by extension and sends each parameter that is set, by name', () => {
    expect(reportExportUrl('t 1', 'XLSX', { region: 'North & South', year: 2025, flag: false, empty: null })).toBe(
      '/api/reports/t%201/export.xlsx?region=North+%26+South&year=2025&flag=false',
    );
    expect(reportExportUrl('t1', 'PDF', {})).toBe('/api/reports/t1/export.pdf');
  });
});

describe('fetchDownload', () => {
  let server: Server;
  let base: string;
  const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200_000, 0x20)]);
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/file.pdf': (req, res) => {
      if (req.headers.authorization !== 'Bearer good-token') {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: 'Sign in first', extensions: { code: 'UNAUTHENTICATED' } }] }));
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-length': String(PDF.length),
        'content-disposition': `attachment; filename="_.pdf"; filename*=UTF-8''%E6%9C%88%E6%8A%A5.pdf`,
      });
      // In pieces, as a network delivers it.
      res.write(PDF.subarray(0, 50_000));
      setTimeout(() => res.end(PDF.subarray(50_000)), 20);
    },
    '/busy.xlsx': (_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '5' });
      res.end(
        JSON.stringify({
          errors: [
            { message: '32 PDFs are waiting', extensions: { code: 'RATE_LIMITED', limit: 'PDF_CONCURRENCY', retryAfterSeconds: 5 } },
          ],
        }),
      );
    },
    '/proxy.csv': (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<h1>Bad gateway</h1>');
    },
    '/cut.csv': (_req, res) => {
      // Chunked, no length: the server failed mid-stream and closed the connection.
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('a,b\r\n1,2\r\n');
      setTimeout(() => res.destroy(), 30);
    },
    '/slow.csv': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('a,b\r\n');
      // never ends: the client cancels
    },
    '/unnamed.csv': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end('a\r\n1\r\n');
    },
  };

  beforeAll(async () => {
    server = createServer((req, res) => routes[req.url!]!(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const failure = async (promise: Promise<unknown>) => {
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DownloadError);
    return err as DownloadError;
  };

  it("keeps the whole file under the server's name, with the token sent and progress to the end", async () => {
    const progress: Array<[number, number | null]> = [];
    const file = await fetchDownload(`${base}/file.pdf`, {
      token: 'good-token',
      fallbackName: 'report.pdf',
      onProgress: (received, total) => progress.push([received, total]),
    });
    expect(file.name).toBe('月报.pdf');
    expect(file.blob.type).toBe('application/pdf');
    expect(Buffer.from(await file.blob.arrayBuffer()).equals(PDF)).toBe(true);
    expect(progress[0]).toEqual([0, PDF.length]);
    expect(progress.at(-1)).toEqual([PDF.length, PDF.length]);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.every(([r], i) => i === 0 || r > progress[i - 1]![0])).toBe(true);
  });

  it('names the file itself when the server does not', async () => {
    const file = await fetchDownload(`${base}/unnamed.csv`, { token: 'good-token', fallbackName: 'Monthly.csv' });
    expect(file.name).toBe('Monthly.csv');
    expect(await file.blob.text()).toBe('a\r\n1\r\n');
  });

  it("answers the server's coded refusal with its details, and a bare status when there is none", async () => {
    const busy = await failure(fetchDownload(`${base}/busy.xlsx`, { token: 'good-token', fallbackName: 'x.xlsx' }));
    expect(busy.status).toBe(429);
    expect(busy.errors).toEqual([
      { code: 'RATE_LIMITED', message: '32 PDFs are waiting', details: { limit: 'PDF_CONCURRENCY', retryAfterSeconds: 5 } },
    ]);
    const anonymous = await failure(fetchDownload(`${base}/file.pdf`, { token: 'stale', fallbackName: 'x.pdf' }));
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors[0]!.code).toBe('UNAUTHENTICATED');
    const proxy = await failure(fetchDownload(`${base}/proxy.csv`, { token: 'good-token', fallbackName: 'x.csv' }));
    expect(proxy.errors).toEqual([{ code: 'INTERNAL_SERVER_ERROR', message: 'HTTP 502', details: {} }]);
  });

  it('refuses a body that broke off, however much of it came', async () => {
    const cut = await failure(fetchDownload(`${base}/cut.csv`, { token: 'good-token', fallbackName: 'x.csv' }));
    expect(cut.errors[0]).toMatchObject({ code: 'INCOMPLETE', message: expect.stringMatching(/closed after \d+ bytes/) });
  });

  it('stops when cancelled, saying so', async () => {
    const controller = new AbortController();
    const download = fetchDownload(`${base}/slow.csv`, {
      token: 'good-token',
      fallbackName: 'x.csv',
      signal: controller.signal,
      onProgress: (received) => received > 0 && controller.abort(),
    });
    expect((await failure(download)).errors[0]!.code).toBe('ABORTED');
  });

  it('says when the server cannot be reached', async () => {
    const closed = await failure(fetchDownload('http://127.0.0.1:1/x.csv', { token: 't', fallbackName: 'x.csv' }));
    expect(closed.errors[0]!.code).toBe('NETWORK');
  });
});
