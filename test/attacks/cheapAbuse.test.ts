// Abuse that costs nothing to send: huge WebSocket messages, hundreds of subscriptions on one
// connection, and anonymous writes of documents into the shared APQ cache. Each is refused with
// its limit named, and the gateway keeps serving.
import { createHash } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStillServes, post } from '../support/attack.js';
import { startTestStack, userWithRole, type TestStack } from '../support/stack.js';

let stack: TestStack;
let viewer: { token: string };

beforeAll(async () => {
  stack = await startTestStack({ WS_MAX_MESSAGE_BYTES: '4096', WS_MAX_SUBSCRIPTIONS: '3', WS_MAX_ANONYMOUS_PER_ADDRESS: '3' });
  viewer = await userWithRole(stack, 'VIEWER');
});
afterAll(() => stack?.stop());

const wsUrl = () => `${stack.url.replace('http', 'ws')}/graphql`;
/** A graphql-ws client signed in as the viewer, without reconnecting. */
const viewerClient = () =>
  createClient({ url: wsUrl(), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${viewer.token}` }, retryAttempts: 0 });

describe('cheap abuse', () => {
  it('closes a WebSocket that sends a message over WS_MAX_MESSAGE_BYTES', async () => {
    const socket = new WebSocket(wsUrl(), 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send(
      JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${viewer.token}`, padding: 'x'.repeat(100_000) } }),
    );
    expect(await closed).toBe(1009); // message too big
    await expectStillServes(stack, viewer.token);
  });

  it('holds at most WS_MAX_ANONYMOUS_PER_ADDRESS anonymous connections from one address, and any number signed in', async () => {
    /** A raw graphql-ws connection: resolves to 'acked', or to the close code. */
    const open = (payload: Record<string, unknown>) => {
      const socket = new WebSocket(wsUrl(), 'graphql-transport-ws');
      const outcome = new Promise<number | 'acked'>((resolve) => {
        socket.on('message', (m) => JSON.parse(String(m)).type === 'connection_ack' && resolve('acked'));
        socket.on('close', (code) => resolve(code));
      });
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
      return { socket, outcome };
    };
    const anonymous = [open({}), open({}), open({})];
    expect(await Promise.all(anonymous.map((a) => a.outcome))).toEqual(['acked', 'acked', 'acked']);
    expect(await open({}).outcome).toBe(4403);
    const signedIn = [0, 1, 2, 3].map(() => open({ authorization: `Bearer ${viewer.token}` }));
    expect(await Promise.all(signedIn.map((a) => a.outcome))).toEqual(['acked', 'acked', 'acked', 'acked']);
    // A closed one makes room.
    const gone = new Promise((resolve) => anonymous[0]!.socket.once('close', resolve));
    anonymous[0]!.socket.close();
    await gone;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = open({});
    expect(await again.outcome).toBe('acked');
    for (const c of [...anonymous, ...signedIn, again]) c.socket.close();
  });

  it('refuses more subscriptions on one connection than WS_MAX_SUBSCRIPTIONS', async () => {
    const client = viewerClient();
    const outcomes: Array<Promise<unknown>> = [];
    const stops: Array<() => void> = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(
        new Promise((resolve) => {
          stops.push(
            client.subscribe(
              { query: 'subscription { modelEvents { kind } }' },
              { next: () => undefined, error: (e) => resolve(e), complete: () => resolve('complete') },
            ),
          );
          setTimeout(() => resolve('open'), 1500);
        }),
      );
    }
    const results = await Promise.all(outcomes);
    const refused = results.filter((r) => Array.isArray(r)) as Array<Array<{ extensions?: { limit?: string } }>>;
    expect(results.filter((r) => r === 'open')).toHaveLength(3);
    expect(refused).toHaveLength(2);
    expect(refused[0]![0]!.extensions?.limit).toBe('WS_MAX_SUBSCRIPTIONS');
    stops.forEach((stop) => stop());
    await client.dispose();
    await expectStillServes(stack, viewer.token);
  });

  it('refuses subscription variables nested past REQUEST_MAX_JSON_DEPTH, as over HTTP', async () => {
    const client = viewerClient();
    let deep: unknown = 'x';
    for (let i = 0; i < 1000; i++) deep = [deep];
    const outcome = await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: 'subscription($m: String) { modelEvents(modelName: $m) { kind } }', variables: { m: 'x', extra: deep } },
        { next: () => undefined, error: (e) => resolve(e), complete: () => resolve('complete') },
      );
    });
    expect((outcome as Array<{ extensions?: { code?: string; limit?: string } }>)[0]?.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'REQUEST_MAX_JSON_DEPTH',
    });
    await client.dispose();
    await expectStillServes(stack, viewer.token);
  });

  it('lets anonymous callers use APQ hashes but not write documents into the shared cache', async () => {
    const query = `{ __typename anonymous: __typename }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const written = await post(stack.url, { query, extensions });
    expect(written.body.data).toEqual({ __typename: 'Query', anonymous: 'Query' }); // it ran...
    const byHash = await post(stack.url, { extensions });
    expect(byHash.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND'); // ...but was not stored
    expect(await stack.runtime.redis.exists(`apq-cache:apq:${sha256Hash}`)).toBe(0);
    // Nor by GET, with the extension in the query string.
    const params = new URLSearchParams({ query, extensions: JSON.stringify(extensions) });
    const got = await fetch(`${stack.url}/graphql?${params}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(((await got.json()) as { data: unknown }).data).toEqual({ __typename: 'Query', anonymous: 'Query' });
    expect((await post(stack.url, { extensions })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(await stack.runtime.redis.exists(`apq-cache:apq:${sha256Hash}`)).toBe(0);
    // A signed-in caller may register, and then anyone may use the hash.
    await post(stack.url, { query, extensions }, { authorization: `Bearer ${viewer.token}` });
    expect((await post(stack.url, { extensions })).body.data).toEqual({ __typename: 'Query', anonymous: 'Query' });
  });

  it('types a CSV cell of 200,000 number-like characters in linear time (no backtracking)', async () => {
    const analyst = await userWithRole(stack, 'ANALYST');
    const created = await post(
      stack.url,
      { query: 'mutation($n: String!) { createDataset(input: { name: $n }) { id } }', variables: { n: `redos ${Date.now()}` } },
      { authorization: `Bearer ${analyst.token}` },
    );
    const csv = `code,amount\n${'1'.repeat(200_000)}x,1\n2,2\n`;
    const started = performance.now();
    const r = await post(
      stack.url,
      {
        query: 'mutation($id: ID!, $csv: String!) { ingestCsv(datasetId: $id, csv: $csv) { columns { name type } } }',
        variables: { id: created.body.data.createDataset.id, csv },
      },
      { authorization: `Bearer ${analyst.token}` },
    );
    expect(performance.now() - started).toBeLessThan(5000);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.ingestCsv.columns[0]).toEqual({ name: 'code', type: 'TEXT' });
    await expectStillServes(stack, viewer.token);
  });

  it('refuses a JSON body over REQUEST_MAX_BYTES with 413', async () => {
    const fresh = await startTestStack({ REQUEST_MAX_BYTES: '10000' });
    try {
      const r = await post(fresh.url, { query: '{ __typename }', variables: { pad: 'x'.repeat(20_000) } });
      expect(r.status).toBe(413);
    } finally {
      await fresh.stop();
    }
  });

  it('answers text PostgreSQL cannot hold (a NUL character) as BAD_USER_INPUT, in GraphQL and in export URLs', async () => {
    const auth = { authorization: `Bearer ${viewer.token}` };
    const login = await post(stack.url, { query: 'mutation { login(username: "a\\u0000", password: "whatever-it-is") { token } }' });
    expect(login.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const named = await post(
      stack.url,
      { query: 'mutation($n: String!) { createDataset(input: { name: $n }) { id } }', variables: { n: 'x\u0000y' } },
      { authorization: `Bearer ${(await userWithRole(stack, 'ANALYST')).token}` },
    );
    expect(named.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const template = (await stack.runtime.prisma.reportTemplate.findFirst({ where: { deletedAt: null } }))?.id;
    if (template) {
      const res = await fetch(`${stack.url}/api/reports/${template}/export.csv?region=%00`, { headers: auth });
      expect(res.status).toBeLessThan(500);
    }
    await expectStillServes(stack, viewer.token);
  });

  it("answers an APQ hash that does not match its document as the client's error, not the server's", async () => {
    const other = createHash('sha256').update('{ me { id } }').digest('hex');
    const r = await post(
      stack.url,
      { query: '{ me { username } }', extensions: { persistedQuery: { version: 1, sha256Hash: other } } },
      { authorization: `Bearer ${viewer.token}` },
    );
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({ message: 'provided sha does not match query', extensions: { code: 'BAD_USER_INPUT' } });
  });
});
