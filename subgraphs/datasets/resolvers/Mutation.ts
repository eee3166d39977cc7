import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { createDataset, deleteDataset } from '../data/datasets.js';

export const Mutation: MutationResolvers = {
  createDataset: (_, { input }, { identity, prisma }) => createDataset(prisma, identity, input),
  deleteDataset: (_, { id }, { identity, prisma }) => deleteDataset(prisma, identity, id),
};
