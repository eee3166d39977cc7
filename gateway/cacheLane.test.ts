// The cache lane in front of Express: hot answers served from the response cache's bytes with the
// headers Express would send, still under the operation guard (the caller's budget) and sign-in,
// and every request it does not serve answered by Express exactly as before.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, startTestStack, userWithRole, type TestStack } from '../test/support/stack.js';

type Errors = { errors: Array<{ extensions: { code?: string } }> };
const DATASETS = 'query LaneDatasets { datasets(limit: 1000) { id name owner { username } } }';

let stack: TestStack;
let admin: { token: string };
let viewer: { id: string; token: string };

async function register(on: TestStack, document: string) {
  const id = createHash('sha256').update(document).digest('hex');
  await on.runtime.prisma.persistedOperation.upsert({ where: { id }, create: { id, name: id.slice(0, 8), document }, update: {} });
  return id;
}

/** Hits answered by the lane so far (from /metrics). */
async function laneHits(on: TestStack): Promise<number> {
  const text = await (await fetch(`${on.url}/metrics`)).text();
  return Number(/^reportgraph_response_cache_lane_total (\S+)$/m.exec(text)?.[1] ?? 0);
}

function postRaw(on: TestStack, body: string, headers: Record<string, string> = {}) {
  return fetch(`${on.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

beforeAll(async () => {
  stack = await startTestStack();
  [admin, viewer] = await Promise.all([userWithRole(stack, 'ADMIN'), userWithRole(stack, 'VIEWER')]);
});
afterAll(() => stack?.stop());

describe('the cache lane', () => {
  it('answers a cached read in front of Express with the bytes and headers Express sends', async () => {
    const id = await register(stack, DATASETS);
    const body = JSON.stringify({ documentId: id });
    const auth = { authorization: `Bearer ${viewer.token}` };
    const first = await postRaw(stack, body, auth); // computed, stored
    expect(first.status).toBe(200);
    await first.text();

    const before = await laneHits(stack);
    const lane = await postRaw(stack, body, { ...auth, 'x-request-id': 'lane-request-1' });
    expect(await laneHits(stack)).toBe(before + 1);
    // An Accept header the lane leaves to Express's negotiation: the same answer through the Express chain.
    const express = await postRaw(stack, body, { ...auth, accept: 'application/json, text/plain;q=0.5' });
    expect(await laneHits(stack)).toBe(before + 1);

    expect(lane.status).toBe(200);
    expect(express.status).toBe(200);
    const laneBytes = await lane.text();
    expect(laneBytes).toBe(await express.text());
    expect(JSON.parse(laneBytes).data.datasets).toBeInstanceOf(Array);
    for (const header of ['content-type', 'etag', 'cache-control', 'content-length'])
      expect(lane.headers.get(header), header).toBe(express.headers.get(header));
    expect(lane.headers.get('x-request-id')).toBe('lane-request-1');

    // By id over GET too (BI tools), with 304 for a client holding the same bytes.
    const get = (headers: Record<string, string> = {}) =>
      fetch(`${stack.url}/graphql?documentId=${id}`, { headers: { ...auth, ...headers } });
    const viaGet = await get();
    expect(await viaGet.text()).toBe(laneBytes);
    const revalidated = await get({ 'if-none-match': lane.headers.get('etag')! });
    expect(revalidated.status).toBe(304);
    expect(await laneHits(stack)).toBe(before + 3);
  });

  it("never answers one caller with another's answer, nor a caller whose access ended", async () => {
    const id = await register(stack, DATASETS);
    const body = JSON.stringify({ documentId: id });
    const asAdmin = async () => (await (await postRaw(stack, body, { authorization: `Bearer ${admin.token}` })).json()) as unknown;
    await asAdmin();
    const mine = await asAdmin(); // the ADMIN's own, cached

    const someone = await userWithRole(stack, 'VIEWER');
    const theirs = await postRaw(stack, body, { authorization: `Bearer ${someone.token}` });
    expect(theirs.status).toBe(200);
    expect(await theirs.json()).toEqual(mine); // same data, but computed for them: nothing of the ADMIN's scope is reused
    await postRaw(stack, body, { authorization: `Bearer ${someone.token}` }); // now cached for them

    await gql(stack.url, 'mutation($id: ID!) { updateUser(id: $id, input: { disabled: true }) { id } }', { id: someone.id }, admin.token);
    const refused = await postRaw(stack, body, { authorization: `Bearer ${someone.token}` });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as Errors).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');

    const anonymous = await postRaw(stack, body);
    expect(((await anonymous.json()) as Errors).errors[0]!.extensions.code).not.toBeUndefined();
  });

  it('leaves to Express what it would answer otherwise, and keeps its hits when someone sends an invalid query', async () => {
    const id = await register(stack, DATASETS);
    const auth = { authorization: `Bearer ${viewer.token}` };
    const body = JSON.stringify({ documentId: id });
    await (await postRaw(stack, body, auth)).text();
    const before = await laneHits(stack);
    // An invalid document from anyone reaches Apollo Server, and no longer empties every caller's cache.
    expect((await postRaw(stack, JSON.stringify({ query: '{ nope }' }))).status).toBe(400);
    const bom = await postRaw(stack, `\uFEFF${body}`, auth); // a byte order mark, as Express's parser allows
    expect(bom.status).toBe(200);
    await bom.text();
    expect(await laneHits(stack)).toBe(before + 1);
    for (const accept of ['constructor', '__proto__', 'toString']) {
      const odd = await postRaw(stack, body, { ...auth, accept });
      expect(odd.status, accept).toBe(406); // Express's negotiation, as before
    }
    const cut = await fetch(`${stack.url}/graphql?documentId=${id}?x=1`, { headers: auth });
    expect(cut.status).toBe(404); // the id is "<id>?x=1": no such document
    expect(await laneHits(stack)).toBe(before + 1);
  });

  it('hands Express the bodies its JSON parser refuses, and documents it does not know', async () => {
    const auth = { authorization: `Bearer ${viewer.token}` };
    for (const bad of ['{"documentId": ', '"just a string"', 'null', '{"query": "{ datasets { id } }"'.slice(0, 10)]) {
      const res = await postRaw(stack, bad, auth);
      expect(res.status, bad).toBe(400);
    }
    const unknown = await postRaw(stack, JSON.stringify({ documentId: 'f'.repeat(64) }), auth);
    expect(((await unknown.json()) as Errors).errors[0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('the cache lane under a small operation budget', () => {
  let small: TestStack;
  beforeAll(async () => {
    small = await startTestStack({ RATE_LIMIT_OPERATIONS_PER_MINUTE: '4' });
  });
  afterAll(() => small?.stop());

  it('counts answers it serves against the caller’s budget, and refuses past it with 429 and Retry-After', async () => {
    const caller = await userWithRole(small, 'VIEWER');
    const id = await register(small, DATASETS);
    const body = JSON.stringify({ documentId: id });
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 6; i++) {
      const res = await postRaw(small, body, { authorization: `Bearer ${caller.token}` });
      statuses.push(res.status);
      if (res.status === 429) refused ??= res;
      else await res.text();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect(await laneHits(small)).toBe(3);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused!.headers.get('x-request-id')).toBeTruthy();
    expect(((await refused!.json()) as Errors).errors[0]!.extensions.code).toBe('RATE_LIMITED');
  });
});
