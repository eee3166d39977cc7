import { z } from 'zod';
import { audit } from '../../../lib/audit.js';
import { hashPassword, verifyPassword } from '../../../lib/auth/passwords.js';
import { Role, type Identity } from '../../../lib/auth/identity.js';
import { unauthenticated, withDatabaseErrors } from '../../../lib/errors.js';
import type { PrismaClient, User } from '../../../lib/prisma.js';
import { parseInput } from '../../../lib/validation.js';

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

export async function createUser(
  prisma: PrismaClient,
  actor: Identity | null,
  input: { username: string; password: string; role: Role },
): Promise<User> {
  const { username, password, role } = parseInput(createUserSchema, input);
  const passwordHash = await hashPassword(password);
  return withDatabaseErrors(`user "${username}"`, () =>
    prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { username, passwordHash, role } });
      await audit(tx, actor, 'user.create', { type: 'User', id: user.id }, { username, role });
      return user;
    }),
  );
}

/** Same answer and similar time whether the user is unknown or the password wrong. */
const DUMMY_HASH = await hashPassword('not-a-real-password');

export async function authenticate(prisma: PrismaClient, username: string, password: string): Promise<User> {
  const user = await prisma.user.findUnique({ where: { username } });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabledAt) throw unauthenticated('Wrong username or password');
  return user;
}
