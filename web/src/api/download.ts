// Downloads a file the gateway answers with the session's credentials, which a plain link cannot
// carry: fetched with the Bearer header, its bytes counted as they arrive, and kept under the name
// the server's Content-Disposition gives. A refusal comes back as the server's coded errors
// (RATE_LIMITED, BAD_USER_INPUT naming EXPORT_MAX_ROWS...); a body cut short — the server failed
// after sending the first bytes — is an error too (INCOMPLETE), never a file that looks whole.
import type { ExportFormat } from '../__generated__/graphql.js';
import { fromRaw, type ApiError } from './errors.js';

export interface DownloadedFile {
  /** The server's name for it (RFC 6266 `filename*`, else `filename`), else the fallback. */
  name: string;
  blob: Blob;
}

export class DownloadError extends Error {
  constructor(
    readonly errors: ApiError[],
    /** The HTTP status; 0 when no answer came, or the body broke off. */
    readonly status: number,
  ) {
    super(errors[0]?.message ?? `HTTP ${status}`);
  }
}

const failure = (code: string, message: string, status = 0) => new DownloadError([{ code, message, details: {} }], status);

/**
 * The file name a Content-Disposition header gives: the UTF-8 `filename*` when present (names in
 * any script), else the plain `filename`; null when it names none. Path separators never survive.
 * @example fileNameOf(`attachment; filename="_.csv"; filename*=UTF-8''%E6%8A%A5%E8%A1%A8.csv`) // '报表.csv'
 */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  let name: string | null = null;
  const extended = /filename\*\s*=\s*([\w!#$%&+^`{}~-]+)'[\w-]*'([^;\s]+)/i.exec(disposition);
  if (extended && /^utf-8$/i.test(extended[1]!)) {
    try {
      name = decodeURIComponent(extended[2]!);
    } catch {
      name = null; // malformed percent-encoding: fall back to the plain name
    }
  }
  if (name === null) {
    const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(disposition);
    if (plain) name = plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2]!;
  }
  const safe = name?.replace(/[/\\]/g, '_').trim();
  return safe ? safe : null;
}

/** The server's coded errors in a failed answer's body, else one naming the HTTP status. */
async function refusal(res: Response): Promise<DownloadError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON (a proxy's page): the status says what there is to say
  }
  const errors = (body as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } | null)?.errors;
  if (Array.isArray(errors) && errors.length) return new DownloadError(fromRaw(errors), res.status);
  const code = res.status === 401 ? 'UNAUTHENTICATED' : res.status === 429 ? 'RATE_LIMITED' : 'INTERNAL_SERVER_ERROR';
  return failure(code, `HTTP ${res.status}`, res.status);
}

const aborted = (signal?: AbortSignal) => failure('ABORTED', signal?.reason instanceof Error ? signal.reason.message : 'cancelled');

export interface DownloadOptions {
  /** The session's token, sent as `Authorization: Bearer`. */
  token: string;
  /** The name to keep when the server gives none. */
  fallbackName: string;
  signal?: AbortSignal;
  /** Called as bytes arrive; `total` is the Content-Length, null when the file streams without one. */
  onProgress?(received: number, total: number | null): void;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** Fetches `url` whole, or throws a DownloadError saying why not. */
export async function fetchDownload(
  url: string,
  { token, fallbackName, signal, onProgress, fetch: fetchImpl = globalThis.fetch }: DownloadOptions,
): Promise<DownloadedFile> {
  let res: Response;
  try {
    res = await fetchImpl(url, { headers: { authorization: `Bearer ${token}` }, signal, cache: 'no-store' });
  } catch (err) {
    if (signal?.aborted) throw aborted(signal);
    throw failure('NETWORK', err instanceof Error ? err.message : String(err));
  }
  if (!res.ok) throw await refusal(res);
  const length = Number(res.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(length) && length >= 0 ? length : null;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  onProgress?.(0, total);
  if (res.body) {
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value as Uint8Array<ArrayBuffer>);
        received += value.byteLength;
        onProgress?.(received, total);
      }
    } catch {
      if (signal?.aborted) throw aborted(signal);
      throw failure('INCOMPLETE', `the connection closed after ${received} bytes`, res.status);
    }
  }
  if (total !== null && received !== total) throw failure('INCOMPLETE', `${received} of ${total} bytes arrived`, res.status);
  const type = res.headers.get('content-type') ?? 'application/octet-stream';
  return { name: fileNameOf(res.headers.get('content-disposition')) ?? fallbackName, blob: new Blob(chunks, { type }) };
}

/** The file extension of each export format, as the server's routes name them. */
export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { CSV: 'csv', XLSX: 'xlsx', PDF: 'pdf' };

/**
 * `/api/reports/:templateId/export.<ext>?<params>`: each parameter that is set, by name, as text —
 * what the server's `paramsFromQuery` reads back into the template's types.
 */
export function reportExportUrl(templateId: string, format: ExportFormat, params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined) search.set(name, String(value));
  }
  const path = `/api/reports/${encodeURIComponent(templateId)}/export.${EXPORT_EXTENSIONS[format]}`;
  return search.size ? `${path}?${search}` : path;
}
