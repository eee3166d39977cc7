import type { SubscriptionResolvers } from '../__generated__/resolvers-types.js';
import { analysisProgress, type ProgressView } from '../data/progress.js';

export const Subscription: SubscriptionResolvers = {
  analysisProgress: {
    subscribe: (_, { jobId }, ctx) => analysisProgress(ctx, ctx.identity, jobId),
    resolve: (view: ProgressView) => view,
  },
};
