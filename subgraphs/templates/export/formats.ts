// The export formats: the GraphQL enum's values, their file extensions and media types.
import { MEDIA_TYPES } from '../../../lib/downloads.js';
import { ExportFormat } from '../../../lib/prisma.js';

export { ExportFormat };

export const FORMATS: Record<ExportFormat, { ext: keyof typeof MEDIA_TYPES; contentType: string }> = {
  CSV: { ext: 'csv', contentType: MEDIA_TYPES.csv },
  XLSX: { ext: 'xlsx', contentType: MEDIA_TYPES.xlsx },
  PDF: { ext: 'pdf', contentType: MEDIA_TYPES.pdf },
};

/** The format of a file extension (`csv`, `xlsx`, `pdf`), or null. */
export function formatOfExtension(ext: string): ExportFormat | null {
  const found = Object.entries(FORMATS).find(([, f]) => f.ext === ext.toLowerCase());
  return found ? (found[0] as ExportFormat) : null;
}
