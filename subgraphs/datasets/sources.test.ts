// Imports from a PostgreSQL source and from REST APIs served on this machine, through the gateway.
// The PostgreSQL source is a scratch database on the test server: the application's own database
// is refused as a source, so the source tables live apart from it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { newDataset as createDataset, codes, gql, startTestStack, unique, userWithRole, type TestStack } from '../../test/support/stack.js';
import { createDatabase, dropDatabase, queryOnce } from '../../lib/db/admin.js';
import { isPrivateAddress } from '../../lib/network.js';
import { flattenRecord } from '../../lib/records.js';
import { nextLink } from './ingest/rest.js';

let stack: TestStack;
let analyst: { token: string };
let api: http.Server;
let apiUrl: string;
/** The scratch source database (not the application's) and its URL. */
const sourceDb = `rg_src_${Date.now().toString(36)}_${process.pid}`;
let sourceUrl: string;

const VERSION = 'number rowCount sourceKind columns { name type nullCount }';

beforeAll(async () => {
  stack = await startTestStack({ IMPORT_ALLOW_PRIVATE_NETWORKS: 'true', IMPORT_TIMEOUT_MS: '1000' });
  analyst = await userWithRole(stack, 'ANALYST');
  sourceUrl = await createDatabase(inject('databaseUrl'), sourceDb);
  await queryOnce(
    sourceUrl,
    `
    DROP SCHEMA IF EXISTS src CASCADE; CREATE SCHEMA src;
    CREATE TABLE src.orders (id int, placed timestamptz, day date, amount numeric(10,2), paid boolean, note text, meta jsonb);
    INSERT INTO src.orders SELECT g, timestamptz '2024-01-01 00:00Z' + g * interval '1 hour', date '2024-01-01' + g, g * 1.5, g % 2 = 0,
      CASE WHEN g % 10 = 0 THEN NULL ELSE 'n' || g END, jsonb_build_object('g', g) FROM generate_series(1, 500) g;`,
  );
  // A small REST API: pages linked with Link headers, an envelope, HTML, and a route that never answers.
  api = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/items') {
      const page = Number(url.searchParams.get('page') ?? 1);
      const items = Array.from({ length: 3 }, (_, i) => ({
        id: (page - 1) * 3 + i,
        name: `item ${i}`,
        price: 1.5 * i,
        meta: { color: 'red', size: { w: i } },
        tags: ['a'],
      }));
      if (page < 3) res.setHeader('link', `</items?page=${page + 1}>; rel="next", </items?page=1>; rel="first"`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(items));
    } else if (url.pathname === '/envelope') {
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(
        JSON.stringify({
          data: {
            rows: [
              { day: '2024-01-01', ok: true },
              { day: '2024-01-02', ok: false },
            ],
          },
        }),
      );
    } else if (url.pathname === '/html') {
      res.setHeader('content-type', 'text/html');
      res.end('<html>login</html>');
    } else if (url.pathname === '/slow') {
      // never answers
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  api?.closeAllConnections();
  api?.close();
  await stack?.stop();
  await dropDatabase(inject('databaseUrl'), sourceDb).catch(() => {});
});

const newDataset = () => createDataset(stack, analyst.token, 'src');

const PG = `mutation($id: ID!, $url: String!, $sql: String!) { importFromPostgres(datasetId: $id, connectionUrl: $url, sql: $sql) { ${VERSION} } }`;
const REST = `mutation($id: ID!, $url: String!, $path: String) { importFromRest(datasetId: $id, url: $url, recordsPath: $path) { ${VERSION} } }`;

describe('importFromPostgres', () => {
  it('streams a query result across with its column types', async () => {
    const id = await newDataset();
    const r = await gql(stack.url, PG, { id, url: sourceUrl, sql: 'SELECT * FROM src.orders WHERE id <= 400;' }, analyst.token);
    expect(r.errors).toBeUndefined();
    expect(r.data!.importFromPostgres).toEqual({
      number: 1,
      rowCount: 400,
      sourceKind: 'POSTGRES',
      columns: [
        { name: 'id', type: 'INTEGER', nullCount: 0 },
        { name: 'placed', type: 'TIMESTAMP', nullCount: 0 },
        { name: 'day', type: 'DATE', nullCount: 0 },
        { name: 'amount', type: 'FLOAT', nullCount: 0 },
        { name: 'paid', type: 'BOOLEAN', nullCount: 0 },
        { name: 'note', type: 'TEXT', nullCount: 40 },
        { name: 'meta', type: 'TEXT', nullCount: 0 },
      ],
    });
    const sum = await gql(
      stack.url,
      'query($id: ID!) { datasetQuery(input: { datasetId: $id, measures: [{ column: "amount", agg: SUM }] }) { rows } }',
      { id },
      analyst.token,
    );
    expect(sum.data!.datasetQuery.rows).toEqual([[(1.5 * (400 * 401)) / 2]]);
  });

  it('runs read-only with a time limit, and reports source errors as bad input', async () => {
    const id = await newDataset();
    const cases: Array<[string, string, RegExp]> = [
      [sourceUrl, 'SELECT pg_sleep(5)', /time limit/],
      [sourceUrl, 'SELECT * FROM src.nope', /relation "src.nope" does not exist/],
      [sourceUrl, 'SELECT 1; DROP SCHEMA src CASCADE', /syntax error/],
      [sourceUrl, 'SELECT * FROM src.orders FOR UPDATE', /tried to write; imports are read-only/],
      // One message for every connection failure: the reason (ECONNREFUSED) would tell a closed
      // port from an open one (test/attacks/imports.test.ts).
      ['postgresql://postgres@127.0.0.1:1/none', 'SELECT 1', /connectionUrl: could not connect/],
      ['mysql://x', 'SELECT 1', /must start with postgresql/],
    ];
    for (const [url, sql, message] of cases) {
      const r = await gql(stack.url, PG, { id, url, sql }, analyst.token);
      expect(codes(r), sql).toEqual(['BAD_USER_INPUT']);
      expect(r.errors![0]!.message).toMatch(message);
    }
    expect((await queryOnce(sourceUrl, 'SELECT count(*)::int AS n FROM src.orders'))[0]!.n).toBe(500);
    expect(await stack.runtime.prisma.datasetVersion.count({ where: { datasetId: id } })).toBe(0);
  });
});

