// The response cache for trusted documents, through the gateway: answers served from memory with
// an ETag (304 when the client holds them), never stale after a write to what they read, never
// shared between callers, and never for ad-hoc documents.
import { createHash } from 'node:crypto';
import { buildASTSchema, getOperationAST, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../test/support/attack.js';
import { gql, newDataset, startTestStack, userWithRole, type TestStack } from '../test/support/stack.js';
import { tablesRead } from './plugins/responseCache.js';

let stack: TestStack;
let admin: { token: string };
let analyst: { token: string };
let viewer: { token: string };
const DATASETS = 'query Datasets { datasets(limit: 1000) { id name owner { username } } }';
const USERS = 'query Users { users { id username } }';
const settle = () => new Promise((r) => setTimeout(r, 100));

async function register(document: string) {
  const id = createHash('sha256').update(document).digest('hex');
  await stack.runtime.prisma.persistedOperation.upsert({ where: { id }, create: { id, name: id.slice(0, 8), document }, update: {} });
  return id;
}

beforeAll(async () => {
  stack = await startTestStack();
  [admin, analyst, viewer] = await Promise.all([
    userWithRole(stack, 'ADMIN'),
    userWithRole(stack, 'ANALYST'),
    userWithRole(stack, 'VIEWER'),
  ]);
});
afterAll(() => stack?.stop());

describe('response cache', () => {
  it('answers a trusted document from memory with an ETag, and 304 to a client holding it', async () => {
    const id = await register(DATASETS);
    const get = (headers: Record<string, string> = {}) =>
      fetch(`${stack.url}/graphql?documentId=${id}`, { headers: { authorization: `Bearer ${viewer.token}`, ...headers } });
    const first = await get();
    const etag = first.headers.get('etag');
    expect(first.status).toBe(200);
    expect(etag).toMatch(/^".+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const body = await first.text();
    const again = await get();
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe(body);
    const revalidated = await get({ 'if-none-match': etag! });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
  });

  it('is never stale: a write to a table the answer read makes the next answer fresh', async () => {
    const id = await register(DATASETS);
    const read = async () =>
      (await post(stack.url, { documentId: id }, { authorization: `Bearer ${viewer.token}` })).body.data.datasets as Array<{ id: string }>;
    const before = await read();
    const created = await newDataset(stack, analyst.token, 'fresh');
    await settle(); // NOTIFY reaches the listener just after commit
    const after = await read();
    expect(after.map((d) => d.id)).toContain(created);
    expect(after).toHaveLength(before.length + 1);
  });

  it('lets a writer read its own write at once, before any notification could arrive', async () => {
    const id = await register(DATASETS);
    const read = async () =>
      (await post(stack.url, { documentId: id }, { authorization: `Bearer ${analyst.token}` })).body.data.datasets as Array<{ id: string }>;
    await read();
    for (let i = 0; i < 5; i++) {
      const created = await newDataset(stack, analyst.token, 'own write');
      expect((await read()).map((d) => d.id)).toContain(created); // no settle: straight after the mutation
    }
  });

  it("keeps answers apart per caller: an ADMIN's answer is never served to a VIEWER", async () => {
    const id = await register(USERS);
    const asAdmin = await post(stack.url, { documentId: id }, { authorization: `Bearer ${admin.token}` });
    expect(asAdmin.body.data.users.length).toBeGreaterThan(0);
    const asViewer = await post(stack.url, { documentId: id }, { authorization: `Bearer ${viewer.token}` });
    expect(asViewer.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(asViewer.headers.get('etag')).toBeNull(); // errors are not cached
  });

  it('leaves ad-hoc documents and mutations alone', async () => {
    const adHoc = await post(stack.url, { query: DATASETS }, { authorization: `Bearer ${viewer.token}` });
    expect(adHoc.body.data.datasets).toBeDefined();
    expect(adHoc.headers.get('etag')).toBeNull();
    const mutation = await register('mutation M { createDataset(input: { name: "never cached" }) { id } }');
    const created = await post(stack.url, { documentId: mutation }, { authorization: `Bearer ${analyst.token}` });
    expect(created.headers.get('etag')).toBeNull();
    expect(
      (await gql(stack.url, '{ datasets(limit: 1000) { name } }', {}, viewer.token)).data!.datasets.map((d: { name: string }) => d.name),
    ).toContain('never cached');
  });
});

describe('tablesRead', () => {
  it('names the tables an operation reads, and refuses types it cannot map', () => {
    const s = buildASTSchema(
      parse(
        `type Query { datasets: [Dataset!]! me: User weird: Weird } type Mutation { me: User } type Dataset { id: ID! owner: User } type User { id: ID! } type Weird { id: ID! }`,
      ),
    );
    const op = (q: string) => {
      const d = parse(q);
      return tablesRead(s, d, getOperationAST(d)!);
    };
    expect(op('{ datasets { id owner { id } } }')).toEqual(['Dataset', 'DatasetVersion', 'User']);
    expect(op('{ me { id } }')).toEqual(['User']);
    expect(op('{ weird { id } }')).toBeNull();
    expect(op('mutation { me { id } }')).toBeNull();
  });
});
