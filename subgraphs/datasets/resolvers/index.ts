import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Column, Dataset, DatasetVersion } from './Dataset.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';

export const resolvers: Resolvers = { Query, Mutation, Dataset, DatasetVersion, Column };
