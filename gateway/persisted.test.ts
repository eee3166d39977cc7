// Persisted operations as a BI tool uses them: by id over GET, as JSON or CSV; APQ; and the
// safelist mode that lets API-key callers run nothing else.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../lib/datasets/tables.js';
import { codes, gql, startTestStack, unique, userWithRole, type TestStack } from '../test/support/stack.js';

let stack: TestStack;
let admin: { token: string };
let apiKey: string;
let datasetId: string;
const QUERY =
  'query Revenue($id: ID!) { datasetQuery(input: { datasetId: $id, dimensions: ["region"], measures: [{ column: "revenue", agg: SUM }], orderBy: [{ column: "region" }] }) { columns { name type } rows } }';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

async function register(name: string, document: string) {
  const r = await gql(
    stack.url,
    'mutation($n: String!, $d: String!) { registerPersistedOperation(name: $n, document: $d) { id } }',
    { n: name, d: document },
    admin.token,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.registerPersistedOperation.id as string;
}

const get = (params: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}/graphql?${new URLSearchParams(params)}`, { headers: { 'x-api-key': apiKey, ...headers } });

beforeAll(async () => {
  stack = await startTestStack({ PERSISTED_OPERATIONS_ONLY: 'api-keys' });
  admin = await userWithRole(stack, 'ADMIN');
  const key = await gql(stack.url, 'mutation { createApiKey(name: "Excel", role: VIEWER) { key } }', {}, admin.token);
  apiKey = key.data!.createApiKey.key;
  datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('bi') } })).id;
  await createVersionFromRows(stack.runtime.pool, null, datasetId, {
    columns: [
      { name: 'region', type: 'TEXT' },
      { name: 'revenue', type: 'FLOAT' },
    ],
    rows: [
      ['North', 10],
      ['South, East', 2.5],
      ['North', 5],
    ],
    sourceKind: 'CSV',
  });
});
afterAll(() => stack?.stop());

describe('persisted operations', () => {
  it('run by documentId over GET, as JSON or as CSV', async () => {
    const id = await register(`revenue_${Date.now()}`, QUERY);
    expect(id).toBe(sha(QUERY));
    const json = await get({ documentId: id, variables: JSON.stringify({ id: datasetId }) });
    expect(json.status).toBe(200);
    expect(((await json.json()) as { data: any }).data.datasetQuery.rows).toEqual([
      ['North', 15],
      ['South, East', 2.5],
    ]);
    const csv = await get({ documentId: id, variables: JSON.stringify({ id: datasetId }) }, { accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv.text()).toBe('region,sum_revenue\r\nNorth,15\r\n"South, East",2.5\r\n');
  });

  it('answer PERSISTED_QUERY_NOT_FOUND for unknown and revoked ids', async () => {
    const unknown = await get({ documentId: 'f'.repeat(64) });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { errors: any[] }).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const doc = '{ datasets { id } }';
    const id = await register(`list_${Date.now()}`, doc);
    expect((await get({ documentId: id })).status).toBe(200);
    await gql(stack.url, 'mutation($id: ID!) { revokePersistedOperation(id: $id) }', { id }, admin.token);
    // Lookups are cached for a few seconds per gateway; a fresh gateway sees the revocation.
    const fresh = await startTestStack();
    try {
      const res = await fetch(`${fresh.url}/graphql?documentId=${id}`, { headers: { 'x-api-key': apiKey } });
      expect(res.status).toBe(404);
    } finally {
      await fresh.stop();
    }
  });

  it('are the only thing an API key may run in api-keys mode; users are not limited', async () => {
    const adHoc = await gql(stack.url, '{ datasets { id } }', {}, { apiKey });
    expect(codes(adHoc)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    expect((await gql(stack.url, '{ datasets { id } }', {}, admin.token)).errors).toBeUndefined();
  });
});

describe('automatic persisted queries', () => {
  it('take a hash alone once the document has been sent with it', async () => {
    const query = `{ me { username } __typename }`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha(query) } };
    const post = (body: Record<string, unknown>) =>
      fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<any>);
    expect((await post({ extensions })).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await post({ query, extensions })).data.__typename).toBe('Query');
    expect((await post({ extensions })).data.__typename).toBe('Query');
  });
});
