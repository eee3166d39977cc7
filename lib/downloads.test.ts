// A streamed download through a real Express route, as the export routes send one: a failure
// before the first chunk is answered with its code (and no file name), one after it cuts the
// connection, and a client that leaves halfway closes the source (its cursor).
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentDisposition, downloadHeaders, sendChunks } from './downloads.js';
import { badInput } from './errors.js';
import { failStream } from './graphql/httpErrors.js';
import { createLogger } from './logger.js';

const logger = createLogger({ logLevel: 'silent' });
let closed = 0;
let base: string;
let server: ReturnType<ReturnType<typeof express>['listen']>;

async function* chunks(kind: string): AsyncGenerator<string> {
  try {
    if (kind === 'early') throw badInput('the result has more than 100 rows (EXPORT_MAX_ROWS)', { limit: 'EXPORT_MAX_ROWS' });
    yield 'a,b\r\n';
    if (kind === 'late') throw badInput('the result has more than 100 rows (EXPORT_MAX_ROWS)', { limit: 'EXPORT_MAX_ROWS' });
    for (let i = 0; kind === 'endless' || i < 3; i++) {
      yield `${i},${i * 2}\r\n`.repeat(2000);
      await sleep(1);
    }
  } finally {
    closed++;
  }
}

beforeAll(async () => {
  const app = express();
  app.get('/:kind.csv', async (req, res) => {
    try {
      res.status(200).set(downloadHeaders('report.csv', 'csv'));
      await sendChunks(res, chunks(req.params.kind));
    } catch (err) {
      failStream(res, err, { logger, exposeDetails: false });
    }
  });
  await new Promise<void>((resolve) => (server = app.listen(0, '127.0.0.1', () => resolve())));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('sendChunks', () => {
  it('sends every chunk under the download headers', async () => {
    const res = await fetch(`${base}/whole.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(contentDisposition('report.csv'));
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe('a,b');
    expect(lines).toHaveLength(1 + 3 * 2000 + 1);
  });

  it('answers a failure before the first chunk with its code, not as a file', async () => {
    const res = await fetch(`${base}/early.csv`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-disposition')).toBeNull();
    expect(await res.json()).toEqual({
      errors: [
        {
          message: 'the result has more than 100 rows (EXPORT_MAX_ROWS)',
          extensions: { code: 'BAD_USER_INPUT', limit: 'EXPORT_MAX_ROWS' },
        },
      ],
    });
  });

  it('cuts the connection on a failure after the first chunk: never a short file that looks whole', async () => {
    const res = await fetch(`${base}/late.csv`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('closes the source when the client leaves halfway', async () => {
    const before = closed;
    const abort = new AbortController();
    const res = await fetch(`${base}/endless.csv`, { signal: abort.signal });
    await res.body!.getReader().read();
    abort.abort();
    await expect.poll(() => closed, { timeout: 5000 }).toBe(before + 1);
  });
});
