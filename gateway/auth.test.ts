import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashApiKey } from '../lib/auth/apiKeys.js';
import type { Identity } from '../lib/auth/identity.js';
import { issueToken, verifyTokenClaims } from '../lib/auth/tokens.js';
import { rejectionOf } from '../test/support/errors.js';
import type { Runtime } from '../lib/runtime.js';
import { createAuthenticator } from './auth.js';

vi.mock('../lib/auth/tokens.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../lib/auth/tokens.js')>();
  return { ...real, verifyTokenClaims: vi.fn(real.verifyTokenClaims) };
});

const secret = 's'.repeat(40);
const user = { id: '00000000-0000-4000-8000-000000000001', username: 'ana', role: 'ANALYST' as const };
const ana: Identity = { id: user.id, name: 'ana', role: 'ANALYST', kind: 'user' };
const KEY = 'rg_valid-key-for-tests';
const REVOKED = 'rg_revoked-key-for-tests';

interface KeyRow {
  id: string;
  name: string;
  role: 'VIEWER' | 'ANALYST' | 'ADMIN';
  revokedAt: Date | null;
}

const PASSWORD_HASH = 'scrypt$16384$8$1$salt$hash';

const fakeRuntime = (options: { failUpdates?: boolean } = {}) => {
  const rows = new Map<string, KeyRow>([
    [hashApiKey(KEY), { id: 'key-1', name: 'bi-tool', role: 'VIEWER', revokedAt: null }],
    [hashApiKey(REVOKED), { id: 'key-2', name: 'old', role: 'ADMIN', revokedAt: new Date('2024-01-01') }],
  ]);
  const calls = { findUnique: 0, users: 0, update: [] as Array<{ where: { id: string }; data: { lastUsedAt: Date } }> };
  const logger = pino({ level: 'silent' });
  const users = new Map<string, { role: KeyRow['role']; disabledAt: Date | null; passwordHash: string }>([
    [user.id, { role: 'ANALYST', disabledAt: null, passwordHash: PASSWORD_HASH }],
  ]);
  const runtime = {
    config: { jwtSecret: secret, auth: { recheckSeconds: 10 } },
    logger,
    prisma: {
      user: {
        findUnique: async ({ where }: { where: { id: string } }) => {
          calls.users++;
          return users.get(where.id) ?? null;
        },
      },
      apiKey: {
        findUnique: async ({ where }: { where: { keyHash: string } }) => {
          calls.findUnique++;
          return rows.get(where.keyHash) ?? null;
        },
        update: (args: { where: { id: string }; data: { lastUsedAt: Date } }) => {
          calls.update.push(args);
          return options.failUpdates ? Promise.reject(new Error('db down')) : Promise.resolve({});
        },
      },
    },
  } as unknown as Runtime;
  return { runtime, rows, users, calls, logger };
};

const headers = (h: Record<string, string>) => (name: string) => h[name];

const codeOf = async (promise: Promise<unknown>) => (await rejectionOf(promise))?.code;

afterEach(() => {
  vi.useRealTimers();
  vi.mocked(verifyTokenClaims).mockClear();
});

