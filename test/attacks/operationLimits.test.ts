// Attacks on the gateway's operation limits: documents too large, too many tokens, too deep, too
// many aliases or root fields, or too costly. Each is refused before planning with HTTP 400 and
// QUERY_TOO_COMPLEX naming the limit, nothing runs, and the gateway still serves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStillServes, post } from '../support/attack.js';
import { startTestStack, userWithRole, type TestStack } from '../support/stack.js';

let stack: TestStack;
let viewer: { token: string };
let analyst: { token: string; id: string };

beforeAll(async () => {
  stack = await startTestStack({
    QUERY_MAX_DEPTH: '8',
    QUERY_MAX_ALIASES: '10',
    QUERY_MAX_ROOT_FIELDS: '8',
    QUERY_MAX_COST: '3000',
    QUERY_MAX_TOKENS: '800',
    QUERY_MAX_BYTES: '8000',
  });
  [viewer, analyst] = await Promise.all([userWithRole(stack, 'VIEWER'), userWithRole(stack, 'ANALYST')]);
});
afterAll(() => stack?.stop());

const send = (query: string, token = viewer.token) => post(stack.url, { query }, { authorization: `Bearer ${token}` });

async function expectRefused(query: string, limit: string) {
  const r = await send(query);
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit });
  expect(r.body.data ?? null).toBeNull();
  return r;
}

