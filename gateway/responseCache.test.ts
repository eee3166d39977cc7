// The response cache for trusted documents, through the gateway: answers served from memory with
// an ETag (304 when the client holds them), never stale after a write to what they read, never
// shared between callers, and never for ad-hoc documents.
import { createHash } from 'node:crypto';
import { buildASTSchema, getOperationAST, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../test/support/attack.js';
import { gql, newDataset, startTestStack, userWithRole, type TestStack } from '../test/support/stack.js';
import { createVersionFromRows } from '../lib/datasets/tables.js';
import { demoSalesRows, demoSections } from '../prisma/seed.js';
import { createLogger } from '../lib/logger.js';
import { cachePlan, createResponseCache, storable } from './plugins/responseCache.js';

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

describe('cachePlan', () => {
  it('names the tables an operation reads, and refuses types it cannot map', () => {
    const s = buildASTSchema(
      parse(
        `type Query { datasets: [Dataset!]! me: User weird: Weird } type Mutation { me: User } type Dataset { id: ID! owner: User } type User { id: ID! } type Weird { id: ID! }`,
      ),
    );
    const op = (q: string) => {
      const d = parse(q);
      return cachePlan(s, d, getOperationAST(d)!)?.tables ?? null;
    };
    expect(op('{ datasets { id owner { id } } }')).toEqual(['Dataset', 'DatasetVersion', 'User']);
    expect(op('{ me { id } }')).toEqual(['User']);
    expect(op('{ weird { id } }')).toBeNull();
    expect(op('mutation { me { id } }')).toBeNull();
  });

  it('finds where an answer says it was served fresh, through aliases, lists and fragments', () => {
    const s = buildASTSchema(
      parse(
        `type Query { report: Report reports: [Report!]! } type Report { cached: Boolean! template: ReportTemplate } type ReportTemplate { id: ID! }`,
      ),
    );
    const d = parse('{ a: report { c: cached } reports { ...R } report { template { id } } } fragment R on Report { cached }');
    const plan = cachePlan(s, d, getOperationAST(d)!)!;
    expect(plan.served).toEqual([
      ['a', 'c'],
      ['reports', 'cached'],
    ]);
    expect(storable(plan, { a: { c: true }, reports: [{ cached: true }, { cached: true }], report: null })).toBe(true);
    expect(storable(plan, { a: { c: false }, reports: [], report: null })).toBe(false);
    expect(storable(plan, { a: null, reports: [{ cached: true }, { cached: false }], report: null })).toBe(false);
  });

  it('gives up on a document that expands past its visits (a fragment bomb)', () => {
    const s = buildASTSchema(parse('type Query { me: User } type User { id: ID! me: User }'));
    const levels = Array.from({ length: 20 }, (_, i) => `fragment F${i} on User { id ...F${i + 1} ...F${i + 1} }`);
    const d = parse(`{ me { ...F0 } } ${levels.join(' ')} fragment F20 on User { id }`);
    expect(cachePlan(s, d, getOperationAST(d)!)).toBeNull();
    // Wide at the bottom: 4,096 spreads of a fragment of 600 fields would make millions of paths.
    const r = buildASTSchema(parse('type Query { report: Report } type Report { cached: Boolean! }'));
    const wide = Array.from({ length: 600 }, (_, i) => `a${i}: cached`).join(' ');
    const deep = Array.from({ length: 12 }, (_, i) => `fragment A${i} on Report { ...A${i + 1} ...A${i + 1} }`);
    const bomb = parse(`{ report { ...A0 } } ${deep.join(' ')} fragment A12 on Report { ${wide} }`);
    expect(cachePlan(r, bomb, getOperationAST(bomb)!)).toBeNull();
  });
});

/** The demo report's template over a dataset of its own, with data. */
/** Until what a report is read from has been quiet long enough for its answers to be stored (SETTLE_MS_OF_TYPE). */
const quiet = () => new Promise((r) => setTimeout(r, 5_100));

async function demoReport(name: string) {
  const datasetId = await newDataset(stack, analyst.token, name);
  await createVersionFromRows(stack.runtime.pool, null, datasetId, { ...demoSalesRows(), sourceKind: 'CSV' });
  const t = await gql(
    stack.url,
    'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }',
    { i: { name, datasetId, parameters: [{ name: 'region', type: 'STRING' }], sections: demoSections } },
    analyst.token,
  );
  return { datasetId, templateId: t.data!.createTemplate.id as string };
}

describe('response cache and hot reports', () => {
  it('stores a report only as served from the hot-report cache, and drops it with new data', async () => {
    const { datasetId, templateId } = await demoReport('Cached revenue');
    await quiet();
    const id = await register('query Hot($t: ID!, $p: JSON) { report(templateId: $t, params: $p) { cached generatedAt sections } }');
    const read = () =>
      post(
        stack.url,
        { documentId: id, variables: { t: templateId, p: { region: 'North' } } },
        { authorization: `Bearer ${viewer.token}` },
      );
    const rendered = await read();
    expect(rendered.body.data.report.cached).toBe(false);
    expect(rendered.headers.get('etag')).toBeNull(); // rendered for this request: not stored
    const hot = await read();
    expect(hot.body.data.report).toMatchObject({ cached: true, generatedAt: rendered.body.data.report.generatedAt });
    const etag = hot.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const again = await read();
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.body).toEqual(hot.body);
    // New data: a new dataset version, so a new answer, rendered afresh.
    await createVersionFromRows(stack.runtime.pool, null, datasetId, { ...demoSalesRows(), sourceKind: 'CSV' });
    await settle();
    const renewed = await read();
    expect(renewed.body.data.report.cached).toBe(false);
    expect(renewed.headers.get('etag')).toBeNull();
  });

  it('caches a hot report sent as an ad-hoc document, and nothing else sent so', async () => {
    const { templateId } = await demoReport('Ad-hoc revenue');
    await quiet();
    const send = (query: string) => post(stack.url, { query, variables: { t: templateId } }, { authorization: `Bearer ${viewer.token}` });
    const REPORT = 'query($t: ID!) { report(templateId: $t) { cached sections } }';
    const etags = [];
    for (let i = 0; i < 3; i++) etags.push((await send(REPORT)).headers.get('etag'));
    expect(etags[0]).toBeNull(); // rendered
    expect(etags[1]).toMatch(/^".+"$/);
    expect(etags[2]).toBe(etags[1]);
    // With another root field beside it, the document is ad-hoc and not cached.
    const MIXED = 'query($t: ID!) { report(templateId: $t) { cached } datasets(limit: 1) { id } }';
    for (let i = 0; i < 2; i++) expect((await send(MIXED)).headers.get('etag')).toBeNull();
  });

  it('holds at most its memory, the oldest answers going first, and never one larger than all of it', async () => {
    const cache = createResponseCache({
      databaseUrl: stack.runtime.config.databaseUrl,
      logger: createLogger({ logLevel: 'silent' }),
      maxEntries: 100,
      maxChars: 1000,
      ttlSeconds: 60,
    });
    await cache.start();
    try {
      const body = (n: number) => JSON.stringify({ data: { n, pad: 'x'.repeat(380) } });
      for (let i = 0; i < 5; i++) expect(cache.set(`key-${i}`, ['Dataset'], cache.stamp(['Dataset']), body(i))).not.toBeNull();
      expect(cache.held().entries).toBe(2);
      expect(cache.held().chars).toBeLessThanOrEqual(1000);
      expect([0, 1, 2, 3, 4].map((i) => cache.get(`key-${i}`) !== null)).toEqual([false, false, false, true, true]);
      expect(cache.set('huge', ['Dataset'], cache.stamp(['Dataset']), 'x'.repeat(2000))).toBeNull();
      expect(cache.held().entries).toBe(2);
      // Just after a write to its tables, an answer that must settle first is not stored.
      await newDataset(stack, analyst.token, 'settle');
      await settle();
      expect(cache.set('settling', ['Dataset'], cache.stamp(['Dataset']), body(9), 5_000)).toBeNull();
      expect(cache.set('settling', ['Dataset'], cache.stamp(['Dataset']), body(9), 0)).not.toBeNull();
    } finally {
      await cache.stop();
    }
  });
});
