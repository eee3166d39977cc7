// Who is calling, and what their role lets them do. The gateway authenticates; subgraphs receive
// the verified identity in a header they trust only when the gateway's HMAC signature matches.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { forbidden, unauthenticated } from '../errors.js';
import { Role } from '../prisma.js';

export { Role };

/** Each role's rank: a higher one may do everything a lower one may. */
const RANK: Record<Role, number> = { VIEWER: 0, ANALYST: 1, ADMIN: 2 };

export const isRole = (value: unknown): value is Role => typeof value === 'string' && Object.hasOwn(RANK, value);

export interface Identity {
  /** User id, or API key id for `kind: 'apiKey'`. */
  id: string;
  /** Username, or the API key's name. */
  name: string;
  role: Role;
  kind: 'user' | 'apiKey';
}

export const IDENTITY_HEADER = 'x-reportgraph-identity';
export const REQUEST_ID_HEADER = 'x-request-id';

/** How long a forwarded identity stays valid: long enough for one request's subgraph fetches. */
const FORWARDED_TTL_MS = 5 * 60_000;

/** `ADMIN` ⊇ `ANALYST` ⊇ `VIEWER`. */
export function hasRole(identity: Identity | null | undefined, least: Role): boolean {
  return !!identity && RANK[identity.role] >= RANK[least];
}

/** Throws UNAUTHENTICATED when nobody is signed in, FORBIDDEN when the role is too low. */
export function requireRole(identity: Identity | null | undefined, least: Role, action?: string): Identity {
  if (!identity) throw unauthenticated();
  if (!hasRole(identity, least)) {
    throw forbidden(`${action ? `${action} needs` : 'This needs'} the ${least} role; you are ${identity.role}`);
  }
  return identity;
}

/** An ANALYST may change only what they own; an ADMIN may change anything. */
export function requireOwnerOrAdmin(identity: Identity | null | undefined, ownerId: string | null, what: string): Identity {
  const who = requireRole(identity, 'ANALYST', `Changing a ${what}`);
  if (who.role !== 'ADMIN' && ownerId !== who.id) throw forbidden(`Only the owner of this ${what} or an ADMIN may change it`);
  return who;
}

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** Encodes an identity for the identity header: `base64url(json).hmac`. */
export function encodeForwardedIdentity(identity: Identity, secret: string, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ ...identity, exp: now + FORWARDED_TTL_MS })).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

/**
 * Decodes the identity header. Returns null when absent; throws UNAUTHENTICATED when present but
 * not signed by the gateway (or expired) — a forged header is never treated as anonymous.
 */
export function decodeForwardedIdentity(header: string | undefined, secret: string, now = Date.now()): Identity | null {
  if (!header) return null;
  const [payload, signature] = header.split('.');
  if (!payload || !signature) throw unauthenticated('Malformed identity header');
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw unauthenticated('Identity header not signed by the gateway');
  }
  const { exp, ...identity } = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Identity & { exp: number };
  if (typeof exp !== 'number' || exp < now) throw unauthenticated('Identity header expired');
  return identity;
}
