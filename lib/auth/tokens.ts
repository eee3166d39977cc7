// Login tokens: HS256 JWTs carrying the user's id, name and role, and a stamp of the password they
// were issued under (`pv`: a digest of its stored hash), so that a changed password ends them.
import { createHash } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { unauthenticated } from '../errors.js';
import { isRole, type Identity, type Role } from './identity.js';

const ISSUER = 'reportgraph';

const key = (secret: string) => new TextEncoder().encode(secret);

/** What a token says of the password it was issued under: a digest of the stored hash (never the hash itself). */
export const credentialStamp = (passwordHash: string) => createHash('sha256').update(passwordHash).digest('base64url').slice(0, 22);

export async function issueToken(
  user: { id: string; username: string; role: Role; passwordHash?: string },
  { secret, ttlSeconds }: { secret: string; ttlSeconds: number },
): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const token = await new SignJWT({
    name: user.username,
    role: user.role,
    ...(user.passwordHash ? { pv: credentialStamp(user.passwordHash) } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user.id)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key(secret));
  return { token, expiresAt };
}

/** Verifies a token; throws UNAUTHENTICATED with the reason when it is bad or expired. */
export async function verifyToken(token: string, secret: string): Promise<Identity> {
  return (await verifyTokenClaims(token, secret)).identity;
}

/** A verified token's identity and its password stamp (null for a token issued without one). */
export async function verifyTokenClaims(token: string, secret: string): Promise<{ identity: Identity; stamp: string | null }> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, algorithms: ['HS256'] });
    const role = payload.role;
    if (!payload.sub || typeof payload.name !== 'string' || !isRole(role)) {
      throw unauthenticated('Token is missing its subject or role');
    }
    return {
      identity: { id: payload.sub, name: payload.name, role, kind: 'user' },
      stamp: typeof payload.pv === 'string' ? payload.pv : null,
    };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw unauthenticated('Token expired: log in again');
    if (err instanceof joseErrors.JOSEError) throw unauthenticated('Invalid token');
    throw err;
  }
}
