import { z } from 'zod';
import { audit } from '../../../lib/audit.js';
import { requireRole, type Identity } from '../../../lib/auth/identity.js';
import { withDatabaseErrors } from '../../../lib/errors.js';
import { ModelTask, type Model, type PrismaClient } from '../../../lib/prisma.js';
import { parseInput } from '../../../lib/validation.js';

/** Model names appear in paths (`/api/models/:name/versions`): keep them URL-safe. */
export const modelNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'lowercase letters, digits and . _ - only, starting with a letter or digit');

const createSchema = z.object({
  name: modelNameSchema,
  task: z.enum(ModelTask),
  description: z.string().max(5000).nullish(),
});

export async function createModel(prisma: PrismaClient, actor: Identity | null, raw: unknown): Promise<Model> {
  const who = requireRole(actor, 'ADMIN', 'Creating a model');
  const input = parseInput(createSchema, raw);
  return withDatabaseErrors(`model "${input.name}"`, () =>
    prisma.$transaction(async (tx) => {
      const model = await tx.model.create({ data: { name: input.name, task: input.task, description: input.description ?? null } });
      await audit(tx, who, 'model.create', { type: 'Model', id: model.id }, { name: input.name, task: input.task });
      return model;
    }),
  );
}
