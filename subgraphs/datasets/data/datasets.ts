import { z } from 'zod';
import { audit } from '../../../lib/audit.js';
import { requireOwnerOrAdmin, requireRole, type Identity } from '../../../lib/auth/identity.js';
import { DATASET_VERSIONS_CHANNEL, dropVersionTables } from '../../../lib/datasets/tables.js';
import { notFound, withDatabaseErrors } from '../../../lib/errors.js';
import type { Dataset, PrismaClient } from '../../../lib/prisma.js';
import { isUuid, parseInput } from '../../../lib/validation.js';

const createSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  description: z.string().max(5000, 'must be at most 5000 characters').nullish(),
});

export async function createDataset(prisma: PrismaClient, actor: Identity | null, raw: unknown): Promise<Dataset> {
  const who = requireRole(actor, 'ANALYST', 'Creating a dataset');
  const input = parseInput(createSchema, raw);
  return withDatabaseErrors(`dataset "${input.name}"`, () =>
    prisma.$transaction(async (tx) => {
      const dataset = await tx.dataset.create({
        data: { name: input.name, description: input.description ?? null, ownerId: who.kind === 'user' ? who.id : null },
      });
      await audit(tx, who, 'dataset.create', { type: 'Dataset', id: dataset.id }, { name: input.name });
      return dataset;
    }),
  );
}

/** Deletes the dataset, its versions' metadata and their tables in one transaction. */
export async function deleteDataset(prisma: PrismaClient, actor: Identity | null, id: string): Promise<boolean> {
  // Role first: a viewer learns nothing about which ids exist.
  requireRole(actor, 'ANALYST', 'Deleting a dataset');
  const dataset = isUuid(id) ? await prisma.dataset.findUnique({ where: { id } }) : null;
  if (!dataset) throw notFound('dataset', id);
  const who = requireOwnerOrAdmin(actor, dataset.ownerId, 'dataset');
  await prisma.$transaction(async (tx) => {
    const versions = await tx.datasetVersion.findMany({ where: { datasetId: id }, select: { tableName: true } });
    await tx.dataset.delete({ where: { id } });
    await dropVersionTables(
      tx,
      versions.map((v) => v.tableName),
    );
    // Hot reports on this dataset stop being served (delivered on commit).
    await tx.$executeRaw`SELECT pg_notify(${DATASET_VERSIONS_CHANNEL}, ${id})`;
    await audit(tx, who, 'dataset.delete', { type: 'Dataset', id }, { name: dataset.name });
  });
  return true;
}
