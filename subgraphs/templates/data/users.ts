import { z } from 'zod';
import { audit } from '../../../lib/audit.js';
import { hashPassword, needsRehash, verifyPassword } from '../../../lib/auth/passwords.js';
import { requireRole, Role, type Identity } from '../../../lib/auth/identity.js';
import { conflict, notFound, unauthenticated, withDatabaseErrors } from '../../../lib/errors.js';
import type { PrismaClient, User } from '../../../lib/prisma.js';
import { isUuid, parseInput } from '../../../lib/validation.js';

export const usernameSchema = z
  .string()
  .trim()
  .min(3, 'must be at least 3 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[\p{L}\p{N}_.@-]+$/u, 'letters, digits and _ . @ - only');

export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(256, 'must be at most 256 characters');

const createUserSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  role: z.enum(Role),
});

/** The cost new password hashes are made with (PASSWORD_SCRYPT_LOG2N). */
export interface HashPolicy {
  log2N: number;
}

export async function createUser(
  prisma: PrismaClient,
  policy: HashPolicy,
  actor: Identity | null,
  input: { username: string; password: string; role: Role },
): Promise<User> {
  requireRole(actor, 'ADMIN', 'Creating a user');
  const { username, password, role } = parseInput(createUserSchema, input);
  const passwordHash = await hashPassword(password, policy);
  return withDatabaseErrors(`user "${username}"`, () =>
    prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { username, passwordHash, role } });
      await audit(tx, actor, 'user.create', { type: 'User', id: user.id }, { username, role });
      return user;
    }),
  );
}

/** Same answer and similar time whether the user is unknown or the password wrong: a hash of the current cost. */
const dummyHashes = new Map<number, Promise<string>>();
const dummyHash = (policy: HashPolicy) => {
  let hash = dummyHashes.get(policy.log2N);
  if (!hash) dummyHashes.set(policy.log2N, (hash = hashPassword('not-a-real-password', policy)));
  return hash;
};

/**
 * Checks a sign-in. A correct password stored with less work than the policy asks for is hashed
 * again and stored (best effort: the sign-in succeeds either way).
 */
export async function authenticate(prisma: PrismaClient, policy: HashPolicy, username: string, password: string): Promise<User> {
  const user = await prisma.user.findUnique({ where: { username } });
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash(policy)));
  if (!user || !ok || user.disabledAt) throw unauthenticated('Wrong username or password');
  if (needsRehash(user.passwordHash, policy.log2N)) {
    const passwordHash = await hashPassword(password, policy);
    const { count } = await prisma.user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash } });
    // The token is stamped with the hash now stored (other sessions end with the old one, as on a
    // reset); a sign-in that lost the race to store it takes the one that won.
    if (count) return { ...user, passwordHash };
    const stored = await prisma.user.findUnique({ where: { id: user.id }, select: { passwordHash: true } });
    if (stored) return { ...user, passwordHash: stored.passwordHash };
  }
  return user;
}

const updateUserSchema = z.object({
  role: z.enum(Role).nullish(),
  disabled: z.boolean().nullish(),
  password: passwordSchema.nullish(),
});

/**
 * Changes a user's role, enabled state or password (ADMIN). The last enabled ADMIN cannot be
 * demoted or disabled: nobody could undo it. Callers publish the change so that gateways drop
 * the user's cached identity and close their live connections at once.
 */
export async function updateUser(
  prisma: PrismaClient,
  policy: HashPolicy,
  actor: Identity | null,
  id: string,
  raw: unknown,
): Promise<User> {
  const who = requireRole(actor, 'ADMIN', 'Changing a user');
  const input = parseInput(updateUserSchema, raw);
  const passwordHash = input.password ? await hashPassword(input.password, policy) : undefined;
  return prisma.$transaction(async (tx) => {
    const current = isUuid(id) ? await tx.user.findUnique({ where: { id } }) : null;
    if (!current) throw notFound('user', id);
    const losesAdmin =
      current.role === 'ADMIN' && !current.disabledAt && ((input.role && input.role !== 'ADMIN') || input.disabled === true);
    if (losesAdmin) {
      // Serialises concurrent demotions of admins: one of two "last" admins stays.
      await tx.$queryRaw`SELECT id FROM "User" WHERE role = 'ADMIN' FOR UPDATE`;
      const admins = await tx.user.count({ where: { role: 'ADMIN', disabledAt: null } });
      if (admins <= 1) throw conflict('This is the last enabled ADMIN: make another user ADMIN first');
    }
    const user = await tx.user.update({
      where: { id },
      data: {
        ...(input.role ? { role: input.role } : {}),
        ...(input.disabled === undefined || input.disabled === null
          ? {}
          : { disabledAt: input.disabled ? (current.disabledAt ?? new Date()) : null }),
        ...(passwordHash ? { passwordHash } : {}),
      },
    });
    const changes = { role: input.role ?? undefined, disabled: input.disabled ?? undefined, password: passwordHash ? true : undefined };
    await audit(tx, who, 'user.update', { type: 'User', id }, changes);
    return user;
  });
}