describe('createAuthenticator', () => {
  it('lets anonymous requests through as null', async () => {
    const { authenticateHeaders } = createAuthenticator(fakeRuntime().runtime);
    expect(await authenticateHeaders(headers({}))).toBeNull();
    expect(await authenticateHeaders(headers({ authorization: '', 'x-api-key': '' }))).toBeNull();
  });

  it('identifies a valid bearer token, with any casing of the scheme', async () => {
    const { authenticateHeaders } = createAuthenticator(fakeRuntime().runtime);
    const { token } = await issueToken(user, { secret, ttlSeconds: 60 });
    expect(await authenticateHeaders(headers({ authorization: `Bearer ${token}` }))).toEqual(ana);
    expect(await authenticateHeaders(headers({ authorization: `bearer ${token}` }))).toEqual(ana);
  });

  it('reads the headers of an HTTP request', async () => {
    const { authenticate } = createAuthenticator(fakeRuntime().runtime);
    const { token } = await issueToken(user, { secret, ttlSeconds: 60 });
    const req = { get: (name: string) => (({ authorization: `Bearer ${token}` }) as Record<string, string>)[name.toLowerCase()] };
    expect(await authenticate(req as Parameters<typeof authenticate>[0])).toEqual(ana);
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Token abc', 'abc'])('refuses the Authorization header %j', async (authorization) => {
    const { authenticateHeaders } = createAuthenticator(fakeRuntime().runtime);
    await expect(authenticateHeaders(headers({ authorization }))).rejects.toMatchObject({
      message: 'Authorization must be "Bearer <token>"',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('refuses a malformed, expired or wrongly signed token', async () => {
    const { authenticateHeaders } = createAuthenticator(fakeRuntime().runtime);
    const expired = (await issueToken(user, { secret, ttlSeconds: -10 })).token;
    const forged = (await issueToken(user, { secret: 'o'.repeat(40), ttlSeconds: 60 })).token;
    await expect(authenticateHeaders(headers({ authorization: 'Bearer not.a.jwt' }))).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    await expect(authenticateHeaders(headers({ authorization: `Bearer ${expired}` }))).rejects.toThrow(/expired/);
    expect(await codeOf(authenticateHeaders(headers({ authorization: `Bearer ${expired}` })))).toBe('UNAUTHENTICATED');
    await expect(authenticateHeaders(headers({ authorization: `Bearer ${forged}` }))).rejects.toMatchObject({
      message: 'Invalid token',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('prefers the bearer token over an API key and does not fall back to the key when the token is bad', async () => {
    const { runtime, calls } = fakeRuntime();
    const { authenticateHeaders } = createAuthenticator(runtime);
    const { token } = await issueToken(user, { secret, ttlSeconds: 60 });
    expect(await authenticateHeaders(headers({ authorization: `Bearer ${token}`, 'x-api-key': KEY }))).toEqual(ana);
    expect(await codeOf(authenticateHeaders(headers({ authorization: 'Bearer bad', 'x-api-key': KEY })))).toBe('UNAUTHENTICATED');
    expect(calls.findUnique).toBe(0);
  });

  it('verifies a token once and serves it from the cache after that', async () => {
    const { authenticateHeaders } = createAuthenticator(fakeRuntime().runtime);
    const { token } = await issueToken(user, { secret, ttlSeconds: 60 });
    expect(await authenticateHeaders(headers({ authorization: `Bearer ${token}` }))).toEqual(ana);
    expect(await authenticateHeaders(headers({ authorization: `Bearer ${token}` }))).toEqual(ana);
    expect(vi.mocked(verifyTokenClaims)).toHaveBeenCalledTimes(1);
  });

  it('stops accepting a cached token once it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-06-01T12:00:00Z'));
    const { authenticateHeaders } = createAuthenticator(fakeRuntime().runtime);
    const { token } = await issueToken(user, { secret, ttlSeconds: 60 });
    expect(await authenticateHeaders(headers({ authorization: `Bearer ${token}` }))).toEqual(ana);
    vi.setSystemTime(new Date('2025-06-01T12:00:59Z'));
    expect(await authenticateHeaders(headers({ authorization: `Bearer ${token}` }))).toEqual(ana);
    vi.setSystemTime(new Date('2025-06-01T12:01:01Z'));
    await expect(authenticateHeaders(headers({ authorization: `Bearer ${token}` }))).rejects.toThrow(/expired/);
  });

  it('refuses the token of a user disabled since it was issued, and applies a changed role', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-06-01T12:00:00Z'));
    const { runtime, users, calls } = fakeRuntime();
    const { authenticateHeaders, forget, stillValid } = createAuthenticator(runtime);
    const { token } = await issueToken(user, { secret, ttlSeconds: 3600 });
    const bearer = headers({ authorization: `Bearer ${token}` });
    expect(await authenticateHeaders(bearer)).toEqual(ana);
    users.set(user.id, { role: 'VIEWER', disabledAt: null, passwordHash: PASSWORD_HASH });
    // Within the recheck window the cached state stands, unless the change was announced.
    expect(await authenticateHeaders(bearer)).toEqual(ana);
    expect(calls.users).toBe(1);
    forget({ kind: 'user', id: user.id });
    expect(await authenticateHeaders(bearer)).toEqual({ ...ana, role: 'VIEWER' });
    expect(await stillValid(ana)).toBe(false);
    users.set(user.id, { role: 'VIEWER', disabledAt: new Date(), passwordHash: PASSWORD_HASH });
    vi.setSystemTime(new Date('2025-06-01T12:00:11Z'));
    expect(await codeOf(authenticateHeaders(bearer))).toBe('UNAUTHENTICATED');
    users.delete(user.id);
    forget({ kind: 'user', id: user.id });
    expect(await codeOf(authenticateHeaders(bearer))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token issued under a password that has since changed; a token without a stamp (older release) stands', async () => {
    const { runtime, users } = fakeRuntime();
    const { authenticateHeaders, forget } = createAuthenticator(runtime);
    const stamped = (await issueToken({ ...user, passwordHash: PASSWORD_HASH }, { secret, ttlSeconds: 3600 })).token;
    const unstamped = (await issueToken(user, { secret, ttlSeconds: 3600 })).token;
    expect(await authenticateHeaders(headers({ authorization: `Bearer ${stamped}` }))).toEqual(ana);
    users.set(user.id, { role: 'ANALYST', disabledAt: null, passwordHash: 'scrypt$16384$8$1$other-salt$other-hash' });
    forget({ kind: 'user', id: user.id });
    const refused = authenticateHeaders(headers({ authorization: `Bearer ${stamped}` }));
    await expect(refused).rejects.toThrow(/password was changed/);
    expect(await authenticateHeaders(headers({ authorization: `Bearer ${unstamped}` }))).toEqual(ana);
  });

  it('identifies a valid API key as kind apiKey', async () => {
    const { authenticateHeaders } = createAuthenticator(fakeRuntime().runtime);
    expect(await authenticateHeaders(headers({ 'x-api-key': KEY }))).toEqual({
      id: 'key-1',
      name: 'bi-tool',
      role: 'VIEWER',
      kind: 'apiKey',
    });
  });

  it('refuses an unknown or revoked API key', async () => {
    const { authenticateHeaders } = createAuthenticator(fakeRuntime().runtime);
    await expect(authenticateHeaders(headers({ 'x-api-key': 'rg_unknown' }))).rejects.toMatchObject({
      message: 'Unknown or revoked API key',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(await codeOf(authenticateHeaders(headers({ 'x-api-key': REVOKED })))).toBe('UNAUTHENTICATED');
  });

  it('reads an API key, known or unknown, from the database once within its 10 s cache window', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-06-01T12:00:00.000Z'));
    const { runtime, calls } = fakeRuntime();
    const { authenticateHeaders } = createAuthenticator(runtime);
    await authenticateHeaders(headers({ 'x-api-key': KEY }));
    await authenticateHeaders(headers({ 'x-api-key': KEY }));
    vi.setSystemTime(new Date('2025-06-01T12:00:10.000Z'));
    await authenticateHeaders(headers({ 'x-api-key': KEY }));
    expect(calls.findUnique).toBe(1);
    await codeOf(authenticateHeaders(headers({ 'x-api-key': 'rg_unknown' })));
    await codeOf(authenticateHeaders(headers({ 'x-api-key': 'rg_unknown' })));
    expect(calls.findUnique).toBe(2);
    vi.setSystemTime(new Date('2025-06-01T12:00:10.001Z'));
    await authenticateHeaders(headers({ 'x-api-key': KEY }));
    expect(calls.findUnique).toBe(3);
  });

  it('notices a revocation once the cache window has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-06-01T12:00:00Z'));
    const { runtime, rows } = fakeRuntime();
    const { authenticateHeaders } = createAuthenticator(runtime);
    expect(await authenticateHeaders(headers({ 'x-api-key': KEY }))).toMatchObject({ kind: 'apiKey' });
    rows.get(hashApiKey(KEY))!.revokedAt = new Date();
    vi.setSystemTime(new Date('2025-06-01T12:00:05Z'));
    expect(await authenticateHeaders(headers({ 'x-api-key': KEY }))).toMatchObject({ kind: 'apiKey' });
    vi.setSystemTime(new Date('2025-06-01T12:00:11Z'));
    expect(await codeOf(authenticateHeaders(headers({ 'x-api-key': KEY })))).toBe('UNAUTHENTICATED');
  });

  it("records an API key's use at most once a minute", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-06-01T12:00:00Z'));
    const { runtime, calls } = fakeRuntime();
    const { authenticateHeaders } = createAuthenticator(runtime);
    await authenticateHeaders(headers({ 'x-api-key': KEY }));
    vi.setSystemTime(new Date('2025-06-01T12:00:30Z'));
    await authenticateHeaders(headers({ 'x-api-key': KEY }));
    expect(calls.update).toEqual([{ where: { id: 'key-1' }, data: { lastUsedAt: new Date('2025-06-01T12:00:00Z') } }]);
    vi.setSystemTime(new Date('2025-06-01T12:01:01Z'));
    await authenticateHeaders(headers({ 'x-api-key': KEY }));
    expect(calls.update.map((u) => u.data.lastUsedAt.toISOString())).toEqual(['2025-06-01T12:00:00.000Z', '2025-06-01T12:01:01.000Z']);
  });

  it('still authenticates when recording the use fails, and logs a warning', async () => {
    const { runtime, logger } = fakeRuntime({ failUpdates: true });
    const warn = vi.spyOn(logger, 'warn');
    const { authenticateHeaders } = createAuthenticator(runtime);
    expect(await authenticateHeaders(headers({ 'x-api-key': KEY }))).toMatchObject({ id: 'key-1', kind: 'apiKey' });
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith({ err: 'db down' }, 'could not record API key use'));
  });
});
