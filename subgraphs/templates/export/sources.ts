// Where an export's document comes from. CSV and XLSX: the report's small sections (KPIs, charts,
// narratives) rendered as usual, and every TABLE section streamed from a server-side cursor on the
// same dataset version, up to EXPORT_MAX_ROWS rows — a table of any size in constant memory. PDF:
// the hot report (a cache hit costs no query), since a printed table shows only its first rows.
// Stored runs and snapshots: the report exactly as it was rendered then.
import { compileQuery, streamQuery } from '../../../lib/datasets/query.js';
import type { Identity } from '../../../lib/auth/identity.js';
import type { PrismaClient, ReportTemplate } from '../../../lib/prisma.js';
import { hotReport, renderDeps, type ReportDeps } from '../data/reports.js';
import { parseSections, render, type RenderedReport } from '../data/render.js';
import type { ReportHeads } from '../data/reportHeads.js';
import { withParameters } from '../data/sections.js';
import { documentOf, documentSection, type DataVersion, type ReportDocument } from './document.js';

/** The dataset version a report was rendered on, with its dataset's name; null when it is gone. */
export async function dataVersionOf(prisma: PrismaClient, id: string | null | undefined): Promise<DataVersion | null> {
  if (!id) return null;
  const version = await prisma.datasetVersion.findUnique({ where: { id }, select: { number: true, dataset: { select: { name: true } } } });
  return version ? { id, number: version.number, datasetName: version.dataset.name } : null;
}

/**
 * The report for a CSV or XLSX export. Table sections are compiled now (a bad query fails before
 * a byte is sent) and run only when the writer reads them, one cursor at a time.
 */
export async function streamingDocument(
  deps: ReportDeps,
  template: ReportTemplate,
  params: Record<string, unknown>,
): Promise<ReportDocument> {
  const sections = parseSections(template);
  // Tables render as placeholders here: their rows come from the cursor below, not into memory.
  const light = { ...template, sections: sections.map((s) => (s.kind === 'TABLE' ? { ...s, query: undefined } : s)) };
  const { report, dataVersionId } = await render(renderDeps(deps), light as ReportTemplate, params);
  const version = await deps.prisma.datasetVersion.findUniqueOrThrow({
    where: { id: dataVersionId },
    include: { columns: { orderBy: { position: 'asc' } }, dataset: { select: { name: true } } },
  });
  const columns = version.columns.map((c) => ({ name: c.name, type: c.type }));
  const maxRows = deps.config.datasets.exportMaxRows;
  const limits = { maxRows, timeoutMs: deps.config.datasets.queryTimeoutMs, limit: 'EXPORT_MAX_ROWS' };
  return {
    templateId: template.id,
    name: template.name,
    params,
    generatedAt: report.generatedAt,
    dataVersion: { id: version.id, number: version.number, datasetName: version.dataset.name },
    sections: sections.map((s, i) => {
      const rendered = documentSection(report.sections[i], i);
      if (s.kind !== 'TABLE' || !s.query) return rendered;
      const compiled = compileQuery(version.tableName, columns, withParameters(s.query, params), { maxRows, field: `sections.${i}.query` });
      return {
        ...rendered,
        title: s.title ?? rendered.title,
        columns: compiled.columns,
        rows: streamQuery(deps.queryPool, compiled, limits),
      };
    }),
  };
}

/** The hot report (cached when fresh) as a document: what a PDF prints. */
export async function hotDocument(
  deps: ReportDeps & { reportHeads: ReportHeads },
  actor: Identity | null,
  template: ReportTemplate,
  rawParams: unknown,
): Promise<ReportDocument> {
  const { report, dataVersionId } = await hotReport(deps, actor, template.id, rawParams);
  return documentOf(template.name, report, await dataVersionOf(deps.prisma, dataVersionId));
}

/** A stored report (a run's result, a snapshot) as a document. */
export async function storedDocument(prisma: PrismaClient, name: string, report: RenderedReport, dataVersionId: string | null) {
  return documentOf(name, report, await dataVersionOf(prisma, dataVersionId));
}
