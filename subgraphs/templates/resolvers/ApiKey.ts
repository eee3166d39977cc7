import type { ApiKeyResolvers } from '../__generated__/resolvers-types.js';

export const ApiKey: ApiKeyResolvers = {
  prefix: (k) => k.keyPrefix,
  createdBy: (k, _, { loaders }) => (k.createdById ? loaders.user.load(k.createdById) : null),
};
