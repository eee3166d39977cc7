// Streams a CSV file to `POST /api/datasets/:id/csv` (a new version, never buffered whole by
// the gateway), reporting bytes sent as they go. XMLHttpRequest, because fetch() reports no
// upload progress.
import { fromRaw, type ApiError } from './errors.js';

export interface CsvUploadOptions {
  delimiter?: string;
  header?: boolean;
  encoding?: 'AUTO' | 'UTF8' | 'GBK';
  onTypeError?: 'FAIL' | 'NULL';
}

export interface UploadedVersion {
  id: string;
  number: number;
  rowCount: number;
  typeErrorsAsNull: number;
  columns: Array<{ name: string; type: string }>;
}

export class UploadError extends Error {
  constructor(
    readonly errors: ApiError[],
    readonly status: number,
  ) {
    super(errors[0]?.message ?? `HTTP ${status}`);
  }
}

export function uploadCsv(
  datasetId: string,
  file: File,
  { token, options, onProgress }: { token: string; options: CsvUploadOptions; onProgress(sent: number, total: number): void },
): { done: Promise<UploadedVersion>; abort(): void } {
  const xhr = new XMLHttpRequest();
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(options)) if (value !== undefined && value !== '') query.set(name, String(value));
  const done = new Promise<UploadedVersion>((resolve, reject) => {
    xhr.open('POST', `/api/datasets/${encodeURIComponent(datasetId)}/csv?${query}`);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', 'text/csv');
    // Headers carry Latin-1 only: the name travels percent-encoded (the gateway decodes it).
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status === 201) return resolve(body as UploadedVersion);
      const errors = (body as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } | null)?.errors;
      reject(new UploadError(errors ? fromRaw(errors) : [{ code: 'NETWORK', message: `HTTP ${xhr.status}`, details: {} }], xhr.status));
    };
    xhr.onerror = () => reject(new UploadError([{ code: 'NETWORK', message: 'the connection failed', details: {} }], 0));
    xhr.onabort = () => reject(new UploadError([{ code: 'ABORTED', message: 'cancelled', details: {} }], 0));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
