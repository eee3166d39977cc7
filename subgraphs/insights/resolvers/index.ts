import type { Resolvers } from '../__generated__/resolvers-types.js';
import { AnalysisJob, Dataset, Insight } from './AnalysisJob.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Subscription } from './Subscription.js';

export const resolvers: Resolvers = { Query, Mutation, Subscription, AnalysisJob, Insight, Dataset };
