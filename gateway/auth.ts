// Who is calling: a login token (`Authorization: Bearer`) or an API key (`X-API-Key`).
// Anonymous requests pass (to reach `login`); resolvers decide what needs a role. A token's
// signature is verified once and kept until it expires, but the user it names is read again
// every AUTH_RECHECK_SECONDS: a disabled user is refused and a changed role applies within
// seconds, and at once on the replica that hears the change (`forget`).
import type { Request } from 'express';
import { hashApiKey } from '../lib/auth/apiKeys.js';
import type { AccessChange, Identity, Role } from '../lib/auth/identity.js';
import { credentialStamp, verifyTokenClaims } from '../lib/auth/tokens.js';
import { unauthenticated } from '../lib/errors.js';
import type { Runtime } from '../lib/runtime.js';

/** `lastUsedAt` is written at most this often per key. */
const LAST_USED_WRITE_MS = 60_000;
/** Entries kept per cache before it is emptied (a bound on memory, not a policy). */
const CACHE_SIZE = 10_000;

type Cached<T> = { value: T; until: number };

function put<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= CACHE_SIZE) map.clear();
  map.set(key, value);
}

export function createAuthenticator(runtime: Runtime) {
  const recheckMs = runtime.config.auth.recheckSeconds * 1000;
  /** Verified token → its claims, until the token expires. */
  const tokens = new Map<string, Cached<{ identity: Identity; stamp: string | null }>>();
  /** User id → role and password stamp while enabled, null when disabled or gone. */
  const users = new Map<string, Cached<{ role: Role; stamp: string } | null>>();
  const apiKeys = new Map<string, Cached<Identity | null> & { lastUsedWrite: number }>();

  async function claimsOf(token: string): Promise<{ identity: Identity; stamp: string | null }> {
    const cached = tokens.get(token);
    if (cached && cached.until > Date.now()) return cached.value;
    const claims = await verifyTokenClaims(token, runtime.config.jwtSecret);
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
    put(tokens, token, { value: claims, until: exp * 1000 });
    return claims;
  }

  async function userOf(userId: string): Promise<{ role: Role; stamp: string } | null> {
    const now = Date.now();
    const cached = users.get(userId);
    if (cached && cached.until > now) return cached.value;
    const row = await runtime.prisma.user.findUnique({
      where: { id: userId },
      select: { role: true, disabledAt: true, passwordHash: true },
    });
    const user = row && !row.disabledAt ? { role: row.role, stamp: credentialStamp(row.passwordHash) } : null;
    put(users, userId, { value: user, until: now + recheckMs });
    return user;
  }
  const roleOf = async (userId: string) => (await userOf(userId))?.role ?? null;

  async function byToken(token: string): Promise<Identity> {
    const { identity: claims, stamp } = await claimsOf(token);
    const user = await userOf(claims.id);
    if (!user) throw unauthenticated('This account is disabled or no longer exists');
    // Issued under another password: a password change (or reset) ends every session of the old one.
    if (stamp !== null && stamp !== user.stamp) throw unauthenticated('The password was changed since this sign-in: sign in again');
    return user.role === claims.role ? claims : { ...claims, role: user.role };
  }

  async function byApiKey(key: string): Promise<Identity> {
    const keyHash = hashApiKey(key);
    const now = Date.now();
    let entry = apiKeys.get(keyHash);
    if (!entry || entry.until < now) {
      const row = await runtime.prisma.apiKey.findUnique({ where: { keyHash } });
      const identity: Identity | null = row && !row.revokedAt ? { id: row.id, name: row.name, role: row.role, kind: 'apiKey' } : null;
      entry = { value: identity, until: now + recheckMs, lastUsedWrite: entry?.lastUsedWrite ?? 0 };
      put(apiKeys, keyHash, entry);
    }
    if (!entry.value) throw unauthenticated('Unknown or revoked API key');
    if (now - entry.lastUsedWrite > LAST_USED_WRITE_MS) {
      entry.lastUsedWrite = now;
      runtime.prisma.apiKey
        .update({ where: { id: entry.value.id }, data: { lastUsedAt: new Date(now) } })
        .catch((err) => runtime.logger.warn({ err: (err as Error).message }, 'could not record API key use'));
    }
    return entry.value;
  }

  /** From any source of headers (an HTTP request, a WebSocket's connection params). */
  async function authenticateHeaders(header: (name: string) => string | undefined): Promise<Identity | null> {
    const authorization = header('authorization');
    if (authorization) {
      const [scheme, token] = authorization.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthenticated('Authorization must be "Bearer <token>"');
      return byToken(token);
    }
    const apiKey = header('x-api-key');
    if (apiKey) return byApiKey(apiKey);
    return null;
  }

  /**
   * Whether `identity` (as authenticated earlier, e.g. when a WebSocket connected) is still what
   * it was: the same role, not disabled or revoked. Read through the same short-lived caches.
   */
  async function stillValid(identity: Identity): Promise<boolean> {
    if (identity.kind === 'user') return (await roleOf(identity.id)) === identity.role;
    const row = await runtime.prisma.apiKey.findUnique({ where: { id: identity.id }, select: { role: true, revokedAt: true } });
    return !!row && !row.revokedAt && row.role === identity.role;
  }

  /** Drops what is cached about a user or key whose access changed (announced on ACCESS_CHANGES_CHANNEL). */
  function forget(change: AccessChange): void {
    if (change.kind === 'user') users.delete(change.id);
    else for (const [hash, entry] of apiKeys) if (entry.value?.id === change.id) apiKeys.delete(hash);
  }

  return {
    authenticate: (req: Request) => authenticateHeaders((name) => req.get(name)),
    authenticateHeaders,
    stillValid,
    forget,
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
