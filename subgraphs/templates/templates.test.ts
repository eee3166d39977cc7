// Templates, users, API keys and persisted operations, through the gateway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, gql, startTestStack, unique, userWithRole, type TestStack } from '../../test/support/stack.js';

let stack: TestStack;
let admin: { id: string; token: string };
let analyst: { id: string; token: string };
let viewer: { id: string; token: string };
let datasetId: string;

beforeAll(async () => {
  stack = await startTestStack();
  [admin, analyst, viewer] = await Promise.all([
    userWithRole(stack, 'ADMIN'),
    userWithRole(stack, 'ANALYST'),
    userWithRole(stack, 'VIEWER'),
  ]);
  const r = await gql(
    stack.url,
    'mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }',
    { i: { name: unique('tpl-ds') } },
    analyst.token,
  );
  datasetId = r.data!.createDataset.id;
});
afterAll(() => stack?.stop());

const CREATE = `mutation($i: CreateTemplateInput!) {
  createTemplate(input: $i) { id name version owner { id } dataset { id name } parameters { name type required default } sections }
}`;

describe('login and me', () => {
  it('issues a token that identifies the user', async () => {
    const r = await gql(stack.url, '{ me { id role } }', {}, analyst.token);
    expect(r.data!.me).toEqual({ id: analyst.id, role: 'ANALYST' });
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const a = await gql(stack.url, 'mutation { login(username: "admin-nobody", password: "whatever1") { token } }');
    const user = await stack.runtime.prisma.user.findUniqueOrThrow({ where: { id: analyst.id } });
    const b = await gql(stack.url, 'mutation($u: String!) { login(username: $u, password: "wrong-pass") { token } }', { u: user.username });
    expect(codes(a)).toEqual(['UNAUTHENTICATED']);
    expect(b.errors![0]!.message).toBe(a.errors![0]!.message);
  });

  it('refuses a bad token at the door with 401', async () => {
    const r = await gql(stack.url, '{ me { id } }', {}, 'not.a.token');
    expect(r.status).toBe(401);
    expect(codes(r)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('users', () => {
  it('lets only an ADMIN create and list users', async () => {
    const input = { username: unique('u').replace(' ', '_'), password: 'long-enough-1', role: 'VIEWER' };
    const created = await gql(
      stack.url,
      'mutation($i: CreateUserInput!) { createUser(input: $i) { username role } }',
      { i: input },
      admin.token,
    );
    expect(created.data!.createUser).toEqual({ username: input.username, role: 'VIEWER' });
    const again = await gql(stack.url, 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: input }, admin.token);
    expect(codes(again)).toEqual(['CONFLICT']);
    const refused = await gql(
      stack.url,
      'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
      { i: { ...input, username: 'x_other' } },
      analyst.token,
    );
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(codes(await gql(stack.url, '{ users { id } }', {}, viewer.token))).toEqual(['FORBIDDEN']);
    const weak = await gql(
      stack.url,
      'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
      { i: { ...input, username: 'weak_pw', password: 'short' } },
      admin.token,
    );
    expect(weak.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.password' });
  });
});

describe('templates', () => {
  it('creates a template owned by its analyst, on a dataset resolved by the datasets subgraph', async () => {
    const r = await gql(
      stack.url,
      CREATE,
      {
        i: { name: 'Sales', datasetId, parameters: [{ name: 'region', type: 'STRING', default: 'North' }], sections: [{ kind: 'KPI' }] },
      },
      analyst.token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.createTemplate).toMatchObject({
      name: 'Sales',
      version: 1,
      owner: { id: analyst.id },
      dataset: { id: datasetId },
      parameters: [{ name: 'region', type: 'STRING', required: false, default: 'North' }],
      sections: [{ kind: 'KPI' }],
    });
    expect(r.data!.createTemplate.dataset.name).toMatch(/^tpl-ds /);
  });

  it('versions every update and keeps old versions', async () => {
    const { data } = await gql(stack.url, CREATE, { i: { name: 'v1', datasetId } }, analyst.token);
    const id = data!.createTemplate.id;
    const u = await gql(
      stack.url,
      'mutation($id: ID!) { updateTemplate(id: $id, input: { name: "v2" }) { name version versions { version name } } }',
      { id },
      analyst.token,
    );
    expect(u.data!.updateTemplate).toEqual({
      name: 'v2',
      version: 2,
      versions: [
        { version: 2, name: 'v2' },
        { version: 1, name: 'v1' },
      ],
    });
  });

  it('refuses bad input with the field named, writing nothing', async () => {
    const before = await stack.runtime.prisma.reportTemplate.count();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: '', datasetId }, 'input.name'],
      [{ name: 'x', datasetId: '00000000-0000-4000-8000-000000000000' }, 'input.datasetId'],
      [{ name: 'x', datasetId, parameters: [{ name: 'a', type: 'INTEGER', default: 'ten' }] }, 'input.parameters.0.default'],
      [
        {
          name: 'x',
          datasetId,
          parameters: [
            { name: 'a', type: 'STRING' },
            { name: 'a', type: 'STRING' },
          ],
        },
        'input.parameters.1.name',
      ],
      [{ name: 'x', datasetId, sections: { not: 'a list' } }, 'input.sections'],
    ];
    for (const [input, field] of cases) {
      const r = await gql(stack.url, CREATE, { i: input }, analyst.token);
      expect(r.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await stack.runtime.prisma.reportTemplate.count()).toBe(before);
  });

  it('lets viewers read but not write, and analysts change only their own', async () => {
    const { data } = await gql(stack.url, CREATE, { i: { name: 'mine', datasetId } }, analyst.token);
    const id = data!.createTemplate.id;
    expect(codes(await gql(stack.url, CREATE, { i: { name: 'v', datasetId } }, viewer.token))).toEqual(['FORBIDDEN']);
    expect((await gql(stack.url, 'query($id: ID!) { template(id: $id) { id } }', { id }, viewer.token)).data!.template).toEqual({ id });
    const other = await userWithRole(stack, 'ANALYST');
    expect(codes(await gql(stack.url, 'mutation($id: ID!) { deleteTemplate(id: $id) }', { id }, other.token))).toEqual(['FORBIDDEN']);
    expect((await gql(stack.url, 'mutation($id: ID!) { deleteTemplate(id: $id) }', { id }, admin.token)).data!.deleteTemplate).toBe(true);
    expect((await gql(stack.url, 'query($id: ID!) { template(id: $id) { id } }', { id }, viewer.token)).data!.template).toBeNull();
    expect(codes(await gql(stack.url, 'mutation($id: ID!) { deleteTemplate(id: $id) }', { id }, admin.token))).toEqual(['NOT_FOUND']);
  });

  it('needs a signed-in caller to read', async () => {
    expect(codes(await gql(stack.url, '{ templates { id } }'))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('API keys', () => {
  it('authenticates a BI tool by key until the key is revoked', async () => {
    const r = await gql(
      stack.url,
      'mutation { createApiKey(name: "Power BI", role: VIEWER) { key apiKey { id name role prefix } } }',
      {},
      admin.token,
    );
    const { key, apiKey } = r.data!.createApiKey;
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    const asKey = await gql(stack.url, '{ templates { id } me { id } }', {}, { apiKey: key });
    expect(asKey.errors).toBeUndefined();
    expect(asKey.data!.me).toBeNull();
    expect(codes(await gql(stack.url, CREATE, { i: { name: 'k', datasetId } }, { apiKey: key }))).toEqual(['FORBIDDEN']);
    const listed = await gql(stack.url, '{ apiKeys { id revokedAt } }', {}, admin.token);
    expect(listed.data!.apiKeys.some((k: { id: string }) => k.id === apiKey.id)).toBe(true);
    await gql(stack.url, 'mutation($id: ID!) { revokeApiKey(id: $id) }', { id: apiKey.id }, admin.token);
    // The gateway trusts a looked-up key for a few seconds; a fresh stack sees the revocation at once.
    const fresh = await startTestStack();
    try {
      const refused = await gql(fresh.url, '{ templates { id } }', {}, { apiKey: key });
      expect(refused.status).toBe(401);
    } finally {
      await fresh.stop();
    }
    expect(codes(await gql(stack.url, '{ templates { id } }', {}, { apiKey: 'rg_made_up' }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('persisted operations', () => {
  it('registers a document under its sha256, idempotently', async () => {
    const document = 'query Kpis { templates { id name } }';
    const r = await gql(
      stack.url,
      'mutation($d: String!) { registerPersistedOperation(name: "kpis", document: $d) { id name } }',
      { d: document },
      admin.token,
    );
    const { createHash } = await import('node:crypto');
    expect(r.data!.registerPersistedOperation).toEqual({ id: createHash('sha256').update(document).digest('hex'), name: 'kpis' });
    const again = await gql(
      stack.url,
      'mutation($d: String!) { registerPersistedOperation(name: "kpis", document: $d) { id } }',
      { d: document },
      admin.token,
    );
    expect(again.errors).toBeUndefined();
    const clash = await gql(
      stack.url,
      'mutation { registerPersistedOperation(name: "kpis", document: "{ me { id } }") { id } }',
      {},
      admin.token,
    );
    expect(codes(clash)).toEqual(['CONFLICT']);
    const bad = await gql(
      stack.url,
      'mutation { registerPersistedOperation(name: "broken", document: "query {") { id } }',
      {},
      admin.token,
    );
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'document' });
    expect(codes(await gql(stack.url, '{ persistedOperations { id } }', {}, analyst.token))).toEqual(['FORBIDDEN']);
  });
});
