import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { cancelJob, createJob } from '../data/jobs.js';

export const Mutation: MutationResolvers = {
  runAnalysis: (_, { input }, { identity, prisma }) => createJob(prisma, identity, input),
  cancelAnalysis: (_, { id }, { identity, prisma }) => cancelJob(prisma, identity, id),
};
