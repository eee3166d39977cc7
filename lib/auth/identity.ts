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

/**
 * Pub/sub channel (lib/pubsub.ts) announcing that a user's or API key's access changed (role,
 * disabled, revoked): gateways drop what they cached about it and close its live connections.
 */
export const ACCESS_CHANGES_CHANNEL = 'access-changes';
export interface AccessChange {
  kind: Identity['kind'];
  id: string;
}
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

/** Where and for which request a forwarded identity is good: one subgraph, one request. */
export interface ForwardedScope {
  /** The subgraph the header is for. */
  audience: string;
  /** The request it travels with (the `x-request-id` header beside it). */
  requestId: string;
}

/**
 * Encodes the caller — an identity, or anonymous (null) — for the identity header:
 * `base64url(json).hmac`, bound to one subgraph and one request and valid for a few minutes.
 * The gateway sends it on every subgraph call, so a subgraph can refuse anything it did not sign.
 */
export function encodeForwardedIdentity(identity: Identity | null, secret: string, scope: ForwardedScope, now = Date.now()): string {
  const claims = { ...(identity ?? { anonymous: true }), aud: scope.audience, rid: scope.requestId, exp: now + FORWARDED_TTL_MS };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

/**
 * Decodes the identity header on a subgraph. Returns the caller (null when the gateway vouched
 * for an anonymous one); throws UNAUTHENTICATED when the header is missing, not signed by the
 * gateway, expired, or meant for another subgraph or request — never treating it as anonymous.
 */
export function decodeForwardedIdentity(
  header: string | undefined,
  secret: string,
  scope: ForwardedScope,
  now = Date.now(),
): Identity | null {
  if (!header) throw unauthenticated('Only the gateway may call a subgraph: the identity header is missing');
  const [payload, signature] = header.split('.');
  if (!payload || !signature) throw unauthenticated('Malformed identity header');
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw unauthenticated('Identity header not signed by the gateway');
  }
  const { exp, aud, rid, anonymous, ...identity } = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Identity & {
    exp: number;
    aud: string;
    rid: string;
    anonymous?: boolean;
  };
  if (typeof exp !== 'number' || exp < now) throw unauthenticated('Identity header expired');
  if (aud !== scope.audience || rid !== scope.requestId) throw unauthenticated('Identity header meant for another subgraph or request');
  return anonymous ? null : identity;
}
