// Attacks by stalling a transfer that holds a database connection: uploads that send a head and
// then nothing (each held a connection of the pool every request's metadata queries share, inside
// a transaction holding the dataset's lock, until Node's five-minute request timeout), and
// downloads nobody reads (each held a dataset-query cursor for as long as the socket stayed open).
// Uploads now write on a pool of their own (INGEST_POOL_SIZE) and both are cut after
// TRANSFER_IDLE_SECONDS without progress on the client's side.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { expectStillServes } from '../support/attack.js';
import { gql, startTestStack, unique, userWithRole, type TestStack } from '../support/stack.js';

let stack: TestStack;
let analyst: { id: string; token: string };
let viewer: { id: string; token: string };

beforeAll(async () => {
  stack = await startTestStack({ TRANSFER_IDLE_SECONDS: '1', INGEST_POOL_SIZE: '1', DATASET_QUERY_POOL_SIZE: '2' });
  [analyst, viewer] = await Promise.all([userWithRole(stack, 'ANALYST'), userWithRole(stack, 'VIEWER')]);
});
afterAll(() => stack?.stop());

/** A socket that sends `head` and then nothing, until the test ends it; `closed` settles when the server cuts it. */
function stalled(head: string) {
  const { hostname, port } = new URL(stack.url);
  const socket = net.connect(Number(port), hostname, () => socket.write(head));
  socket.on('error', () => {});
  socket.on('data', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, closed };
}

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);

describe('stalled uploads', () => {
  it('leave the API answering, are cut, write nothing, and free their connection for the next upload', async () => {
    const datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('stall'), ownerId: analyst.id } })).id;
    const rows = Array.from({ length: 1100 }, (_, i) => `${i},${i * 2}\n`).join('');
    const request =
      `POST /api/datasets/${datasetId}/csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${analyst.token}\r\n` +
      `Content-Type: text/csv\r\nContent-Length: 100000000\r\n\r\na,b\n${rows}`;
    // More than the metadata pool's ten connections.
    const uploads = Array.from({ length: 12 }, () => stalled(request));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const listed = await within(gql(stack.url, '{ datasets(limit: 1000) { id } }', {}, viewer.token), 3000, 'a list while uploads stall');
    expect(listed.errors).toBeUndefined();
    // Cut one after another (each waits for the one connection, then stalls its second): all within seconds.
    await within(Promise.all(uploads.map((u) => u.closed)), 20_000, 'cutting the stalled uploads');
    expect(await stack.runtime.prisma.datasetVersion.count({ where: { datasetId } })).toBe(0);
    const res = await fetch(`${stack.url}/api/datasets/${datasetId}/csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${analyst.token}`, 'content-type': 'text/csv' },
      body: `a,b\n${rows}`,
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { rowCount: number }).rowCount).toBe(1100);
  });
});