describe('importFromRest', () => {
  it('follows Link pagination and flattens nested objects', async () => {
    const id = await newDataset();
    const r = await gql(stack.url, REST, { id, url: `${apiUrl}/items` }, analyst.token);
    expect(r.errors).toBeUndefined();
    expect(r.data!.importFromRest).toMatchObject({ rowCount: 9, sourceKind: 'REST' });
    expect(r.data!.importFromRest.columns.map((c: { name: string; type: string }) => [c.name, c.type])).toEqual([
      ['id', 'INTEGER'],
      ['name', 'TEXT'],
      ['price', 'FLOAT'],
      ['meta.color', 'TEXT'],
      ['meta.size.w', 'INTEGER'],
      ['tags', 'TEXT'],
    ]);
  });

  it('reads the records at recordsPath', async () => {
    const r = await gql(stack.url, REST, { id: await newDataset(), url: `${apiUrl}/envelope`, path: 'data.rows' }, analyst.token);
    expect(r.data!.importFromRest.columns).toEqual([
      { name: 'day', type: 'DATE', nullCount: 0 },
      { name: 'ok', type: 'BOOLEAN', nullCount: 0 },
    ]);
  });

  it('refuses HTML, timeouts, missing arrays and bad URLs, writing nothing', async () => {
    const id = await newDataset();
    const cases: Array<[string, string | null, RegExp]> = [
      [`${apiUrl}/html`, null, /returned text\/html, not JSON/],
      [`${apiUrl}/slow`, null, /did not answer in time/],
      [`${apiUrl}/envelope`, null, /not a JSON array; give recordsPath/],
      [`${apiUrl}/envelope`, 'data.nope', /"data.nope" is not an array/],
      [`${apiUrl}/missing`, null, /HTTP 404/],
      ['ftp://example.com/x', null, /must be http or https/],
    ];
    for (const [url, path, message] of cases) {
      const r = await gql(stack.url, REST, { id, url, path }, analyst.token);
      expect(codes(r), url).toEqual(['BAD_USER_INPUT']);
      expect(r.errors![0]!.message).toMatch(message);
    }
    expect(await stack.runtime.prisma.datasetVersion.count({ where: { datasetId: id } })).toBe(0);
  });

  it('refuses private-network targets unless configured', async () => {
    const strict = await startTestStack();
    try {
      const r = await gql(
        strict.url,
        'mutation($n: String!) { createDataset(input: { name: $n }) { id } }',
        { n: unique('strict') },
        analyst.token,
      );
      for (const url of [`${apiUrl}/items`, 'http://169.254.169.254/latest/meta-data', 'http://localhost:9/x', 'http://[::1]:9/x']) {
        const refused = await gql(strict.url, REST, { id: r.data!.createDataset.id, url }, analyst.token);
        expect(refused.errors![0]!.message, url).toMatch(/private/);
      }
    } finally {
      await strict.stop();
    }
  });
});

describe('REST helpers', () => {
  it('classify addresses, parse Link headers and flatten records', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:10.0.0.1'])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '2001:4860:4860::8888']) expect(isPrivateAddress(a), a).toBe(false);
    expect(
      nextLink(
        '<https://a.example/p?page=2>; rel="next", <https://a.example/p?page=9>; rel="last"',
        new URL('https://a.example/p'),
      )?.toString(),
    ).toBe('https://a.example/p?page=2');
    expect(nextLink('</x?page=1>; rel="prev"', new URL('https://a.example/p'))).toBeNull();
    expect(flattenRecord({ a: { b: { c: 1 } }, d: [1, 2], e: null })).toEqual({ 'a.b.c': 1, d: [1, 2], e: null });
  });
});
