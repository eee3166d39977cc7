import { z } from 'zod';
import { audit } from '../../../lib/audit.js';
import { generateApiKey } from '../../../lib/auth/apiKeys.js';
import { requireRole, type Identity, type Role } from '../../../lib/auth/identity.js';
import { notFound } from '../../../lib/errors.js';
import type { ApiKey, PrismaClient } from '../../../lib/prisma.js';
import { isUuid, parseInput } from '../../../lib/validation.js';

const nameSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export async function createApiKey(
  prisma: PrismaClient,
  actor: Identity | null,
  name: string,
  role: Role,
): Promise<{ key: string; apiKey: ApiKey }> {
  const who = requireRole(actor, 'ADMIN', 'Creating an API key');
  const cleanName = parseInput(nameSchema, name, 'name');
  const { key, keyHash, keyPrefix } = generateApiKey();
  const apiKey = await prisma.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: { name: cleanName, role, keyHash, keyPrefix, createdById: who.kind === 'user' ? who.id : null },
    });
    await audit(tx, who, 'apiKey.create', { type: 'ApiKey', id: created.id }, { name: cleanName, role });
    return created;
  });
  return { key, apiKey };
}

export async function revokeApiKey(prisma: PrismaClient, actor: Identity | null, id: string): Promise<boolean> {
  const who = requireRole(actor, 'ADMIN', 'Revoking an API key');
  return prisma.$transaction(async (tx) => {
    const revoked = isUuid(id)
      ? await tx.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } })
      : { count: 0 };
    if (revoked.count === 0) {
      if (!(isUuid(id) && (await tx.apiKey.findUnique({ where: { id } })))) throw notFound('API key', id);
      return true; // already revoked
    }
    await audit(tx, who, 'apiKey.revoke', { type: 'ApiKey', id });
    return true;
  });
}
