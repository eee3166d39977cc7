// Attacks on the dataset importers, through the gateway as an ANALYST would make them: every one
// is refused with BAD_USER_INPUT naming the field, writes nothing (no DatasetVersion, no table in
// schema "data"), leaks nothing secret in its message, and leaves the server serving.
// `open` allows private networks (the sources below live on 127.0.0.1); `strict` is the default.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createDatabase, dropDatabase, queryOnce } from '../../lib/db/admin.js';
import {
  newDataset as createDataset,
  codes,
  gql,
  startTestStack,
  userWithRole,
  type GraphQLResult,
  type TestStack,
} from '../support/stack.js';

let open: TestStack;
let strict: TestStack;
let analyst: { token: string };
let api: http.Server;
let apiUrl: string;

const appUrl = () => new URL(inject('databaseUrl'));
const appDatabase = () => decodeURIComponent(appUrl().pathname.slice(1));
/** A source database on the test server that is not the application's. */
const scratchDb = `rg_attack_${Date.now().toString(36)}_${process.pid}`;
let scratchUrl: string;
const MAX_BYTES = 8 * 1024 ** 2;

/** Records with 100,000 distinct keys each: 1,600 columns is all PostgreSQL takes. */
const wideRecords = () => {
  const record = `{${Array.from({ length: 100_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`;
  return `[${record},${record},${record}]`;
};
const deepRecord = (depth: number) => `[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]`;

beforeAll(async () => {
  const limits = { IMPORT_TIMEOUT_MS: '1500', IMPORT_MAX_BYTES: String(MAX_BYTES) };
  [open, strict] = await Promise.all([startTestStack({ ...limits, IMPORT_ALLOW_PRIVATE_NETWORKS: 'true' }), startTestStack(limits)]);
  analyst = await userWithRole(open, 'ANALYST');
  scratchUrl = await createDatabase(inject('databaseUrl'), scratchDb);
  await queryOnce(scratchUrl, 'CREATE TABLE x (id int); INSERT INTO x VALUES (1), (2), (3);');
  const wide = wideRecords();
  api = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/wide') res.end(wide);
    else if (req.url === '/deep') res.end(deepRecord(10_000));
    else res.end(JSON.stringify([{ id: 1, name: 'a' }]));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  api?.closeAllConnections();
  api?.close();
  await Promise.all([open?.stop(), strict?.stop()]);
  await dropDatabase(inject('databaseUrl'), scratchDb).catch(() => {});
});

const PG = `mutation($id: ID!, $url: String!, $sql: String!) {
  importFromPostgres(datasetId: $id, connectionUrl: $url, sql: $sql) { id rowCount source } }`;
const REST = `mutation($id: ID!, $url: String!) { importFromRest(datasetId: $id, url: $url) { id rowCount source } }`;

const newDataset = (stack: TestStack) => createDataset(stack, analyst.token, 'attack');

/** Runs one import as the analyst, on a dataset of its own. */
async function importing(stack: TestStack, kind: 'pg' | 'rest', variables: Record<string, string>) {
  const id = await newDataset(stack);
  const result = await gql(stack.url, kind === 'pg' ? PG : REST, { id, ...variables }, analyst.token);
  return { id, result };
}

/** Words an error must never carry: server banners, socket errors, the application's secrets. */
const ALWAYS_SECRET = ['SSH-2.0', 'ECONNREFUSED', 'ECONNRESET', 'passwordHash', '$scrypt', 'password authentication'];

/** The whole refusal a client gets: coded error naming the field, nothing written, nothing leaked, still serving. */
async function expectRefused(
  stack: TestStack,
  { id, result }: { id: string; result: GraphQLResult },
  field: string,
  { message, secrets = [] }: { message?: RegExp; secrets?: string[] } = {},
) {
  expect(codes(result), JSON.stringify(result.errors)).toEqual(['BAD_USER_INPUT']);
  const error = result.errors![0]!;
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  if (message) expect(error.message).toMatch(message);
  for (const secret of [...ALWAYS_SECRET, ...secrets]) expect(error.message).not.toContain(secret);
  expect(await stack.runtime.prisma.datasetVersion.count({ where: { datasetId: id } })).toBe(0);
  const { rows } = await stack.runtime.pool.query(
    `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'data' AND tablename LIKE $1`,
    [`ds_${id.replace(/-/g, '')}_%`],
  );
  expect(rows[0].n).toBe(0);
  const after = await gql(stack.url, '{ me { username } datasets(limit: 1) { id } }', {}, analyst.token);
  expect(after.errors).toBeUndefined();
  expect(after.data!.me.username).toBeTruthy();
}

/** A local TCP server: `onSocket` decides what a connecting client meets. */
async function tcpServer(onSocket: (socket: net.Socket) => void): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = await tcpServer(() => {});
  server.close();
  return server.port;
}

