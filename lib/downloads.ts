// What a file download needs besides its bytes: its media type, a Content-Disposition whose
// name survives any script (RFC 6266: an ASCII fallback and the UTF-8 name), and a way to stream
// it that still lets a failure before the first byte be answered with its code.
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

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

/**
 * Streams `chunks` into `out` as `pipeline` does (a client that goes away stops the source, which
 * closes what it holds: a cursor), but produces the first chunk before writing anything. A failure
 * up to then — a small report whose table is past EXPORT_MAX_ROWS fails before its one chunk is
 * full — leaves `out` untouched for the caller to answer with the error's code; `pipeline` alone
 * would have destroyed the response along with the source, and the client would see only a
 * dropped connection.
 */
export async function sendChunks(out: Writable, chunks: AsyncIterable<string | Uint8Array>): Promise<void> {
  const source = chunks[Symbol.asyncIterator]();
  let first: IteratorResult<string | Uint8Array> | null = await source.next();
  if (out.destroyed) {
    await source.return?.();
    return;
  }
  // An iterator of its own, not a generator around `source`: a generator not yet started would not
  // pass `return()` on to `source` when the stream is destroyed early.
  const rest: AsyncIterator<string | Uint8Array> = {
    next: () => {
      const next = first;
      first = null;
      return next ? Promise.resolve(next) : source.next();
    },
    return: async () => (await source.return?.()) ?? { done: true, value: undefined },
  };
  await pipeline(Readable.from({ [Symbol.asyncIterator]: () => rest }), out);
}
