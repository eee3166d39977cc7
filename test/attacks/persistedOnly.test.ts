// Attacks on PERSISTED_OPERATIONS_ONLY=all: the three ways around it a review found — a
// subscription over WebSocket, a "login" carrying more than a sign-in, a persisted mutation sent
// over GET — each refused with its code, nothing written, and the gateway still serving.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../support/attack.js';
import { gql, startTestStack, userWithRole, type TestStack } from '../support/stack.js';

let stack: TestStack;
let admin: { token: string; id: string };
let viewer: { token: string; username: string };
let createKeyId: string;
let meId: string;

const register = async (name: string, document: string) => {
  // Registered directly: under `all`, even an ADMIN's ad-hoc registration would be refused.
  const { createHash } = await import('node:crypto');
  const id = createHash('sha256').update(document).digest('hex');
  await stack.runtime.prisma.persistedOperation.create({ data: { id, name, document } });
  return id;
};

beforeAll(async () => {
  stack = await startTestStack({ PERSISTED_OPERATIONS_ONLY: 'all' });
  [admin, viewer] = await Promise.all([userWithRole(stack, 'ADMIN'), userWithRole(stack, 'VIEWER')]);
  createKeyId = await register('createKey', 'mutation { createApiKey(name: "via GET", role: ADMIN) { key } }');
  meId = await register('me', 'query Me { me { id } }');
});
afterAll(() => stack?.stop());

const subscribeOnce = (query: string, token: string) =>
  new Promise<{ errors?: any[]; data?: unknown }>((resolve) => {
    const client = createClient({
      url: `${stack.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const stop = client.subscribe(
      { query },
      {
        next: (r) => {
          stop();
          void client.dispose();
          resolve(r as never);
        },
        error: (e) => {
          void client.dispose();
          resolve({ errors: Array.isArray(e) ? e : [{ message: String((e as Error).message ?? e), extensions: {} }] });
        },
        complete: () => resolve({}),
      },
    );
  });

describe('persisted-only mode', () => {
  it('runs registered documents for everyone, by id', async () => {
    const r = await post(stack.url, { documentId: meId }, { authorization: `Bearer ${viewer.token}` });
    expect(r.body.data.me.id).toBeTruthy();
  });

  it('refuses an ad-hoc subscription over WebSocket', async () => {
    const r = await subscribeOnce('subscription { modelEvents { kind } }', viewer.token);
    expect(r.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });

  it('lets a sign-in through only in its plain form: no other fields, aliases or fragments', async () => {
    const plain = await post(stack.url, {
      query: `mutation { login(username: "${viewer.username}", password: "wrong-pass") { token user { id role } } }`,
    });
    expect(plain.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const before = await stack.runtime.prisma.apiKey.count();
    for (const smuggled of [
      `mutation { login(username: "x", password: "y") { token } createApiKey(name: "x", role: ADMIN) { key } }`,
      `mutation { login(username: "x", password: "y") { token user { templates { id } } } }`,
      `mutation { a: login(username: "x", password: "y") { token } }`,
      `mutation { login(username: "x", password: "y") { ...F } } fragment F on AuthPayload { token }`,
      `query { me { id } }`,
    ]) {
      const r = await post(stack.url, { query: smuggled }, { authorization: `Bearer ${admin.token}` });
      expect(r.body.errors?.[0]?.extensions?.code, smuggled).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    }
    expect(await stack.runtime.prisma.apiKey.count()).toBe(before);
  });

  it('runs persisted mutations over POST only: GET answers 405 and writes nothing', async () => {
    const before = await stack.runtime.prisma.apiKey.count();
    const res = await fetch(`${stack.url}/graphql?documentId=${createKeyId}`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(res.status).toBe(405);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const csv = await fetch(`${stack.url}/graphql?documentId=${createKeyId}`, {
      headers: { authorization: `Bearer ${admin.token}`, accept: 'text/csv' },
    });
    expect(csv.status).toBe(405);
    expect(await stack.runtime.prisma.apiKey.count()).toBe(before);
    const posted = await post(stack.url, { documentId: createKeyId }, { authorization: `Bearer ${admin.token}` });
    expect(posted.body.data.createApiKey.key).toMatch(/^rg_/);
  });

  it('keeps serving', async () => {
    const r = await gql(stack.url, 'query Me { me { id } }', {}, viewer.token);
    expect(r.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const ok = await post(stack.url, { documentId: meId }, { authorization: `Bearer ${viewer.token}` });
    expect(ok.body.data.me.id).toBeTruthy();
  });
});
