// Checks on the raw HTTP request, before Apollo Server parses anything: the document's size, and
// who may write to the automatic-persisted-query cache (every replica shares it in Redis, beside
// the job queues: an anonymous caller may use APQ hashes but not register documents).
import type express from 'express';
import type { Config } from '../../lib/config.js';
import { errorBody, ReportGraphError } from '../../lib/errors.js';
import { enforceDocumentSize } from './operationLimits.js';

type Body = { query?: unknown; extensions?: { persistedQuery?: unknown } } | undefined;

export function requestLimits(config: Config): express.RequestHandler {
  return (req, res, next) => {
    try {
      const body = req.body as Body;
      const query = req.method === 'GET' ? req.query.query : body?.query;
      enforceDocumentSize(query, config.limits);
      const anonymous = !req.get('authorization') && !req.get('x-api-key');
      if (anonymous && !config.apqAnonymousWrites) {
        // Run it, but do not store it: the extension is what makes Apollo Server write the cache.
        if (body?.extensions?.persistedQuery && typeof body.query === 'string') delete body.extensions.persistedQuery;
        if (req.method === 'GET' && typeof req.query.query === 'string') withoutPersistedQuery(req);
      }
      next();
    } catch (err) {
      if (!(err instanceof ReportGraphError)) return next(err);
      res.status(err.status).json(errorBody(err));
    }
  };
}

/**
 * A GET's `extensions` parameter without its `persistedQuery` (the URL rewritten: Express parses
 * `req.query` from it afresh on every read). Extensions that are not JSON are left for Apollo
 * Server to refuse.
 */
function withoutPersistedQuery(req: express.Request): void {
  const url = new URL(req.url, 'http://gateway');
  const raw = url.searchParams.get('extensions');
  if (!raw) return;
  let extensions: unknown;
  try {
    extensions = JSON.parse(raw);
  } catch {
    return;
  }
  if (!extensions || typeof extensions !== 'object' || !('persistedQuery' in extensions)) return;
  const { persistedQuery: _dropped, ...rest } = extensions as Record<string, unknown>;
  if (Object.keys(rest).length) url.searchParams.set('extensions', JSON.stringify(rest));
  else url.searchParams.delete('extensions');
  req.url = `${url.pathname}${url.search}`;
}
