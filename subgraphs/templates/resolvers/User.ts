import type { UserResolvers } from '../__generated__/resolvers-types.js';
import { hasRole, requireRole } from '../../../lib/auth/identity.js';
import { isUuid } from '../../../lib/validation.js';

export const User: UserResolvers = {
  // Other subgraphs reference users by id (dataset owners); batched per request.
  // A lookup by id answers only callers with a role: a port reached past the gateway reads nothing.
  __resolveReference: ({ id }, { identity, loaders }) => {
    requireRole(identity, 'VIEWER');
    return isUuid(id) ? loaders.user.load(id) : null;
  },
  templates: (user, _, { loaders }) => loaders.templatesByOwner.load(user.id),
  // Whether an account is disabled is the business of ADMINs (and of the user): not of every reader of an owner's name.
  disabledAt: (user, _, { identity }) =>
    hasRole(identity, 'ADMIN') || (identity?.kind === 'user' && identity.id === user.id) ? user.disabledAt : null,
};
