import type { Prisma } from '../../../lib/prisma.js';
import type { ReportTemplateResolvers, TemplateParameter, TemplateVersionResolvers } from '../__generated__/resolvers-types.js';
import { requireRole } from '../../../lib/auth/identity.js';
import { isUuid } from '../../../lib/validation.js';
import { MAX_PAGE_SIZE } from '../../../lib/graphql/pagination.js';
import { reportPageUrl } from '../data/links.js';
import { bindParameters } from '../data/render.js';
import { listSchedules } from '../data/schedules.js';
import type { Parameter } from '../data/sections.js';

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
  schedules: (t, _, { identity, prisma }) => listSchedules(prisma, identity, { templateId: t.id, limit: MAX_PAGE_SIZE }),
  link: (t, { params }, { config }) =>
    reportPageUrl(config.reports.publicUrl, t.id, bindParameters(parameters(t.parameters) as Parameter[], params)),
};

export const TemplateVersion: TemplateVersionResolvers = {
  dataset: (v) => ({ __typename: 'Dataset', id: v.datasetId }),
  parameters: (v) => parameters(v.parameters),
  createdBy: (v, _, { loaders }) => (v.createdById ? loaders.user.load(v.createdById) : null),
};
