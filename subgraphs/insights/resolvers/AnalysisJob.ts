import { requireRole } from '../../../lib/auth/identity.js';
import { page } from '../../../lib/graphql/pagination.js';
import type { Prisma } from '../../../lib/prisma.js';
import { isUuid } from '../../../lib/validation.js';
import type { AnalysisJobResolvers, Anomaly, DatasetResolvers, ForecastPoint, InsightResolvers } from '../__generated__/resolvers-types.js';

const modelVersionRef = (id: string) => ({ __typename: 'ModelVersion' as const, id });

export const AnalysisJob: AnalysisJobResolvers = {
  __resolveReference: ({ id }, { identity, loaders }) => {
    requireRole(identity, 'VIEWER');
    return isUuid(id) ? loaders.job.load(id) : null;
  },
  dataset: (job) => ({ __typename: 'Dataset', id: job.datasetId }),
  insights: (job, _, { loaders }) => loaders.insightsByJob.load(job.id),
  modelVersions: (job) => job.modelVersionIds.map(modelVersionRef),
};

/** Findings are stored as JSON written by the workers in these shapes. */
const list = <T>(json: Prisma.JsonValue): T[] => (Array.isArray(json) ? (json as unknown as T[]) : []);

export const Insight: InsightResolvers = {
  anomalies: (i) => list<Anomaly>(i.anomalies),
  forecast: (i) => list<ForecastPoint>(i.forecast),
  chart: (i) => (i.chart && typeof i.chart === 'object' ? (i.chart as { type: string }) : null),
  modelVersion: (i) => (i.modelVersionId ? modelVersionRef(i.modelVersionId) : null),
};

/** The insights side of `Dataset`: its analyses and findings. */
export const Dataset: DatasetResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  insights: ({ id }, args, { identity, loaders }) => {
    requireRole(identity, 'VIEWER');
    const { take, skip } = page(args);
    return isUuid(id) ? loaders.insightsByDataset(take, skip).load(id) : [];
  },
  analysisJobs: ({ id }, args, { identity, loaders }) => {
    requireRole(identity, 'VIEWER');
    const { take, skip } = page(args);
    return isUuid(id) ? loaders.jobsByDataset(take, skip).load(id) : [];
  },
};
