import type { Prisma } from '../../../lib/prisma.js';
import type { ReportTemplateResolvers, TemplateParameter, TemplateVersionResolvers } from '../__generated__/resolvers-types.js';
import { requireRole } from '../../../lib/auth/identity.js';
import { isUuid } from '../../../lib/validation.js';

/** Parameters are stored as JSON; the input schema guaranteed their shape when they were written. */
const parameters = (json: Prisma.JsonValue) => (Array.isArray(json) ? (json as unknown as TemplateParameter[]) : []);

export const ReportTemplate: ReportTemplateResolvers = {
  __resolveReference: ({ id }, { identity, loaders }) => {
    requireRole(identity, 'VIEWER');
    return isUuid(id) ? loaders.template.load(id) : null;
  },
  owner: (t, _, { loaders }) => (t.ownerId ? loaders.user.load(t.ownerId) : null),
  dataset: (t) => ({ __typename: 'Dataset', id: t.datasetId }),
  parameters: (t) => parameters(t.parameters),
  versions: (t, _, { loaders }) => loaders.templateVersions.load(t.id),
  runs: (t, { limit }, { prisma }) =>
    prisma.reportRun.findMany({ where: { templateId: t.id }, orderBy: { createdAt: 'desc' }, take: Math.min(limit ?? 20, 200) }),
  schedules: (t, _, { prisma }) => prisma.reportSchedule.findMany({ where: { templateId: t.id }, orderBy: { createdAt: 'asc' } }),
};

export const TemplateVersion: TemplateVersionResolvers = {
  dataset: (v) => ({ __typename: 'Dataset', id: v.datasetId }),
  parameters: (v) => parameters(v.parameters),
  createdBy: (v, _, { loaders }) => (v.createdById ? loaders.user.load(v.createdById) : null),
};
