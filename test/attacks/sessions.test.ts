// Attacks on sessions: a disabled or demoted user going on with the token (and live connections)
// they had, and password hashes of an older, cheaper cost left as they were.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../lib/auth/passwords.js';
import { expectStillServes, post } from '../support/attack.js';
import { codes, gql, ownDatabase, startTestStack, unique, userWithRole, type TestStack } from '../support/stack.js';

let db: Awaited<ReturnType<typeof ownDatabase>>;
let stack: TestStack;
let admin: { token: string; id: string };

beforeAll(async () => {
  // A database of its own: the last-admin test demotes every other ADMIN, which in the shared
  // database would include the ADMINs other test files are working as.
  db = await ownDatabase();
  stack = await startTestStack({ DATABASE_URL: db.url, AUTH_RECHECK_SECONDS: '1' });
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const UPDATE = 'mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id role disabledAt } }';

describe('sessions', () => {
  it("refuses a disabled user's token at once, and closes their live connections", async () => {
    const victim = await userWithRole(stack, 'ANALYST');
    const client = createClient({
      url: `${stack.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${victim.token}` },
      retryAttempts: 0,
    });
    const closed = new Promise<number>((resolve) => client.on('closed', (e) => resolve((e as { code: number }).code)));
    client.subscribe(
      { query: 'subscription { modelEvents { kind } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    await new Promise((r) => setTimeout(r, 300));
    const disabled = await gql(stack.url, UPDATE, { id: victim.id, i: { disabled: true } }, admin.token);
    expect(disabled.errors).toBeUndefined();
    expect(disabled.data!.updateUser.disabledAt).toBeTruthy();
    expect(codes(await gql(stack.url, '{ me { id } }', {}, victim.token))).toEqual(['UNAUTHENTICATED']);
    expect(await Promise.race([closed, new Promise((r) => setTimeout(() => r('still open'), 3000))])).toBe(4403);
    const login = await post(stack.url, {
      query: 'mutation($u: String!) { login(username: $u, password: "x") { token } }',
      variables: { u: victim.username },
    });
    expect(login.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    await client.dispose();
    await expectStillServes(stack, admin.token);
  });

  it('applies a demotion to the token already issued', async () => {
    const victim = await userWithRole(stack, 'ADMIN');
    expect((await gql(stack.url, '{ users { id } }', {}, victim.token)).errors).toBeUndefined();
    await gql(stack.url, UPDATE, { id: victim.id, i: { role: 'VIEWER' } }, admin.token);
    expect(codes(await gql(stack.url, '{ users { id } }', {}, victim.token))).toEqual(['FORBIDDEN']);
    expect((await gql(stack.url, '{ me { role } }', {}, victim.token)).data!.me.role).toBe('VIEWER');
  });

  it('ends the sessions of the old password when a password is changed, and signs in with the new one', async () => {
    const login = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';
    const victim = await userWithRole(stack, 'ANALYST');
    const second = (await gql(stack.url, login, { u: victim.username, p: victim.password })).data!.login.token as string;
    for (const token of [victim.token, second]) expect((await gql(stack.url, '{ me { id } }', {}, token)).errors).toBeUndefined();
    await gql(stack.url, UPDATE, { id: victim.id, i: { password: 'a-brand-new-password' } }, admin.token);
    for (const token of [victim.token, second]) {
      const r = await gql(stack.url, '{ me { id } }', {}, token);
      expect(codes(r)).toEqual(['UNAUTHENTICATED']);
      expect(r.errors![0]!.message).toMatch(/password was changed/);
    }
    const fresh = (await gql(stack.url, login, { u: victim.username, p: 'a-brand-new-password' })).data!.login.token as string;
    expect((await gql(stack.url, '{ me { id } }', {}, fresh)).data!.me.id).toBe(victim.id);
  });

  it('lets only an ADMIN change users, and never removes the last enabled ADMIN', async () => {
    const analyst = await userWithRole(stack, 'ANALYST');
    expect(codes(await gql(stack.url, UPDATE, { id: analyst.id, i: { role: 'ADMIN' } }, analyst.token))).toEqual(['FORBIDDEN']);
    const admins = await stack.runtime.prisma.user.findMany({ where: { role: 'ADMIN', disabledAt: null } });
    // Demote every other admin first; the last one must stay.
    for (const other of admins.filter((u) => u.id !== admin.id))
      await gql(stack.url, UPDATE, { id: other.id, i: { role: 'VIEWER' } }, admin.token);
    const self = await gql(stack.url, UPDATE, { id: admin.id, i: { disabled: true } }, admin.token);
    expect(codes(self)).toEqual(['CONFLICT']);
    expect((await stack.runtime.prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).disabledAt).toBeNull();
    await expectStillServes(stack, admin.token);
  });

  it('upgrades a password hash of an older cost at the next sign-in', async () => {
    const username = unique('legacy').replace(' ', '_');
    const old = await hashPassword('correct horse battery', { log2N: 14 });
    await stack.runtime.prisma.user.create({ data: { username, role: 'VIEWER', passwordHash: old } });
    const fresh = await startTestStack({ DATABASE_URL: db.url, PASSWORD_SCRYPT_LOG2N: '15' });
    try {
      const r = await gql(fresh.url, 'mutation($u: String!) { login(username: $u, password: "correct horse battery") { token } }', {
        u: username,
      });
      expect(r.errors).toBeUndefined();
      const stored = (await fresh.runtime.prisma.user.findUniqueOrThrow({ where: { username } })).passwordHash;
      expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(stored).not.toBe(old);
      // The token of that sign-in is stamped with the hash stored now: it works.
      expect((await gql(fresh.url, '{ me { username } }', {}, r.data!.login.token)).data!.me.username).toBe(username);
    } finally {
      await fresh.stop();
    }
  });
});
