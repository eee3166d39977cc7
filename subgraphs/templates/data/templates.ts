// Templates are versioned: every change writes a new immutable `TemplateVersion` and moves the
// template's mirror of the latest version, in one transaction.
import { z } from 'zod';
import { audit } from '../../../lib/audit.js';
import { requireOwnerOrAdmin, requireRole, type Identity } from '../../../lib/auth/identity.js';
import { currentColumns, findDataset } from '../../../lib/datasets/catalog.js';
import { badInput, notFound } from '../../../lib/errors.js';
import type { Config } from '../../../lib/config.js';
import type { Prisma, PrismaClient, ReportTemplate } from '../../../lib/prisma.js';
import { isUuid, parseInput } from '../../../lib/validation.js';
import { TEMPLATES_CHANNEL } from './reportHeads.js';
import { removeSchedules } from './schedules.js';
import { checkSections, parametersSchema, sectionsSchema, type Parameter, type Section } from './sections.js';

const fields = {
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  description: z.string().max(5000, 'must be at most 5000 characters').nullish(),
  datasetId: z.string(),
  parameters: parametersSchema,
  sections: sectionsSchema,
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

export interface TemplateDeps {
  prisma: PrismaClient;
  config: Pick<Config, 'datasets' | 'quotas'>;
}

/** A template that would fail on every render is refused when it is written. */
async function checkTemplate({ prisma, config }: TemplateDeps, t: { datasetId: string; parameters: Parameter[]; sections: Section[] }) {
  const bytes = Buffer.byteLength(JSON.stringify({ parameters: t.parameters, sections: t.sections }));
  const maxBytes = config.quotas.reportTemplateMaxBytes;
  if (bytes > maxBytes) {
    throw badInput(`input.sections: the template is ${bytes} bytes as JSON; at most ${maxBytes} (REPORT_TEMPLATE_MAX_BYTES)`, {
      field: 'input.sections',
      limit: 'REPORT_TEMPLATE_MAX_BYTES',
    });
  }
  const max = config.quotas.reportMaxSections;
  if (t.sections.length > max) {
    throw badInput(`input.sections: a report renders at most ${max} sections (REPORT_MAX_SECTIONS)`, {
      field: 'input.sections',
      limit: 'REPORT_MAX_SECTIONS',
    });
  }
  const columns = await currentColumns(prisma, t.datasetId);
  checkSections(t.sections, t.parameters, columns.length ? columns : null, { maxRows: config.datasets.queryMaxRows });
}

export async function createTemplate(deps: TemplateDeps, actor: Identity | null, raw: unknown): Promise<ReportTemplate> {
  const { prisma } = deps;
  const who = requireRole(actor, 'ANALYST', 'Creating a template');
  const input = parseInput(createSchema, raw);
  await requireDataset(prisma, input.datasetId);
  await checkTemplate(deps, input);
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

export async function updateTemplate(deps: TemplateDeps, actor: Identity | null, id: string, raw: unknown): Promise<ReportTemplate> {
  const { prisma } = deps;
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
  if (input.datasetId !== undefined || input.parameters !== undefined || input.sections !== undefined) {
    // The stored parts were checked when written; what changed is checked against them.
    await checkTemplate(deps, {
      datasetId: snapshot.datasetId,
      parameters: input.parameters ?? parseInput(parametersSchema, current.parameters, 'input.parameters'),
      sections: input.sections ?? parseInput(sectionsSchema, current.sections, 'input.sections'),
    });
  }
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
    // Soft delete: report runs keep pointing at what produced them. Its schedules go with it.
    await tx.reportTemplate.update({ where: { id }, data: { deletedAt: new Date() } });
    await removeSchedules(tx, { templateId: id }, 'the template was deleted');
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