const appServerUrl = (host: string, port = appUrl().port || '5432', database = appDatabase()) =>
  `postgresql://postgres@${host}:${port}/${encodeURIComponent(database)}`;

describe('importFromPostgres', () => {
  it('refuses to read the application database ("User"."passwordHash") even with private networks allowed', async () => {
    for (const host of [appUrl().hostname, 'localhost', '0.0.0.0', '[::ffff:127.0.0.1]', '[::1]']) {
      const attempt = await importing(open, 'pg', { url: appServerUrl(host), sql: 'SELECT username, "passwordHash" FROM "User"' });
      await expectRefused(open, attempt, 'connectionUrl', { message: /application's own database/ });
    }
  });

  it('refuses the application database behind a TCP forwarder (by server fingerprint)', async () => {
    const forwarder = await tcpServer((socket) => {
      const upstream = net.connect(Number(appUrl().port || 5432), appUrl().hostname);
      upstream.on('error', () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
    });
    try {
      const attempt = await importing(open, 'pg', {
        url: appServerUrl('127.0.0.1', String(forwarder.port)),
        sql: 'SELECT "passwordHash" FROM "User"',
      });
      await expectRefused(open, attempt, 'connectionUrl', { message: /application's own database/ });
    } finally {
      forwarder.close();
    }
  });

  it('refuses private and loopback addresses however they are written, when private networks are off', async () => {
    const hosts = [
      '127.0.0.1',
      'localhost',
      '0x7f000001',
      '2130706433',
      '[::ffff:127.0.0.1]',
      '[::1]',
      '0.0.0.0',
      '169.254.169.254',
      '10.0.0.1',
    ];
    for (const host of hosts) {
      const attempt = await importing(strict, 'pg', { url: `postgresql://postgres@${host}:5432/${scratchDb}`, sql: 'SELECT 1' });
      await expectRefused(strict, attempt, 'connectionUrl', { message: /private address/ });
    }
  });

  it('cannot tell a closed port from an open one that is not PostgreSQL (no port scanning)', async () => {
    const banner = await tcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6 internal-build-7\r\n'));
    const silentClose = await tcpServer((socket) => socket.destroy());
    try {
      for (const sslmode of ['', '?sslmode=require']) {
        const messages: string[] = [];
        for (const port of [await closedPort(), banner.port, silentClose.port]) {
          const attempt = await importing(open, 'pg', {
            url: `postgresql://scan:s3cret-pw@127.0.0.1:${port}/x${sslmode}`,
            sql: 'SELECT 1',
          });
          await expectRefused(open, attempt, 'connectionUrl', { message: /could not connect/, secrets: ['s3cret-pw', 'internal-build'] });
          messages.push(attempt.result.errors![0]!.message);
        }
        expect(new Set(messages).size, sslmode).toBe(1);
      }
    } finally {
      banner.close();
      silentClose.close();
    }
  });

  it('refuses unix sockets: an empty host, a socket path, an escaped path, a host parameter', async () => {
    const urls = [
      'postgresql:///postgres',
      'postgresql://postgres@%2Fvar%2Frun%2Fpostgresql/postgres',
      'postgres://postgres@/var/run/postgresql:5432/postgres',
      `postgresql://postgres@127.0.0.1/postgres?host=/var/run/postgresql`,
      'postgresql://postgres@db1,db2/postgres',
    ];
    for (const url of urls) {
      const attempt = await importing(open, 'pg', { url, sql: 'SELECT 1' });
      await expectRefused(open, attempt, 'connectionUrl');
    }
  });

  it('refuses libpq options that read server files or change the session, naming the parameter', async () => {
    const parameters: Array<[string, string]> = [
      ['sslrootcert', '/etc/passwd'],
      ['sslkey', '/etc/shadow'],
      ['sslcert', '/root/.postgresql/postgresql.crt'],
      ['sslcrl', '/etc/passwd'],
      ['sslpassword', 'x'],
      ['passfile', '/root/.pgpass'],
      ['service', 'production'],
      ['options', '-c default_transaction_read_only=off'],
      ['hostaddr', '10.0.0.1'],
      ['target_session_attrs', 'read-write'],
      ['password', 'p'],
    ];
    for (const [name, value] of parameters) {
      const url = `postgresql://postgres@127.0.0.1:${appUrl().port || 5432}/${scratchDb}?${name}=${encodeURIComponent(value)}`;
      const attempt = await importing(open, 'pg', { url, sql: 'SELECT 1' });
      await expectRefused(open, attempt, 'connectionUrl', { message: new RegExp(`parameter "${name}"`) });
      expect(attempt.result.errors![0]!.extensions!.parameter).toBe(name);
    }
    const badMode = await importing(open, 'pg', { url: `${scratchUrl}?sslmode=allow-anything`, sql: 'SELECT 1' });
    await expectRefused(open, badMode, 'connectionUrl', { message: /sslmode/ });
  });

  it('runs exactly one statement: a second one is refused before anything runs, COPY included', async () => {
    const payloads: Array<[string, RegExp]> = [
      ['SELECT 1; DROP TABLE x', /syntax error/],
      // Valid as two statements around the wrapper: only the extended protocol refuses them.
      ['SELECT 1) AS a; COMMIT; DROP TABLE x; SELECT * FROM (SELECT 1', /exactly one statement/],
      ['SELECT 1) AS a; SELECT * FROM (SELECT 2', /exactly one statement/],
      // Shaped for the COPY text: `COPY (SELECT * FROM (1) TO STDOUT; DROP TABLE x; COPY (SELECT 1) ...`.
      ['1) TO STDOUT; DROP TABLE x; COPY (SELECT 1', /syntax error/],
      ['SELECT 1) AS source) TO STDOUT; DROP TABLE x; COPY (SELECT * FROM (SELECT 1', /syntax error/],
    ];
    for (const [sql, message] of payloads) {
      const attempt = await importing(open, 'pg', { url: scratchUrl, sql });
      await expectRefused(open, attempt, 'sql', { message });
    }
    expect(await queryOnce(scratchUrl, 'SELECT count(*)::int AS n FROM x')).toEqual([{ n: 3 }]);
  });

  it('stops a result past IMPORT_MAX_BYTES, dropping the source query', async () => {
    const started = Date.now();
    const attempt = await importing(open, 'pg', { url: scratchUrl, sql: "SELECT repeat('x', 1000) AS pad FROM generate_series(1, 20000)" });
    await expectRefused(open, attempt, 'sql', { message: /IMPORT_MAX_BYTES/ });
    expect(Date.now() - started).toBeLessThan(10_000);
    const running = () =>
      queryOnce(scratchUrl, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'COPY (SELECT * FROM (%repeat%'`);
    await expect.poll(running, { timeout: 5000 }).toEqual([{ n: 0 }]);
  });

  it('never echoes the password, from the connection or from the query', async () => {
    const password = 'hunter2-very-secret';
    const attempt = await importing(open, 'pg', {
      url: `postgresql://postgres:${password}@127.0.0.1:${appUrl().port || 5432}/${scratchDb}`,
      sql: `SELECT '${password}'::int`,
    });
    await expectRefused(open, attempt, 'sql', { message: /invalid input syntax/, secrets: [password] });
  });

  it('stores no credential in DatasetVersion.source', async () => {
    const url = `postgresql://postgres:hunter2-stored@127.0.0.1:${appUrl().port || 5432}/${scratchDb}?application_name=rg-attack`;
    const { id, result } = await importing(open, 'pg', { url, sql: 'SELECT id FROM x' });
    expect(result.errors).toBeUndefined();
    expect(result.data!.importFromPostgres.rowCount).toBe(3);
    const listed = await gql(open.url, 'query($id: ID!) { dataset(id: $id) { versions { source } } }', { id }, analyst.token);
    for (const source of [result.data!.importFromPostgres.source, listed.data!.dataset.versions[0].source]) {
      expect(source.connection).toBe(`postgresql://127.0.0.1:${appUrl().port || 5432}/${scratchDb}?application_name=rg-attack`);
      expect(JSON.stringify(source)).not.toMatch(/hunter2|postgres@/);
    }
  });
});

describe('importFromRest', () => {
  it('refuses records with 100,000 distinct keys quickly, before inferring any type', async () => {
    const started = Date.now();
    const attempt = await importing(open, 'rest', { url: `${apiUrl}/wide` });
    expect(Date.now() - started).toBeLessThan(5000);
    await expectRefused(open, attempt, 'url', { message: /more than 1600 distinct fields/ });
  });

  it('refuses records nested deeper than 32 levels', async () => {
    const attempt = await importing(open, 'rest', { url: `${apiUrl}/deep` });
    await expectRefused(open, attempt, 'url', { message: /deeper than 32 levels/ });
  });

  it('stores no credential from the URL in DatasetVersion.source', async () => {
    const url = `http://reader:pw-in-url@${apiUrl.slice('http://'.length)}/items?api_key=sekrit-1&page=1&access_token=sekrit-2&X-Amz-Signature=sekrit-3#token=sekrit-4`;
    const { id, result } = await importing(open, 'rest', { url });
    expect(result.errors).toBeUndefined();
    const listed = await gql(open.url, 'query($id: ID!) { dataset(id: $id) { versions { source } } }', { id }, analyst.token);
    for (const source of [result.data!.importFromRest.source, listed.data!.dataset.versions[0].source]) {
      expect(source.url).toBe(`${apiUrl}/items?api_key=***&page=1&access_token=***&X-Amz-Signature=***`);
      expect(JSON.stringify(source)).not.toMatch(/sekrit|pw-in-url|reader/);
    }
  });
});
