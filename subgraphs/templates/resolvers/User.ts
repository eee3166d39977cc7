import type { UserResolvers } from '../__generated__/resolvers-types.js';
import { requireRole } from '../../../lib/auth/identity.js';
import { isUuid } from '../../../lib/validation.js';

export const User: UserResolvers = {
  // Other subgraphs reference users by id (dataset owners); batched per request.
  // A lookup by id answers only callers with a role: a port reached past the gateway reads nothing.
  __resolveReference: ({ id }, { identity, loaders }) => {
    requireRole(identity, 'VIEWER');
    return isUuid(id) ? loaders.user.load(id) : null;
  },
  templates: (user, _, { loaders }) => loaders.templatesByOwner.load(user.id),
};
