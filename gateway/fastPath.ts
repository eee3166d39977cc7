// The fast path for the common request: a JSON POST of a query or mutation document (or a GET of
// a trusted one). It does what
// Apollo Server's pipeline does for such a request — parse (once per document text, cached),
// validate (once), resolve the operation, run the operation guard, execute the query plan with
// the gateway's executor, mask errors, answer compact JSON — without the pipeline's per-request
// plugin machinery. Anything else (GET, APQ registration, batches, multipart, parse or validation
// errors, subscriptions) is left to Apollo Server, which answers it as the spec says.
import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type express from 'express';
import {
  getOperationAST,
  Kind,
  type DocumentNode,
  type GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { maskError, ReportGraphError, type MaskingOptions } from '../lib/errors.js';
import { createDocumentCache } from '../lib/graphql/documents.js';
import type { Config } from '../lib/config.js';
import type { GatewayContext } from './context.js';
import type { OperationGuard } from './plugins/operationGuard.js';
import { cachePlan, storable, type CachedResponse, type CachePlan, type ResponseCache } from './plugins/responseCache.js';

export const JSON_TYPE = 'application/json; charset=utf-8';
export const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';
/** Documents kept parsed and validated; clients send few distinct ones (the web app's are fixed). */
const DOCUMENT_CACHE_SIZE = 1000;

export interface PreparedDocument {
  document: DocumentNode;
  /** sha256 of the text: the query planner's cache key. */
  queryHash: string;
  /** Operations by name ('' for the only anonymous one). */
  operations: Map<string, OperationDefinitionNode | null>;
  /** How each operation's answers are cached (null: not cacheable). */
  plans: Map<string, CachePlan | null>;
}

/**
 * Documents as both fast paths take them (this one and the cache lane in front of Express):
 * parsed and validated once per text, each operation resolved once, with how its answers are cached.
 */
export function createOperationDocuments(schema: GraphQLSchema, config: Config) {
  /** Parsed and validated once per text; null when Apollo Server should answer (it explains why). */
  const prepare = createDocumentCache(
    schema,
    { maxTokens: config.limits.maxTokens, size: DOCUMENT_CACHE_SIZE },
    (document, query): PreparedDocument => ({
      document,
      queryHash: createHash('sha256').update(query).digest('hex'),
      operations: new Map(),
      plans: new Map(),
    }),
  );

  const operationOf = (prepared: PreparedDocument, name: string | undefined) => {
    let operation = prepared.operations.get(name ?? '');
    if (operation === undefined) {
      operation = getOperationAST(prepared.document, name) ?? null;
      // Only names the document has are remembered: a client choosing names (before sign-in) cannot fill memory.
      if (!operation && name) return null;
      prepared.operations.set(name ?? '', operation);
      prepared.plans.set(name ?? '', operation && cachePlan(schema, prepared.document, operation));
    }
    return operation;
  };
  return { prepare, operationOf };
}

export type OperationDocuments = ReturnType<typeof createOperationDocuments>;

export interface FastPathOptions {
  schema: GraphQLSchema;
  /** Shared with the cache lane: one parse per document text. */
  documents: OperationDocuments;
  executor: GatewayExecutor;
  guard: OperationGuard;
  masking: MaskingOptions;
  contextFor(req: express.Request): Promise<GatewayContext>;
  /** Counts an operation for /metrics. */
  count(type: string, outcome: 'ok' | 'error'): void;
  /** Answers of trusted documents, while their tables are unchanged (null: off). */
  cache: ResponseCache | null;
  /** Counts a response-cache lookup for /metrics. */
  cacheOutcome(outcome: 'hit' | 'miss'): void;
}

interface HttpHead {
  status?: number;
  headers?: Map<string, string>;
}

/**
 * Errors as Apollo Server formats them: a code always set (variable coercion failures are
 * BAD_USER_INPUT), an error's `http` status and headers moved onto the response (the last one
 * wins), then masked.
 */
export function formatErrors(
  errors: readonly GraphQLError[],
  masking: MaskingOptions,
): { errors: GraphQLFormattedError[]; head: HttpHead } {
  const head: HttpHead = {};
  const formatted = errors.map((error) => {
    const { http, ...extensions } = (error.extensions ?? {}) as Record<string, unknown> & {
      http?: { status?: number; headers?: Map<string, string> | Record<string, string> };
    };
    if (http?.status) head.status = http.status;
    // A Map from this process's resolvers; an object from a subgraph server's JSON.
    const headers = http?.headers instanceof Map ? http.headers : Object.entries(http?.headers ?? {});
    for (const [name, value] of headers) (head.headers ??= new Map()).set(name, value);
    const coercion = extensions.code == null && error.nodes?.[0]?.kind === Kind.VARIABLE_DEFINITION;
    const code = extensions.code ?? (coercion ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR');
    return maskError({ ...error.toJSON(), extensions: { ...extensions, code } }, error, masking);
  });
  return { errors: formatted, head };
}

/** A JSON answer (its content type already set), with the status and headers its errors carry, straight to Node's response. */
export function sendJson(res: ServerResponse, status: number, head: HttpHead, body: unknown): void {
  for (const [name, value] of head.headers ?? []) res.setHeader(name, value);
  const bytes = Buffer.from(JSON.stringify(body));
  res.statusCode = head.status ?? status;
  res.setHeader('content-length', bytes.byteLength);
  res.end(bytes);
}

export function createFastPath({
  schema,
  documents,
  executor,
  guard,
  masking,
  contextFor,
  count,
  cache,
  cacheOutcome,
}: FastPathOptions): express.RequestHandler {
  const { prepare, operationOf } = documents;

  /** The request as the fast path takes it, or null to leave it to Apollo Server. */
  function requestOf(req: express.Request): { query: string; variables: Record<string, unknown>; operationName?: string } | null {
    if (req.method === 'GET') {
      // Only trusted documents over GET (BI tools): the persisted lookup put the query in the URL.
      if (!req.res?.locals.persisted) return null;
      const { query, variables, operationName } = req.query as Record<string, unknown>;
      if (typeof query !== 'string' || (operationName !== undefined && typeof operationName !== 'string')) return null;
      if (variables === undefined) return { query, variables: {}, operationName: operationName as string | undefined };
      if (typeof variables !== 'string') return null;
      try {
        const parsed = JSON.parse(variables) as unknown;
        return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
          ? { query, variables: parsed as Record<string, unknown>, operationName: operationName as string | undefined }
          : null;
      } catch {
        return null;
      }
    }
    const body = req.body as
      { query?: unknown; variables?: unknown; operationName?: unknown; extensions?: Record<string, unknown> } | undefined;
    if (req.method !== 'POST' || !req.is('application/json') || !body || Array.isArray(body) || typeof body.query !== 'string') return null;
    // APQ (Apollo Server's cache) and malformed extensions (Apollo Server explains them, with a 400).
    if (
      body.extensions !== undefined &&
      (typeof body.extensions !== 'object' || body.extensions === null || Array.isArray(body.extensions))
    )
      return null;
    if (body.extensions?.persistedQuery) return null;
    if (body.variables !== undefined && body.variables !== null && (typeof body.variables !== 'object' || Array.isArray(body.variables)))
      return null;
    if (body.operationName !== undefined && body.operationName !== null && typeof body.operationName !== 'string') return null;
    return {
      query: body.query,
      variables: (body.variables ?? {}) as Record<string, unknown>,
      operationName: (body.operationName as string | null) ?? undefined,
    };
  }

  return async (req, res, next) => {
    const request = requestOf(req);
    if (!request) return next();
    const accepted = req.get('accept') ? req.accepts(['application/json', 'application/graphql-response+json']) : 'application/json';
    if (!accepted) return next();
    const prepared = prepare(request.query);
    const operation = prepared && operationOf(prepared, request.operationName);
    if (!prepared || !operation || operation.operation === 'subscription') return next();
    if (req.method === 'GET' && operation.operation !== 'query') return next();

    const { variables, operationName } = request;
    res.locals.operationName = operation.name?.value;
    res.type(accepted === 'application/json' ? JSON_TYPE : GRAPHQL_RESPONSE_TYPE);
    let context: GatewayContext;
    try {
      context = await contextFor(req);
      await guard({
        schema,
        document: prepared.document,
        operation,
        variables,
        identity: context.identity,
        ip: context.ip,
        trusted: !!context.persisted,
      });
    } catch (err) {
      // A refusal before execution: its own status (401, 400 QUERY_TOO_COMPLEX, 429 + Retry-After).
      count(operation.operation, 'error');
      if (!(err instanceof ReportGraphError)) return next(err);
      const { errors, head } = formatErrors([err], masking);
      sendJson(res, 400, head, { errors });
      return;
    }

    // Trusted documents (and any hot report) are answered from the response cache while what they read is unchanged.
    const cacheable = cache ? prepared.plans.get(operationName ?? '') : null;
    const plan = cacheable && (context.persisted || cacheable.adHoc) ? cacheable : null;
    const key = plan ? cache!.keyOf(prepared.queryHash, operationName, variables, context.identity) : null;
    if (key) {
      const hit = cache!.get(key);
      cacheOutcome(hit ? 'hit' : 'miss');
      if (hit) {
        count(operation.operation, 'ok');
        return answerCached(req, res, hit);
      }
    }
    const stamp = key ? cache!.stamp(plan!.tables) : null;
    // A mutation's writer must read its own write next: the cache goes as its answer goes out.
    if (operation.operation === 'mutation') cache?.forgetOnWrite(req, res, () => undefined);
    const requestContext = {
      request: {
        query: request.query,
        variables,
        operationName,
        http: { method: req.method, headers: new Map(), search: '', body: req.body },
      },
      document: prepared.document,
      source: request.query,
      queryHash: prepared.queryHash,
      operation,
      operationName: operation.name?.value ?? null,
      context,
      schema,
      metrics: {},
      logger: masking.logger,
      cache: undefined,
      overallCachePolicy: undefined,
    } as unknown as GatewayGraphQLRequestContext;
    try {
      const result = await executor(requestContext);
      const failed = result.errors?.length ? formatErrors(result.errors, masking) : undefined;
      count(operation.operation, failed ? 'error' : 'ok');
      if (key && !failed && !result.extensions && storable(plan!, result.data)) {
        const stored = cache!.set(key, plan!.tables, stamp!, JSON.stringify({ data: result.data }), plan!.settleMs);
        if (stored) return answerCached(req, res, stored);
      }
      // As Apollo Server answers: 400 when nothing ran (variables that do not coerce), errors first.
      const status = failed && result.data === undefined ? 400 : 200;
      sendJson(res, status, failed?.head ?? {}, {
        ...(failed ? { errors: failed.errors } : {}),
        data: result.data,
        ...(result.extensions ? { extensions: result.extensions } : {}),
      });
    } catch (err) {
      count(operation.operation, 'error');
      next(err);
    }
  };
}

/** A cached answer, with its validator: a client holding the same bytes gets 304 and no body. */
export function answerCached(req: IncomingMessage, res: ServerResponse, cached: CachedResponse): void {
  // Per caller, and never served stale by a shared cache: revalidate every time (cheap: 304).
  res.setHeader('cache-control', 'private, no-cache');
  res.setHeader('etag', cached.etag);
  if (req.headers['if-none-match'] === cached.etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  // Straight to Node's response: the bytes are ready, there is nothing for Express's send to do.
  res.statusCode = 200;
  res.setHeader('content-length', cached.body.byteLength);
  res.end(cached.body);
}
