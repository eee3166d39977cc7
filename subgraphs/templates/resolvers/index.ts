import type { Resolvers } from '../__generated__/resolvers-types.js';
import { ApiKey } from './ApiKey.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Report, ReportRun, ReportSchedule } from './Report.js';
import { ReportTemplate, TemplateVersion } from './ReportTemplate.js';
import { User } from './User.js';

export const resolvers: Resolvers = { Query, Mutation, User, ReportTemplate, TemplateVersion, ApiKey, Report, ReportRun, ReportSchedule };
