import type { SubscriptionResolvers } from '../__generated__/resolvers-types.js';
import { modelEvents, type PublishedModelEvent } from '../data/registry.js';

export const Subscription: SubscriptionResolvers = {
  modelEvents: {
    subscribe: (_, { modelName }, ctx) => modelEvents(ctx, ctx.identity, modelName),
    // Published as JSON: the row's dates arrive as strings.
    resolve: (e: PublishedModelEvent) => ({ ...e, createdAt: new Date(e.createdAt) }),
  },
};
