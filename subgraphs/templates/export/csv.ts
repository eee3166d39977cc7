// A report as CSV (RFC 4180, every cell formula-safe through lib/csv.ts). One section gives a
// plain table (header, rows) for BI tools; the whole report gives each section in turn — its
// title on a line of its own, then its header and rows (a KPI's figure, a narrative's text), then
// an empty line — which is how spreadsheets show multi-table report CSVs. Streamed in chunks.
import { csvLine } from '../../../lib/csv.js';
import { badInput } from '../../../lib/errors.js';
import type { DocumentSection, ReportDocument } from './document.js';

/** Bytes gathered before a chunk is handed on: fewer, larger writes to the socket. */
const CHUNK_BYTES = 64 * 1024;

export interface CsvOptions {
  /** Only this section (by id), as a plain table. */
  section?: string;
  /** Start with a UTF-8 byte order mark, which Excel needs to read UTF-8. @default false */
  bom?: boolean;
}

async function* sectionLines(section: DocumentSection, withTitle: boolean): AsyncGenerator<string> {
  if (withTitle) yield csvLine([section.title]);
  if (section.kind === 'NARRATIVE' && withTitle) {
    yield csvLine([section.text ?? '']);
    return;
  }
  if (section.columns.length > 0) yield csvLine(section.columns.map((c) => c.name));
  for await (const row of section.rows) yield csvLine(row);
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

/** The CSV text of a report, in chunks of about 64 KiB. */
export async function* reportCsv(doc: ReportDocument, { section, bom = false }: CsvOptions = {}): AsyncGenerator<string> {
  let chunk = bom ? '\uFEFF' : '';
  const sections = section ? [pickSection(doc, section)] : doc.sections;
  for (const [i, s] of sections.entries()) {
    if (!section && i > 0) chunk += '\r\n';
    for await (const line of sectionLines(s, !section)) {
      chunk += line;
      if (chunk.length >= CHUNK_BYTES) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk) yield chunk;
}
