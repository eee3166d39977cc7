// What a file download needs besides its bytes: its media type, and a Content-Disposition whose
// name survives any script (RFC 6266: an ASCII fallback and the UTF-8 name).

export const MEDIA_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

/** A file name from a report's or dataset's name: letters and digits of any script, dashes between words. */
export function fileStem(name: string): string {
  const stem = name
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return stem || 'report';
}

/** `attachment` with an ASCII fallback name and the UTF-8 one, for names in any script. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Headers of a download that no shared cache may keep (it is the caller's data). */
export const downloadHeaders = (fileName: string, ext: keyof typeof MEDIA_TYPES) => ({
  'content-type': MEDIA_TYPES[ext],
  'content-disposition': contentDisposition(fileName),
  'cache-control': 'private, no-store',
  'x-content-type-options': 'nosniff',
});
