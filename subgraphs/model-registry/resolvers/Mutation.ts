import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { createModel } from '../data/models.js';

export const Mutation: MutationResolvers = {
  createModel: (_, { input }, { identity, prisma }) => createModel(prisma, identity, input),
};
