import { requireRole } from '../../../lib/auth/identity.js';
import { isUuid } from '../../../lib/validation.js';
import type { HistogramBin } from '../../../lib/datasets/tables.js';
import { previewRows } from '../data/preview.js';
import type { ColumnResolvers, DatasetResolvers, DatasetVersionResolvers } from '../__generated__/resolvers-types.js';

const count = (n: bigint | null) => (n === null ? null : Number(n));

export const Dataset: DatasetResolvers = {
  // Referenced by templates and analysis jobs; one query per request for all of them.
  __resolveReference: ({ id }, { identity, loaders }) => {
    requireRole(identity, 'VIEWER');
    return isUuid(id) ? loaders.dataset.load(id) : null;
  },
  owner: (d) => (d.ownerId ? { __typename: 'User', id: d.ownerId } : null),
  currentVersion: (d, _, { loaders }) => (d.currentVersionId ? loaders.version.load(d.currentVersionId) : null),
  versions: (d, _, { loaders }) => loaders.versionsByDataset.load(d.id),
  version: async (d, { number }, { loaders }) => (await loaders.versionsByDataset.load(d.id)).find((v) => v.number === number) ?? null,
  columns: (d, _, { loaders }) => (d.currentVersionId ? loaders.columnsByVersion.load(d.currentVersionId) : []),
  rowCount: async (d, _, { loaders }) => {
    const version = d.currentVersionId ? await loaders.version.load(d.currentVersionId) : null;
    return version ? Number(version.rowCount) : 0;
  },
};

export const DatasetVersion: DatasetVersionResolvers = {
  __resolveReference: ({ id }, { identity, loaders }) => {
    requireRole(identity, 'VIEWER');
    return isUuid(id) ? loaders.version.load(id) : null;
  },
  dataset: async (v, _, { loaders }) => (await loaders.dataset.load(v.datasetId))!,
  rowCount: (v) => Number(v.rowCount),
  columns: (v, _, { loaders }) => loaders.columnsByVersion.load(v.id),
  preview: async (v, { limit }, ctx) => previewRows(ctx, v, await ctx.loaders.columnsByVersion.load(v.id), limit ?? 100),
};

export const Column: ColumnResolvers = {
  nullCount: (c) => count(c.nullCount),
  distinctCount: (c) => count(c.distinctCount),
  // Written by the profiler in this shape (lib/datasets/tables.ts).
  histogram: (c) => (Array.isArray(c.histogram) ? (c.histogram as unknown as HistogramBin[]) : []),
};
