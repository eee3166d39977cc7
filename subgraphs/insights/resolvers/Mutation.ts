import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { cancelJob, createJob } from '../data/jobs.js';

export const Mutation: MutationResolvers = {
  runAnalysis: (_, { input }, ctx) => createJob(ctx, ctx.queue(), ctx.identity, input),
  cancelAnalysis: (_, { id }, ctx) => cancelJob(ctx, ctx.identity, id),
};
