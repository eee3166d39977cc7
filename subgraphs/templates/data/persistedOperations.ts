import { createHash } from 'node:crypto';
import { parse } from 'graphql';
import { z } from 'zod';
import { audit } from '../../../lib/audit.js';
import { requireRole, type Identity } from '../../../lib/auth/identity.js';
import { badInput, conflict, notFound } from '../../../lib/errors.js';
import type { PersistedOperation, PrismaClient } from '../../../lib/prisma.js';
import { parseInput } from '../../../lib/validation.js';

const nameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z_][\w.-]{0,99}$/, 'must start with a letter or _ (letters, digits, _ . - after)');

/** The id clients send: sha256 of the exact document text, hex (as APQ and trusted documents do). */
export const documentId = (document: string) => createHash('sha256').update(document).digest('hex');

export async function registerPersistedOperation(
  prisma: PrismaClient,
  actor: Identity | null,
  rawName: string,
  document: string,
): Promise<PersistedOperation> {
  const who = requireRole(actor, 'ADMIN', 'Registering a persisted operation');
  const name = parseInput(nameSchema, rawName, 'name');
  try {
    parse(document);
  } catch (err) {
    throw badInput(`document: not a GraphQL document (${(err as Error).message})`, { field: 'document' });
  }
  const id = documentId(document);
  return prisma.$transaction(async (tx) => {
    const existing = await tx.persistedOperation.findFirst({ where: { OR: [{ id }, { name }] } });
    if (existing && (existing.id !== id || existing.name !== name)) {
      throw conflict(
        existing.id === id
          ? `this document is already registered as "${existing.name}"`
          : `the name "${name}" is taken by another document`,
      );
    }
    // Registering the same document under the same name again is a no-op (or un-revokes it).
    const op = await tx.persistedOperation.upsert({
      where: { id },
      create: { id, name, document, createdById: who.kind === 'user' ? who.id : null },
      update: { revokedAt: null },
    });
    await audit(tx, who, 'persistedOperation.register', { type: 'PersistedOperation', id }, { name });
    return op;
  });
}

export async function revokePersistedOperation(prisma: PrismaClient, actor: Identity | null, id: string): Promise<boolean> {
  const who = requireRole(actor, 'ADMIN', 'Revoking a persisted operation');
  return prisma.$transaction(async (tx) => {
    const op = await tx.persistedOperation.findUnique({ where: { id } });
    if (!op) throw notFound('persisted operation', id);
    if (!op.revokedAt) {
      await tx.persistedOperation.update({ where: { id }, data: { revokedAt: new Date() } });
      await audit(tx, who, 'persistedOperation.revoke', { type: 'PersistedOperation', id });
    }
    return true;
  });
}
