import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { createDataset, deleteDataset } from '../data/datasets.js';
import { ingestCsvText } from '../data/ingest.js';

export const Mutation: MutationResolvers = {
  createDataset: (_, { input }, { identity, prisma }) => createDataset(prisma, identity, input),
  ingestCsv: (_, { datasetId, csv, options }, ctx) => ingestCsvText(ctx, ctx.identity, datasetId, csv, options),
  deleteDataset: (_, { id }, { identity, prisma }) => deleteDataset(prisma, identity, id),
};
