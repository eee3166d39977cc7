import { requireRole } from '../../../lib/auth/identity.js';
import type { Prisma } from '../../../lib/prisma.js';
import { isUuid } from '../../../lib/validation.js';
import { healthRuleOf } from '../data/registry.js';
import type {
  ModelAliasResolvers,
  ModelEventResolvers,
  ModelHealthResolvers,
  ModelResolvers,
  ModelVersionResolvers,
  TensorSpec,
  TrafficWeightResolvers,
} from '../__generated__/resolvers-types.js';

/** Tensor specs are read from the ONNX file at registration and stored in this shape. */
const tensors = (json: Prisma.JsonValue) => (Array.isArray(json) ? (json as unknown as TensorSpec[]) : []);

export const Model: ModelResolvers = {
  __resolveReference: ({ id }, { identity, loaders }) => {
    requireRole(identity, 'VIEWER');
    return isUuid(id) ? loaders.model.load(id) : null;
  },
  versions: (m, _, { loaders }) => loaders.versionsByModel.load(m.id),
  aliases: (m, _, { loaders }) => loaders.aliasesByModel.load(m.id),
  trafficSplit: (m, _, { loaders }) => loaders.weightsByModel.load(m.id),
  healthRule: (m) => healthRuleOf(m),
  events: (m, { limit }, { prisma }) =>
    prisma.modelEvent.findMany({ where: { modelId: m.id }, orderBy: { createdAt: 'desc' }, take: Math.min(limit ?? 50, 1000) }),
};

export const ModelEvent: ModelEventResolvers = {
  version: (e, _, { loaders }) => (e.versionId ? loaders.version.load(e.versionId) : null),
};

export const ModelHealth: ModelHealthResolvers = {
  rolledBackTo: (h) => h.rolledBackTo,
};

export const ModelVersion: ModelVersionResolvers = {
  // Referenced by analysis jobs and insights (the version that produced them).
  __resolveReference: ({ id }, { identity, loaders }) => {
    requireRole(identity, 'VIEWER');
    return isUuid(id) ? loaders.version.load(id) : null;
  },
  model: async (v, _, { loaders }) => (await loaders.model.load(v.modelId))!,
  sizeBytes: async (v, _, { loaders }) => (await loaders.artifactSize.load(v.sha256))?.sizeBytes ?? 0,
  inputs: (v) => tensors(v.inputs),
  outputs: (v) => tensors(v.outputs),
  drift: (v, _, { loaders }) => loaders.driftByVersion.load(v.id),
};

export const ModelAlias: ModelAliasResolvers = {
  version: async (a, _, { loaders }) => (await loaders.version.load(a.versionId))!,
};

export const TrafficWeight: TrafficWeightResolvers = {
  version: async (w, _, { loaders }) => (await loaders.version.load(w.versionId))!,
};
