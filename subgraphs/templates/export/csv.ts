// A report as CSV (RFC 4180, every cell formula-safe through lib/csv.ts). One section gives a
// plain table (header, rows) for BI tools; the whole report gives each section in turn — its
// title on a line of its own, then its header and rows (a KPI's figure, a narrative's text), then
// an empty line — which is how spreadsheets show multi-table report CSVs. Streamed in chunks.
import { csvChunks, csvLine, csvTable } from '../../../lib/csv.js';
import { badInput } from '../../../lib/errors.js';
import type { DocumentSection, ReportDocument } from './document.js';

export interface CsvOptions {
  /** Only this section (by id), as a plain table. */
  section?: string;
  /** Start with a UTF-8 byte order mark, which Excel needs to read UTF-8. @default false */
  bom?: boolean;
}

/** Throws BAD_USER_INPUT when the report has no section `id` (checked before anything is sent). */
export function pickSection(doc: ReportDocument, id: string): DocumentSection {
  const section = doc.sections.find((s) => s.id === id);
  if (!section) {
    throw badInput(`section: the report has no section "${id}" (it has ${doc.sections.map((s) => `"${s.id}"`).join(', ')})`, {
      field: 'section',
    });
  }
  return section;
}

async function* reportLines(doc: ReportDocument): AsyncGenerator<string> {
  for (const [i, s] of doc.sections.entries()) {
    if (i > 0) yield '\r\n';
    yield csvLine([s.title]);
    if (s.kind === 'NARRATIVE') yield csvLine([s.text ?? '']);
    else if (s.columns.length > 0) yield* csvTable(s.columns, s.rows);
  }
}

/** The CSV text of a report (or one section of it), in chunks of about 64 KiB. */
export function reportCsv(doc: ReportDocument, { section, bom = false }: CsvOptions = {}): AsyncGenerator<string> {
  if (!section) return csvChunks(reportLines(doc), { bom });
  const picked = pickSection(doc, section);
  return csvChunks(csvTable(picked.columns, picked.rows), { bom });
}
