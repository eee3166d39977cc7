// Who is calling: a login token (`Authorization: Bearer`) or an API key (`X-API-Key`).
// Anonymous requests pass (to reach `login`); resolvers decide what needs a role.
import type { Request } from 'express';
import { hashApiKey } from '../lib/auth/apiKeys.js';
import type { Identity } from '../lib/auth/identity.js';
import { verifyToken } from '../lib/auth/tokens.js';
import { unauthenticated } from '../lib/errors.js';
import type { Runtime } from '../lib/runtime.js';

/** How long a looked-up API key is trusted before it is read again (revocation takes this long). */
const API_KEY_CACHE_MS = 10_000;
/** `lastUsedAt` is written at most this often per key. */
const LAST_USED_WRITE_MS = 60_000;

/** Verified tokens kept (until they expire) so a busy client's token is checked once, not per request. */
const TOKEN_CACHE_SIZE = 10_000;

export function createAuthenticator(runtime: Runtime) {
  const apiKeys = new Map<string, { identity: Identity | null; until: number; lastUsedWrite: number }>();
  const tokens = new Map<string, { identity: Identity; until: number }>();

  async function byToken(token: string): Promise<Identity> {
    const cached = tokens.get(token);
    if (cached && cached.until > Date.now()) return cached.identity;
    const identity = await verifyToken(token, runtime.config.jwtSecret);
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
    if (tokens.size >= TOKEN_CACHE_SIZE) tokens.clear();
    tokens.set(token, { identity, until: exp * 1000 });
    return identity;
  }

  async function byApiKey(key: string): Promise<Identity> {
    const keyHash = hashApiKey(key);
    const now = Date.now();
    let entry = apiKeys.get(keyHash);
    if (!entry || entry.until < now) {
      const row = await runtime.prisma.apiKey.findUnique({ where: { keyHash } });
      const identity: Identity | null = row && !row.revokedAt ? { id: row.id, name: row.name, role: row.role, kind: 'apiKey' } : null;
      entry = { identity, until: now + API_KEY_CACHE_MS, lastUsedWrite: entry?.lastUsedWrite ?? 0 };
      if (apiKeys.size > 10_000) apiKeys.clear();
      apiKeys.set(keyHash, entry);
    }
    if (!entry.identity) throw unauthenticated('Unknown or revoked API key');
    if (now - entry.lastUsedWrite > LAST_USED_WRITE_MS) {
      entry.lastUsedWrite = now;
      runtime.prisma.apiKey
        .update({ where: { id: entry.identity.id }, data: { lastUsedAt: new Date(now) } })
        .catch((err) => runtime.logger.warn({ err: (err as Error).message }, 'could not record API key use'));
    }
    return entry.identity;
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

  return {
    authenticate: (req: Request) => authenticateHeaders((name) => req.get(name)),
    authenticateHeaders,
  };
}
