import type { ReportResolvers, ReportRunResolvers, ReportScheduleResolvers } from '../__generated__/resolvers-types.js';
import type { RenderedReport } from '../data/render.js';

export const Report: ReportResolvers = {
  template: async (r, _, { loaders }) => (await loaders.template.load(r.templateId))!,
};

export const ReportRun: ReportRunResolvers = {
  template: async (run, _, { loaders }) => (await loaders.template.load(run.templateId))!,
  report: (run) => (run.result ? (run.result as unknown as RenderedReport) : null),
};

export const ReportSchedule: ReportScheduleResolvers = {
  template: async (s, _, { loaders }) => (await loaders.template.load(s.templateId))!,
};
