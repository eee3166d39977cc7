import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Model, ModelAlias, ModelEvent, ModelHealth, ModelVersion, TrafficWeight } from './Model.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Subscription } from './Subscription.js';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Subscription,
  Model,
  ModelVersion,
  ModelAlias,
  TrafficWeight,
  ModelEvent,
  ModelHealth,
};
