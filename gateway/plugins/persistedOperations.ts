// Persisted (trusted) operations: registered documents a BI tool runs by id, and the operations of
// trusted manifests (the web app's) — `GET /graphql?documentId=<sha256>&variables=<json>` (JSON, or
// CSV with `Accept: text/csv`), `documentId` in a POST body, or an APQ
// `extensions.persistedQuery.sha256Hash` naming a trusted document. The id is the document's
// sha256. GET runs queries only. Which callers may run nothing else (PERSISTED_OPERATIONS_ONLY) is
// decided by the operation guard.
import type { ApolloServer } from '@apollo/server';
import type express from 'express';
import { getOperationAST, parse } from 'graphql';
import { ErrorCode, errorBody, ReportGraphError, type MaskingOptions } from '../../lib/errors.js';
import { sendError } from '../../lib/graphql/httpErrors.js';
import type { PrismaClient } from '../../lib/prisma.js';
import type { GatewayContext } from '../context.js';
import { toCsv } from './tabular.js';

const CACHE_MS = 10_000;
const SHA256 = /^[0-9a-f]{64}$/;
const notFound = (id: string) =>
  new ReportGraphError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, `No persisted operation ${id}: register it with registerPersistedOperation`, {
    documentId: id,
  });

export interface PersistedDocument {
  id: string;
  name: string;
  document: string;
}

/** The persisted operation a request names, and where it named it. */
function requestedId(req: express.Request): { id: string; apq: boolean } | null {
  const body = req.body as { documentId?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } } | undefined;
  const documentId = req.method === 'GET' ? req.query.documentId : body?.documentId;
  if (typeof documentId === 'string') return { id: documentId, apq: false };
  let extensions = body?.extensions;
  if (req.method === 'GET' && typeof req.query.extensions === 'string') {
    try {
      extensions = JSON.parse(req.query.extensions) as typeof extensions;
    } catch {
      return null; // Apollo Server answers malformed extensions
    }
  }
  const hash = extensions?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' && SHA256.test(hash) ? { id: hash, apq: true } : null;
}

export interface PersistedOperationsOptions {
  prisma: PrismaClient;
  masking: MaskingOptions;
  /** Documents of the loaded manifests, by id: looked up before the registered ones. */
  manifests?: ReadonlyMap<string, PersistedDocument>;
}

export function createPersistedOperations({ prisma, masking, manifests = new Map() }: PersistedOperationsOptions) {
  const cache = new Map<string, { found: PersistedDocument | null; until: number }>();

  /**
   * A trusted document by id: from a manifest (fixed for the process's life), else a registered,
   * unrevoked operation (cached 10 s per process: a revocation takes that long).
   */
  async function find(id: string): Promise<PersistedDocument | null> {
    const fromManifest = manifests.get(id);
    if (fromManifest) return fromManifest;
    const now = Date.now();
    let entry = cache.get(id);
    if (!entry || entry.until < now) {
      const op = SHA256.test(id) ? await prisma.persistedOperation.findUnique({ where: { id } }) : null;
      entry = { found: op && !op.revokedAt ? { id, name: op.name, document: op.document } : null, until: now + CACHE_MS };
      if (cache.size > 10_000) cache.clear();
      cache.set(id, entry);
    }
    return entry.found;
  }

  /** Replaces a persisted operation's id with its document before Apollo Server sees the request. */
  const resolveDocumentId: express.RequestHandler = async (req, res, next) => {
    const requested = requestedId(req);
    if (!requested) return next();
    try {
      const found = await find(requested.id);
      // An APQ hash that is not a registered document is Apollo's automatic persisted query.
      if (!found) {
        if (requested.apq) return next();
        throw notFound(requested.id);
      }
      if (req.method === 'GET') {
        const url = new URL(req.url, 'http://gateway');
        const operation = getOperationAST(parse(found.document), url.searchParams.get('operationName'));
        if (operation?.operation !== 'query') {
          res.set('allow', 'POST');
          throw new ReportGraphError(
            ErrorCode.BAD_USER_INPUT,
            'GET runs queries only: send mutations with POST',
            { documentId: found.id },
            405,
          );
        }
        url.searchParams.delete('documentId');
        url.searchParams.delete('extensions');
        url.searchParams.set('query', found.document);
        req.url = `${url.pathname}${url.search}`;
      } else {
        const body = req.body as { query?: string; extensions?: Record<string, unknown> };
        body.query = found.document;
        if (body.extensions) delete body.extensions.persistedQuery;
      }
      res.locals.persisted = { id: found.id, name: found.name };
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
          for (const [name, value] of response.http.headers) res.set(name, value);
          res.status(response.http.status ?? (errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED') ? 401 : 400)).json({ errors });
          return;
        }
        res.set('content-type', 'text/csv; charset=utf-8');
        res.set('content-disposition', `attachment; filename="${persisted.name.replace(/[^\w.-]/g, '_')}.csv"`);
        res.send(toCsv(data));
      } catch (err) {
        sendError(res, err, masking);
      }
    };
  }

  return { find, resolveDocumentId, csvResponder };
}
