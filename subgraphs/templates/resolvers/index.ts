import type { Resolvers } from '../__generated__/resolvers-types.js';
import { ApiKey } from './ApiKey.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Report, ReportDelivery, ReportRun, ReportSchedule, SnapshotLink } from './Report.js';
import { ReportTemplate, TemplateVersion } from './ReportTemplate.js';
import { User } from './User.js';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  User,
  ReportTemplate,
  TemplateVersion,
  ApiKey,
  Report,
  ReportRun,
  ReportSchedule,
  ReportDelivery,
  SnapshotLink,
};