describe('operation limits', () => {
  it('refuses a document over QUERY_MAX_BYTES before parsing it', async () => {
    await expectRefused(`{ me { id } }${' '.repeat(9000)}`, 'QUERY_MAX_BYTES');
    await expectStillServes(stack, viewer.token);
  });

  it('refuses a document over QUERY_MAX_TOKENS (parsing stops there)', async () => {
    await expectRefused(`{ me { ${'id '.repeat(900)} } }`, 'QUERY_MAX_TOKENS');
    await expectStillServes(stack, viewer.token);
  });

  it('refuses nesting deeper than QUERY_MAX_DEPTH, through fragments too', async () => {
    await expectRefused(
      '{ datasets { owner { templates { dataset { owner { templates { dataset { owner { templates { id } } } } } } } } } }',
      'QUERY_MAX_DEPTH',
    );
    await expectRefused(
      'query { datasets { ...A } } fragment A on Dataset { owner { templates { dataset { owner { templates { dataset { owner { templates { id } } } } } } } } }',
      'QUERY_MAX_DEPTH',
    );
    await expectStillServes(stack, viewer.token);
  });

  it('refuses more aliases than QUERY_MAX_ALIASES (an alias bomb of a heavy field)', async () => {
    const bomb = Array.from({ length: 11 }, (_, i) => `a${i}: me { id }`).join(' ');
    await expectRefused(`{ ${bomb} }`, 'QUERY_MAX_ALIASES');
    await expectStillServes(stack, viewer.token);
  });

  it('refuses more root fields than QUERY_MAX_ROOT_FIELDS, counted after fragments are spread', async () => {
    await expectRefused(
      'query { ...F } fragment F on Query { me { id } datasets { id } templates { id } models { id } analysisJobs { id } users { id } apiKeys { id } persistedOperations { id } template(id: "00000000-0000-4000-8000-000000000000") { id } }',
      'QUERY_MAX_ROOT_FIELDS',
    );
    await expectStillServes(stack, viewer.token);
  });

  it('refuses an operation over QUERY_MAX_COST: lists weigh their limit, heavy fields their declared cost', async () => {
    const r = await expectRefused('{ datasets(limit: 1000) { id versions { columns { name } } } }', 'QUERY_MAX_COST');
    // The same limit as a variable's default (nothing sent for it) weighs the same.
    await expectRefused('query($n: Int = 1000) { datasets(limit: $n) { id versions { columns { name } } } }', 'QUERY_MAX_COST');
    // A limit past the page size costs a page: the resolver refuses it, naming the argument.
    const absurd = await send('{ datasets(limit: 100000) { id } }');
    expect(absurd.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'limit' });
    expect(r.body.errors[0].extensions.actual).toBeGreaterThan(3000);
    // Within the budget: the same shape with a small page.
    const ok = await send('{ datasets(limit: 5) { id versions { columns { name } } } }');
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
  });

  it('refuses an alias bomb of a heavy field by its declared weight, before any query runs', async () => {
    const input = '{ datasetId: "00000000-0000-4000-8000-000000000000", measures: [{ column: "*", agg: COUNT }] }';
    const bomb = Array.from({ length: 4 }, (_, i) => `q${i}: datasetQuery(input: ${input}) { rowCount }`).join(' ');
    const r = await expectRefused(`{ ${bomb} }`, 'QUERY_MAX_COST');
    expect(r.body.errors[0].extensions.actual).toBeGreaterThanOrEqual(4000);
    await expectStillServes(stack, viewer.token);
  });

  it('keeps metadata answering while dataset queries wait for a pool of their own', async () => {
    const held = await Promise.all(
      Array.from({ length: stack.runtime.config.datasets.queryPoolSize }, () => stack.runtime.queryPool.connect()),
    );
    try {
      const started = performance.now();
      const r = await send('{ me { id } datasets(limit: 5) { id name } }');
      expect(r.body.errors).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      held.forEach((client) => client.release());
    }
  });

  it('counts a fragment spread many times without walking it again (no exponential blow-up)', async () => {
    const fragments = Array.from(
      { length: 12 },
      (_, i) => `fragment F${i} on User { ${i < 11 ? `...F${i + 1} ...F${i + 1}` : 'id'} }`,
    ).join(' ');
    const started = performance.now();
    const r = await send(`{ me { ...F0 } } ${fragments}`);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(r.status).toBe(200);
    expect(r.body.data.me.id).toBeTruthy();
  });

  it('applies the same limits to subscriptions and to persisted operations of any caller', async () => {
    const deep = '{ datasets { owner { templates { dataset { owner { templates { dataset { owner { templates { id } } } } } } } } } }';
    const admin = await userWithRole(stack, 'ADMIN');
    const registered = await post(
      stack.url,
      {
        query: 'mutation($n: String!, $d: String!) { registerPersistedOperation(name: $n, document: $d) { id } }',
        variables: { n: 'deep', d: deep },
      },
      { authorization: `Bearer ${admin.token}` },
    );
    const id = registered.body.data.registerPersistedOperation.id;
    const r = await post(stack.url, { documentId: id }, { authorization: `Bearer ${analyst.token}` });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'QUERY_MAX_DEPTH' });
    await expectStillServes(stack, analyst.token);
  });

  it('refuses JSON nested past REQUEST_MAX_JSON_DEPTH — in a body or GET variables, signed in or not — before parsing it', async () => {
    const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const report = 'query($t: ID!, $p: JSON) { report(templateId: $t, params: $p) { cached } }';
    const body = `{"query":${JSON.stringify(report)},"variables":{"t":"x","p":{"region":${deep(500_000)}}}}`;
    const callers: Array<Record<string, string>> = [
      {},
      { authorization: `Bearer ${viewer.token}` },
      { authorization: `Bearer ${viewer.token}`, accept: 'application/json, text/plain' },
    ];
    for (const headers of callers) {
      const r = await post(stack.url, body, headers);
      expect(r.status, JSON.stringify(headers)).toBe(400);
      expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'REQUEST_MAX_JSON_DEPTH', max: 64 });
    }
    const viaGet = await fetch(
      `${stack.url}/graphql?query=${encodeURIComponent(report)}&variables=${encodeURIComponent(`{"t":"x","p":${deep(100)}}`)}`,
      { headers: { authorization: `Bearer ${viewer.token}`, 'apollo-require-preflight': 'true' } },
    );
    expect(viaGet.status).toBe(400);
    expect(((await viaGet.json()) as { errors: Array<{ extensions: unknown }> }).errors[0]!.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'REQUEST_MAX_JSON_DEPTH',
    });
    // Given twice, each value is checked (a CSV reader takes the first).
    const twice = await fetch(
      `${stack.url}/graphql?query=${encodeURIComponent(report)}&variables=${encodeURIComponent(`{"t":"x","p":${deep(100)}}`)}&variables=%7B%7D`,
      { headers: { authorization: `Bearer ${viewer.token}`, 'apollo-require-preflight': 'true', accept: 'text/csv' } },
    );
    expect(twice.status).toBe(400);
    // A body in another charset than UTF-8 is refused before it is read (its bytes would hide the nesting).
    const utf16 = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-16le', authorization: `Bearer ${viewer.token}` },
      body: Buffer.from(body, 'utf16le'),
    });
    expect(utf16.status).toBe(415);
    expect(((await utf16.json()) as { errors: Array<{ message: string }> }).errors[0]!.message).toBe(
      'The body must be UTF-8, not utf-16le',
    );
    // Deep enough for any real input is fine: 60 levels run (and fail only for the unknown template).
    const fine = await post(
      stack.url,
      { query: report, variables: { t: 'x', p: { region: JSON.parse(deep(60)) } } },
      { authorization: `Bearer ${viewer.token}` },
    );
    expect(fine.body.errors?.[0]?.extensions?.limit).toBeUndefined();
    await expectStillServes(stack, viewer.token);
  });
});
