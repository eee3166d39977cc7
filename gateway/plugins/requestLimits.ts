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
      if (anonymous && !config.apqAnonymousWrites && body?.extensions?.persistedQuery && typeof body.query === 'string') {
        // Run it, but do not store it: the extension is what makes Apollo Server write the cache.
        delete body.extensions.persistedQuery;
      }
      next();
    } catch (err) {
      if (!(err instanceof ReportGraphError)) return next(err);
      res.status(err.status).json(errorBody(err));
    }
  };
}
