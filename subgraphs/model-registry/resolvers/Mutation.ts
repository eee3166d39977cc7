import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { createModel } from '../data/models.js';
import { computeDriftFor, registerBase64, reportInferences, rollbackAlias, setAlias, setHealthRule, setSplit } from '../data/registry.js';

export const Mutation: MutationResolvers = {
  createModel: (_, { input }, { identity, prisma }) => createModel(prisma, identity, input),
  registerModelVersion: (_, args, ctx) => registerBase64(ctx, ctx.identity, args),
  setModelAlias: (_, { modelName, alias, version }, ctx) => setAlias(ctx, ctx.identity, modelName, alias, version),
  setTrafficSplit: (_, { modelName, weights }, ctx) => setSplit(ctx, ctx.identity, modelName, weights),
  rollbackModel: (_, { modelName, alias }, ctx) => rollbackAlias(ctx, ctx.identity, modelName, alias),
  setHealthRule: (_, { modelName, rule }, ctx) => setHealthRule(ctx, ctx.identity, modelName, rule),
  reportInferences: (_, { modelName, version, reports }, ctx) => reportInferences(ctx, ctx.identity, modelName, version, reports),
  computeDrift: (_, { modelName, version }, ctx) => computeDriftFor(ctx, ctx.identity, modelName, version),
};
