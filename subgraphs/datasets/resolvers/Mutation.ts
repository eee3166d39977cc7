import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { createDataset, deleteDataset } from '../data/datasets.js';
import { clean, importPostgres, importRest, ingestCsvText } from '../data/ingest.js';

export const Mutation: MutationResolvers = {
  createDataset: (_, { input }, { identity, prisma }) => createDataset(prisma, identity, input),
  ingestCsv: (_, { datasetId, csv, options }, ctx) => ingestCsvText(ctx, ctx.identity, datasetId, csv, options),
  importFromPostgres: (_, { datasetId, connectionUrl, sql }, ctx) => importPostgres(ctx, ctx.identity, datasetId, connectionUrl, sql),
  importFromRest: (_, { datasetId, url, recordsPath }, ctx) => importRest(ctx, ctx.identity, datasetId, url, recordsPath),
  cleanDataset: (_, { datasetId, steps }, ctx) => clean(ctx, ctx.identity, datasetId, steps),
  deleteDataset: (_, { id }, { identity, prisma }) => deleteDataset(prisma, identity, id),
};
