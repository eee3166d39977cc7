import { requireRole } from '../../../lib/auth/identity.js';
import { page } from '../../../lib/graphql/pagination.js';
import type { Prisma } from '../../../lib/prisma.js';
import { isUuid } from '../../../lib/validation.js';
import type {
  AnalysisJobResolvers,
  Anomaly,
  ChartSuggestion,
  DatasetResolvers,
  ForecastPoint,
  InsightResolvers,
} from '../__generated__/resolvers-types.js';

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

/** An anomaly as stored; insights written before types, expected values and drivers lack them. */
type StoredAnomaly = Omit<Anomaly, 'type' | 'drivers'> & Partial<Pick<Anomaly, 'type' | 'drivers'>>;

export const Insight: InsightResolvers = {
  anomalies: (i) =>
    list<StoredAnomaly>(i.anomalies).map((a) => ({
      ...a,
      type: a.type ?? 'SPIKE',
      expected: a.expected ?? null,
      residual: a.residual ?? null,
      drivers: a.drivers ?? [],
    })),
  forecast: (i) => list<ForecastPoint>(i.forecast),
  chart: (i) => {
    if (!i.chart || typeof i.chart !== 'object' || Array.isArray(i.chart)) return null;
    const chart = i.chart as Partial<ChartSuggestion> & { type: string };
    return { ...chart, alternatives: chart.alternatives ?? [] };
  },
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
