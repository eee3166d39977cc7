import type { UserResolvers } from '../__generated__/resolvers-types.js';
import { isUuid } from '../../../lib/validation.js';

export const User: UserResolvers = {
  // Other subgraphs reference users by id (dataset owners); batched per request.
  __resolveReference: ({ id }, { loaders }) => (isUuid(id) ? loaders.user.load(id) : null),
  templates: (user, _, { loaders }) => loaders.templatesByOwner.load(user.id),
};
