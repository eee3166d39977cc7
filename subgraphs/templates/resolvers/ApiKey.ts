import type { ApiKeyResolvers } from '../__generated__/resolvers-types.js';

export const ApiKey: ApiKeyResolvers = {
  prefix: (k) => k.keyPrefix,
};
