import { describe, expect, it } from 'vitest';
import { errorOf } from '../../test/support/errors.js';
import { generateApiKey, hashApiKey } from './apiKeys.js';
import { decodeForwardedIdentity, encodeForwardedIdentity, hasRole, requireOwnerOrAdmin, requireRole, type Identity } from './identity.js';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { issueToken, verifyToken } from './tokens.js';

const secret = 's'.repeat(40);
const analyst: Identity = { id: '00000000-0000-4000-8000-000000000001', name: 'ana', role: 'ANALYST', kind: 'user' };

const codeOf = (fn: () => unknown) => errorOf(fn)?.code;

describe('passwords', () => {
  it('verifies the right password only, with a salted hash', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$131072\$8\$1\$/); // OWASP: N = 2^17, r = 8, p = 1
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('wrong horse', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('still verifies hashes of a lower cost, and says they need rehashing', async () => {
    const old = await hashPassword('correct horse', { log2N: 14 });
    expect(old).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(old, 14)).toBe(false);
    expect(needsRehash(await hashPassword('correct horse'))).toBe(false);
  });

  it('refuses a stored hash whose cost would make verification a memory bomb', async () => {
    const real = await hashPassword('pw', { log2N: 14 });
    const [, , r, p, salt, hash] = real.split('$');
    expect(await verifyPassword('pw', ['scrypt', 2 ** 24, r, p, salt, hash].join('$'))).toBe(false);
    expect(await verifyPassword('pw', ['scrypt', 3000, r, p, salt, hash].join('$'))).toBe(false);
  });
});

describe('tokens', () => {
  it('round-trips an identity and refuses a token signed with another secret', async () => {
    const { token } = await issueToken({ id: analyst.id, username: 'ana', role: 'ANALYST' }, { secret, ttlSeconds: 60 });
    expect(await verifyToken(token, secret)).toEqual(analyst);
    await expect(verifyToken(token, 'o'.repeat(40))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses an expired token', async () => {
    const { token } = await issueToken({ id: analyst.id, username: 'ana', role: 'ANALYST' }, { secret, ttlSeconds: -10 });
    await expect(verifyToken(token, secret)).rejects.toThrow(/expired/);
  });
});

describe('forwarded identity', () => {
  it('is trusted only with the gateway signature, and only while fresh', () => {
    const scope = { audience: 'datasets', requestId: 'req-1' };
    const header = encodeForwardedIdentity(analyst, secret, scope);
    expect(decodeForwardedIdentity(header, secret, scope)).toEqual(analyst);
    expect(codeOf(() => decodeForwardedIdentity(undefined, secret, scope))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => decodeForwardedIdentity(header, 'x'.repeat(40), scope))).toBe('UNAUTHENTICATED');
    const [payload, sig] = header.split('.');
    const forged = Buffer.from(JSON.stringify({ ...analyst, role: 'ADMIN', exp: Date.now() + 60_000 })).toString('base64url');
    expect(codeOf(() => decodeForwardedIdentity(`${forged}.${sig}`, secret, scope))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => decodeForwardedIdentity(`${payload}.${sig}`, secret, scope, Date.now() + 10 * 60_000))).toBe('UNAUTHENTICATED');
  });

  it('vouches for anonymous callers, and binds every header to one subgraph and one request', () => {
    const scope = { audience: 'templates', requestId: 'req-2' };
    const anonymous = encodeForwardedIdentity(null, secret, scope);
    expect(decodeForwardedIdentity(anonymous, secret, scope)).toBeNull();
    const header = encodeForwardedIdentity(analyst, secret, scope);
    expect(codeOf(() => decodeForwardedIdentity(header, secret, { ...scope, audience: 'datasets' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => decodeForwardedIdentity(header, secret, { ...scope, requestId: 'req-3' }))).toBe('UNAUTHENTICATED');
  });
});

describe('roles', () => {
  it('orders ADMIN over ANALYST over VIEWER', () => {
    expect(hasRole(analyst, 'VIEWER')).toBe(true);
    expect(hasRole(analyst, 'ADMIN')).toBe(false);
    expect(codeOf(() => requireRole(null, 'VIEWER'))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => requireRole({ ...analyst, role: 'VIEWER' }, 'ANALYST'))).toBe('FORBIDDEN');
  });

  it('lets an analyst change only what they own', () => {
    expect(requireOwnerOrAdmin(analyst, analyst.id, 'template')).toBe(analyst);
    expect(codeOf(() => requireOwnerOrAdmin(analyst, 'someone-else', 'template'))).toBe('FORBIDDEN');
    expect(requireOwnerOrAdmin({ ...analyst, role: 'ADMIN' }, 'someone-else', 'template').role).toBe('ADMIN');
  });
});

describe('API keys', () => {
  it('are random, prefixed and stored only as their hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^rg_[\w-]{32}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.keyHash).toBe(hashApiKey(a.key));
    expect(a.keyHash).not.toContain(a.key);
  });
});
