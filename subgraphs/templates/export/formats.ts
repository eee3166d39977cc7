// The export formats: the GraphQL enum's values, their file extensions and media types.
import { ExportFormat } from '../../../lib/prisma.js';

export { ExportFormat };

export const FORMATS: Record<ExportFormat, { ext: string; contentType: string }> = {
  CSV: { ext: 'csv', contentType: 'text/csv; charset=utf-8' },
  XLSX: { ext: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  PDF: { ext: 'pdf', contentType: 'application/pdf' },
};

/** The format of a file extension (`csv`, `xlsx`, `pdf`), or null. */
export function formatOfExtension(ext: string): ExportFormat | null {
  const found = Object.entries(FORMATS).find(([, f]) => f.ext === ext.toLowerCase());
  return found ? (found[0] as ExportFormat) : null;
}

/** `attachment` with an ASCII fallback name and the UTF-8 one (RFC 6266), for names in any script. */
export function contentDisposition(stem: string, format: ExportFormat): string {
  const name = `${stem}.${FORMATS[format].ext}`;
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
