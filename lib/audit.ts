import type { Identity } from './auth/identity.js';
import type { Prisma } from './prisma.js';

type AuditWriter = { auditLog: { create(args: { data: Prisma.AuditLogCreateInput }): Promise<unknown> } };

/**
 * Records who changed what. Pass the transaction client so the entry commits (or rolls back)
 * with the change itself.
 */
export async function audit(
  db: AuditWriter,
  actor: Identity | null,
  action: string,
  entity: { type: string; id: string },
  details?: Prisma.InputJsonValue,
): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: actor?.kind === 'user' ? actor.id : null,
      actorKind: actor ? `${actor.kind}:${actor.name}` : 'system',
      action,
      entityType: entity.type,
      entityId: entity.id,
      details,
    },
  });
}
