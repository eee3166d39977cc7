// Templates are versioned: every change writes a new immutable `TemplateVersion` and moves the
// template's mirror of the latest version, in one transaction.
import { z } from 'zod';
import { audit } from '../../../lib/audit.js';
import { requireOwnerOrAdmin, requireRole, type Identity } from '../../../lib/auth/identity.js';
import { findDataset } from '../../../lib/datasets/catalog.js';
import { badInput, notFound } from '../../../lib/errors.js';
import type { Prisma, PrismaClient, ReportTemplate } from '../../../lib/prisma.js';
import { isUuid, parseInput } from '../../../lib/validation.js';
import { TEMPLATES_CHANNEL } from './reportHeads.js';

const parameterSchema = z
  .object({
    name: z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be an identifier (letters, digits, _)'),
    type: z.enum(['STRING', 'INTEGER', 'FLOAT', 'BOOLEAN', 'DATE']),
    required: z.boolean().nullish().transform((v) => v ?? false),
    default: z.unknown().optional(),
    description: z.string().max(1000).nullish(),
  })
  .superRefine((p, ctx) => {
    if (p.default === undefined || p.default === null) return;
    const ok =
      p.type === 'STRING' ? typeof p.default === 'string'
      : p.type === 'INTEGER' ? Number.isInteger(p.default)
      : p.type === 'FLOAT' ? typeof p.default === 'number'
      : p.type === 'BOOLEAN' ? typeof p.default === 'boolean'
      : typeof p.default === 'string' && !Number.isNaN(Date.parse(p.default));
    if (!ok) ctx.addIssue({ code: 'custom', path: ['default'], message: `is not a valid ${p.type}` });
  });

const parametersSchema = z.array(parameterSchema).max(100).superRefine((params, ctx) => {
  const seen = new Set<string>();
  params.forEach((p, i) => {
    if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate parameter "${p.name}"` });
    seen.add(p.name);
  });
});

const fields = {
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  description: z.string().max(5000, 'must be at most 5000 characters').nullish(),
  datasetId: z.string(),
  parameters: parametersSchema,
  sections: z.array(z.unknown(), 'must be a list of sections').max(200),
};

const createSchema = z.object({
  ...fields,
  parameters: fields.parameters.nullish().transform((v) => v ?? []),
  sections: fields.sections.nullish().transform((v) => v ?? []),
});
const updateSchema = z.object(fields).partial();

async function requireDataset(prisma: PrismaClient, datasetId: string) {
  if (!(await findDataset(prisma, datasetId))) {
    throw badInput(`input.datasetId: no dataset ${datasetId}`, { field: 'input.datasetId' });
  }
}

export async function createTemplate(prisma: PrismaClient, actor: Identity | null, raw: unknown): Promise<ReportTemplate> {
  const who = requireRole(actor, 'ANALYST', 'Creating a template');
  const input = parseInput(createSchema, raw);
  await requireDataset(prisma, input.datasetId);
  const snapshot = {
    name: input.name,
    description: input.description ?? null,
    datasetId: input.datasetId,
    parameters: input.parameters as Prisma.InputJsonValue,
    sections: input.sections as Prisma.InputJsonValue,
  };
  return prisma.$transaction(async (tx) => {
    const template = await tx.reportTemplate.create({
      data: { ...snapshot, ownerId: who.kind === 'user' ? who.id : null, version: 1 },
    });
    await tx.templateVersion.create({ data: { ...snapshot, templateId: template.id, version: 1, createdById: ownerOf(who) } });
    await audit(tx, who, 'template.create', { type: 'ReportTemplate', id: template.id }, { name: input.name });
    return template;
  });
}

export async function updateTemplate(prisma: PrismaClient, actor: Identity | null, id: string, raw: unknown): Promise<ReportTemplate> {
  const input = parseInput(updateSchema, raw);
  const current = await findLive(prisma, id);
  const who = requireOwnerOrAdmin(actor, current.ownerId, 'template');
  if (input.datasetId !== undefined) await requireDataset(prisma, input.datasetId);
  const snapshot = {
    name: input.name ?? current.name,
    description: input.description === undefined ? current.description : input.description,
    datasetId: input.datasetId ?? current.datasetId,
    parameters: (input.parameters ?? current.parameters) as Prisma.InputJsonValue,
    sections: (input.sections ?? current.sections) as Prisma.InputJsonValue,
  };
  return prisma.$transaction(async (tx) => {
    // Guarded by the version read above: a concurrent update makes this match nothing.
    const moved = await tx.reportTemplate.updateMany({
      where: { id, version: current.version, deletedAt: null },
      data: { ...snapshot, version: { increment: 1 } },
    });
    if (moved.count !== 1) throw badInput('The template changed while you edited it: reload and try again');
    const version = current.version + 1;
    await tx.templateVersion.create({ data: { ...snapshot, templateId: id, version, createdById: ownerOf(who) } });
    await audit(tx, who, 'template.update', { type: 'ReportTemplate', id }, { version });
    await tx.$executeRaw`SELECT pg_notify(${TEMPLATES_CHANNEL}, ${id})`;
    return tx.reportTemplate.findUniqueOrThrow({ where: { id } });
  });
}

export async function deleteTemplate(prisma: PrismaClient, actor: Identity | null, id: string): Promise<boolean> {
  const current = await findLive(prisma, id);
  const who = requireOwnerOrAdmin(actor, current.ownerId, 'template');
  await prisma.$transaction(async (tx) => {
    // Soft delete: report runs keep pointing at what produced them.
    await tx.reportTemplate.update({ where: { id }, data: { deletedAt: new Date() } });
    await audit(tx, who, 'template.delete', { type: 'ReportTemplate', id });
    await tx.$executeRaw`SELECT pg_notify(${TEMPLATES_CHANNEL}, ${id})`;
  });
  return true;
}

async function findLive(prisma: PrismaClient, id: string): Promise<ReportTemplate> {
  const template = isUuid(id) ? await prisma.reportTemplate.findFirst({ where: { id, deletedAt: null } }) : null;
  if (!template) throw notFound('template', id);
  return template;
}

const ownerOf = (who: Identity) => (who.kind === 'user' ? who.id : null);
