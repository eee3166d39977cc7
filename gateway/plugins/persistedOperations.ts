// Persisted (trusted) operations: registered documents a BI tool runs by id —
// `GET /graphql?documentId=<sha256>&variables=<json>` (JSON, or CSV with `Accept: text/csv`) or
// `documentId` in a POST body. With PERSISTED_OPERATIONS_ONLY, callers it covers may run nothing
// else (PERSISTED_QUERY_NOT_IN_LIST). Automatic persisted queries (APQ) are Apollo Server's own.
import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import type express from 'express';
import { ErrorCode, errorBody, ReportGraphError } from '../../lib/errors.js';
import { sendError } from '../../lib/graphql/httpErrors.js';
import type { Logger } from '../../lib/logger.js';
import type { PrismaClient } from '../../lib/prisma.js';
import type { GatewayContext } from '../context.js';
import { toCsv } from './tabular.js';

export type PersistedOnlyMode = 'off' | 'api-keys' | 'all';

const CACHE_MS = 10_000;
const notFound = (id: string) =>
  new ReportGraphError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, `No persisted operation ${id}: register it with registerPersistedOperation`, {
    documentId: id,
  });

export function createPersistedOperations({
  prisma,
  mode,
  logger,
  exposeDetails,
}: {
  prisma: PrismaClient;
  mode: PersistedOnlyMode;
  logger: Logger;
  exposeDetails: boolean;
}) {
  const cache = new Map<string, { document: string | null; name: string | null; until: number }>();

  async function lookup(id: string): Promise<{ document: string; name: string }> {
    const now = Date.now();
    let entry = cache.get(id);
    if (!entry || entry.until < now) {
      const op = /^[0-9a-f]{64}$/.test(id) ? await prisma.persistedOperation.findUnique({ where: { id } }) : null;
      entry = { document: op && !op.revokedAt ? op.document : null, name: op?.name ?? null, until: now + CACHE_MS };
      if (cache.size > 10_000) cache.clear();
      cache.set(id, entry);
    }
    if (!entry.document) throw notFound(id);
    return { document: entry.document, name: entry.name! };
  }

  /** Replaces `documentId` with its document before Apollo Server sees the request. */
  const resolveDocumentId: express.RequestHandler = async (req, res, next) => {
    const id = req.method === 'GET' ? req.query.documentId : (req.body as { documentId?: unknown } | undefined)?.documentId;
    if (typeof id !== 'string') return next();
    try {
      const { document, name } = await lookup(id);
      res.locals.persisted = { id, name };
      if (req.method === 'GET') {
        const url = new URL(req.url, 'http://gateway');
        url.searchParams.delete('documentId');
        url.searchParams.set('query', document);
        req.url = `${url.pathname}${url.search}`;
      } else {
        (req.body as { query?: string }).query = document;
      }
      next();
    } catch (err) {
      if (err instanceof ReportGraphError) res.status(err.status).json(errorBody(err));
      else next(err);
    }
  };

  /** `Accept: text/csv` on a persisted GET: the result's first table as CSV. */
  function csvResponder(
    apollo: ApolloServer<GatewayContext>,
    context: (req: express.Request) => Promise<GatewayContext>,
  ): express.RequestHandler {
    return async (req, res, next) => {
      const persisted = res.locals.persisted as { id: string; name: string } | undefined;
      if (req.method !== 'GET' || !persisted || req.accepts(['application/json', 'text/csv']) !== 'text/csv') return next();
      try {
        const url = new URL(req.url, 'http://gateway');
        let variables: Record<string, unknown> | undefined;
        const rawVariables = url.searchParams.get('variables');
        if (rawVariables) {
          try {
            variables = JSON.parse(rawVariables) as Record<string, unknown>;
          } catch {
            throw new ReportGraphError(ErrorCode.BAD_USER_INPUT, 'variables: not valid JSON', { field: 'variables' });
          }
        }
        const response = await apollo.executeOperation(
          { query: url.searchParams.get('query')!, variables, operationName: url.searchParams.get('operationName') ?? undefined },
          { contextValue: await context(req) },
        );
        if (response.body.kind !== 'single') throw new Error('incremental results cannot be CSV');
        const { data, errors } = response.body.singleResult;
        if (errors?.length || !data) {
          res.status(response.http.status ?? (errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED') ? 401 : 400)).json({ errors });
          return;
        }
        res.set('content-type', 'text/csv; charset=utf-8');
        res.set('content-disposition', `attachment; filename="${persisted.name.replace(/[^\w.-]/g, '_')}.csv"`);
        res.send(toCsv(data));
      } catch (err) {
        sendError(res, err, { logger, exposeDetails });
      }
    };
  }

  /** Refuses operations outside the list for the callers PERSISTED_OPERATIONS_ONLY covers. */
  const safelist: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ contextValue }) {
      return {
        async didResolveOperation({ operation }) {
          if (mode === 'off' || contextValue.persisted) return;
          if (mode === 'api-keys' && contextValue.identity?.kind !== 'apiKey') return;
          // Signing in is always allowed: without it nobody could reach the list.
          const onlyLogin =
            operation?.operation === 'mutation' &&
            operation.selectionSet.selections.every((s) => s.kind === 'Field' && s.name.value === 'login');
          if (onlyLogin) return;
          // Thrown here (not earlier) it becomes a proper GraphQL error, not an HTTP 500.
          throw new ReportGraphError(
            ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
            'Only persisted operations may run: send documentId (see persistedOperations)',
          );
        },
      };
    },
  };

  return { resolveDocumentId, csvResponder, safelist };
}
