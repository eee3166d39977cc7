// A report as the exports see it: its name, parameters and data version, and each section with
// its columns and rows. Rows are an iterable: in memory for a rendered report (a run, a hot
// report, a snapshot), or streamed from a cursor for a large table section (CSV and XLSX exports),
// so every format is written by one code path whatever the size.
import type { Rows } from '../../../lib/csv.js';
import type { ColumnSpec } from '../../../lib/datasets/tables.js';
import type { RenderedReport } from '../data/render.js';
import type { SECTION_KINDS } from '../data/sections.js';

export type SectionKind = (typeof SECTION_KINDS)[number];
export type { Rows };
export { fileStem } from '../../../lib/downloads.js';

export interface DocumentSection {
  id: string;
  kind: SectionKind;
  title: string;
  columns: ColumnSpec[];
  rows: Rows;
  /** A KPI's figure. */
  value?: unknown;
  /** A NARRATIVE's text. */
  text?: string;
  /** How a CHART is drawn (`type`, `x`, `y`, ...), as the template gives it. */
  chart?: Record<string, unknown>;
}

/** The dataset version a report was rendered on, printed with it. */
export interface DataVersion {
  id: string;
  number: number;
  datasetName: string;
}

export interface ReportDocument {
  templateId: string;
  name: string;
  params: Record<string, unknown>;
  generatedAt: string;
  dataVersion: DataVersion | null;
  sections: DocumentSection[];
}

/** A rendered section as render.ts builds it (placeholders have no columns or rows). */
interface RenderedSection {
  id?: string;
  kind: SectionKind;
  title: string;
  columns?: ColumnSpec[];
  rows?: unknown[][];
  value?: unknown;
  text?: string;
  chart?: Record<string, unknown>;
}

/** One rendered section as a document section; ids default to the section's position, as rendering does. */
export function documentSection(raw: unknown, index: number): DocumentSection {
  const s = raw as RenderedSection;
  return {
    id: s.id ?? String(index + 1),
    kind: s.kind,
    title: s.title,
    columns: s.columns ?? [],
    rows: s.rows ?? [],
    ...(s.value !== undefined ? { value: s.value } : {}),
    ...(s.text !== undefined ? { text: s.text } : {}),
    ...(s.chart ? { chart: s.chart } : {}),
  };
}

/** A report rendered in memory (a run's stored result, a hot report, a snapshot) as a document. */
export function documentOf(name: string, report: RenderedReport, dataVersion: DataVersion | null): ReportDocument {
  return {
    templateId: report.templateId,
    name,
    params: report.params,
    generatedAt: report.generatedAt,
    dataVersion,
    sections: report.sections.map(documentSection),
  };
}

/** `key: value` for each parameter that is set, for headers and summaries. */
export function describeParams(params: Record<string, unknown>): string {
  const set = Object.entries(params).filter(([, v]) => v !== null && v !== undefined);
  return set.length === 0 ? 'no parameters' : set.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
}
