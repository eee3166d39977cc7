import type { Response } from 'express';
import { databaseInputError, errorBody, ReportGraphError, type MaskingOptions } from '../errors.js';

/**
 * Answers a REST route's failure like GraphQL would: client errors with their code and status,
 * anything else logged and masked. The connection closes when the request body was not read to
 * the end, so a client still uploading is not left waiting.
 */
export function sendError(res: Response, err: unknown, { logger, exposeDetails }: MaskingOptions): void {
  if (!res.req.readableEnded) res.set('connection', 'close');
  err = databaseInputError(err) ?? err;
  if (err instanceof ReportGraphError) {
    res.status(err.status).json(errorBody(err));
    return;
  }
  logger.error({ err }, 'unexpected error in an HTTP route');
  const message = exposeDetails && err instanceof Error ? err.message : 'Internal server error';
  res.status(500).json({ errors: [{ message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
}

/**
 * `sendError` for a route that streams: before the first byte, the usual coded answer; after it,
 * the status is gone, so the connection is cut — the only way left to tell the client its file
 * is incomplete (a chunked body that never ends properly fails the download).
 */
export function failStream(res: Response, err: unknown, masking: MaskingOptions): void {
  if (!res.headersSent) {
    // The error is the answer now, not the file the headers set so far announced.
    res.removeHeader('content-disposition');
    return sendError(res, err, masking);
  }
  masking.logger.warn({ err: (err as Error).message, path: res.req.path }, 'download failed while streaming; connection closed');
  res.destroy();
}