describe('trickled uploads', () => {
  /** Sends `head`, then `chunk` every `everyMs` until `total` bytes of chunks are sent or the server cuts it. */
  function trickle(head: string, chunk: string, everyMs: number, total: number) {
    const { hostname, port } = new URL(stack.url);
    let sent = 0;
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(head);
      timer = setInterval(() => {
        if (sent >= total || socket.destroyed) return clearInterval(timer);
        socket.write(chunk);
        sent += chunk.length;
      }, everyMs);
    });
    socket.on('error', () => {});
    socket.on('data', (d) => (answer += d.toString()));
    const closed = new Promise<string>((resolve) =>
      socket.once('close', () => {
        clearInterval(timer);
        resolve(answer);
      }),
    );
    return { socket, closed };
  }

  it('are cut when they average under TRANSFER_MIN_BYTES_PER_SECOND, though a byte comes every moment, and write nothing', async () => {
    const datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('trickle'), ownerId: analyst.id } })).id;
    const rows = Array.from({ length: 1100 }, (_, i) => `${i},${i * 2}\n`).join('');
    const head =
      `POST /api/datasets/${datasetId}/csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${analyst.token}\r\n` +
      `Content-Type: text/csv\r\nContent-Length: 100000000\r\nConnection: close\r\n\r\na,b\n${rows}`;
    // 12 bytes every 200 ms: 60 bytes a second, never a second without one, under the default 500.
    const slow = trickle(head, '1000,2000\n12', 200, 1_000_000);
    const started = Date.now();
    await within(slow.closed, 8000, 'cutting the trickled upload');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await stack.runtime.prisma.datasetVersion.count({ where: { datasetId } })).toBe(0);
  });

  it('are not cut above the minimum rate: a body sent over seconds in pieces lands', async () => {
    const datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('steady'), ownerId: analyst.id } })).id;
    const piece = Array.from({ length: 100 }, (_, i) => `${i},${i}\n`).join('');
    const pieces = 12; // one every 250 ms: three seconds, at about 2.5 KB a second
    const head =
      `POST /api/datasets/${datasetId}/csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${analyst.token}\r\n` +
      `Content-Type: text/csv\r\nContent-Length: ${4 + piece.length * pieces}\r\nConnection: close\r\n\r\na,b\n`;
    const steady = trickle(head, piece, 250, piece.length * pieces);
    const answer = await within(steady.closed, 15_000, 'the steady upload');
    expect(answer).toMatch(/^HTTP\/1\.1 201/);
    expect(await stack.runtime.prisma.datasetVersion.count({ where: { datasetId } })).toBe(1);
  });
});

describe('uploads the server keeps waiting', () => {
  it("are not cut for the server's own wait: a whole body waiting for an ingest connection lands", async () => {
    const datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('queued'), ownerId: analyst.id } })).id;
    const held = await stack.runtime.ingestPool.connect(); // the only ingest connection, busy for 2.5 s
    setTimeout(() => held.release(), 2500);
    const res = await fetch(`${stack.url}/api/datasets/${datasetId}/csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${analyst.token}`, 'content-type': 'text/csv' },
      // Past the head the server reads first (SAMPLE_ROWS lines): the rest waits, unread, with the server.
      body: `a,b\n${Array.from({ length: 20_000 }, (_, i) => `${i},${i}\n`).join('')}`,
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { rowCount: number }).rowCount).toBe(20_000);
  });
});

describe('downloads nobody reads', () => {
  it('are cut once the socket is full, their cursors released, and dataset queries go on', async () => {
    const datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('wide'), ownerId: analyst.id } })).id;
    const pad = 'x'.repeat(60);
    await createVersionFromRows(stack.runtime.pool, null, datasetId, {
      columns: [
        { name: 'id', type: 'INTEGER' },
        { name: 'note', type: 'TEXT' },
      ],
      rows: Array.from({ length: 250_000 }, (_, i) => [i, `${pad}${i}`]), // ~18 MB of CSV: more than the sockets buffer
      sourceKind: 'CSV',
    });
    const query = encodeURIComponent(JSON.stringify({ dimensions: ['id', 'note'] }));
    const request = `GET /api/datasets/${datasetId}/export.csv?query=${query} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${viewer.token}\r\n\r\n`;
    // More readers than the dataset-query pool's two connections, reading only their first bytes.
    const downloads = Array.from({ length: 3 }, () => {
      const d = stalled(request);
      d.socket.once('data', () => d.socket.pause());
      return d;
    });
    const pool = stack.runtime.queryPool;
    await within(
      (async () => {
        while (pool.totalCount === 0 || pool.idleCount < pool.totalCount || pool.waitingCount > 0)
          await new Promise((resolve) => setTimeout(resolve, 50));
      })(),
      20_000,
      'releasing the cursors of unread downloads',
    );
    const r = await within(
      gql(
        stack.url,
        'query($i: DatasetQueryInput!) { datasetQuery(input: $i) { rowCount } }',
        { i: { datasetId, measures: [{ column: 'id', agg: 'COUNT' }] } },
        viewer.token,
      ),
      5000,
      'a dataset query after the stalls',
    );
    expect(r.errors).toBeUndefined();
    for (const d of downloads) d.socket.destroy();
    await expectStillServes(stack, viewer.token);
  });
});
