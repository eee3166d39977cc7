// The cache lane: a hot answer (a persisted or ad-hoc query whose answer the response cache holds)
// served in front of Express, from the bytes the cache encoded once. It does for such a request
// what the Express chain does — the request id, the document-size limit, the persisted lookup,
// authentication, the operation guard (persisted-only mode, limits, the caller's operation budget),
// the ETag and 304, metrics and the request's log line — without the framework's per-request work.
// Everything else, and every request it is not sure of, goes on to Express untouched or, once its
// body is read, with `req.body` set (Express's JSON parser then leaves the request alone, as it
// does any request whose body was read). It never answers an error the Express chain would answer
// differently: a request that would be refused goes on to Express, except a refusal by the guard
// itself, answered as the fast path answers it.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Identity } from '../lib/auth/identity.js';
import { REQUEST_ID_HEADER } from '../lib/auth/identity.js';
import type { Config } from '../lib/config.js';
import { ReportGraphError, type MaskingOptions } from '../lib/errors.js';
import { jsonDeeperThan, JsonTooDeepError } from '../lib/jsonDepth.js';
import { answerCached, formatErrors, GRAPHQL_RESPONSE_TYPE, JSON_TYPE, sendJson, type OperationDocuments } from './fastPath.js';
import type { AnsweredRequest } from './plugins/metrics.js';
import type { OperationGuard } from './plugins/operationGuard.js';
import { enforceDocumentSize } from './plugins/operationLimits.js';
import type { PersistedDocument } from './plugins/persistedOperations.js';
import type { ResponseCache } from './plugins/responseCache.js';

/** Bodies the lane reads itself; larger ones (never a hot read's) go to Express's parser. */
const MAX_BODY_BYTES = 64 * 1024;
/** The Accept headers the lane answers, and the type each gets; any other is negotiated by Express. */
const ACCEPTED = new Map<string, string>([
  ['', JSON_TYPE],
  ['*/*', JSON_TYPE],
  ['application/json', JSON_TYPE],
  ['application/graphql-response+json', GRAPHQL_RESPONSE_TYPE],
  ['application/graphql-response+json, application/json', GRAPHQL_RESPONSE_TYPE],
  ['application/graphql-response+json, application/json;q=0.9', GRAPHQL_RESPONSE_TYPE],
]);
/** A UTF-8 byte order mark, which Express's JSON parser skips. */
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset=utf-8\s*)?$/i;

/** What a request's body or URL asks for, once read. */
interface Ask {
  documentId?: string;
  query?: string;
  variables: Record<string, unknown>;
  operationName?: string;
}

export interface CacheLaneOptions {
  config: Config;
  schema: GraphQLSchema;
  documents: OperationDocuments;
  cache: ResponseCache;
  persisted: { find(id: string): Promise<PersistedDocument | null> };
  authenticate(header: (name: string) => string | undefined): Promise<Identity | null>;
  guard: OperationGuard;
  masking: MaskingOptions;
  metrics: {
    request(done: AnsweredRequest): void;
    count(type: string, outcome: 'ok' | 'error'): void;
    cacheOutcome(outcome: 'hit' | 'miss'): void;
    laneHit(): void;
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON body's ask, or null when anything about it is for Express to judge. */
function askOfBody(body: unknown): Ask | null {
  if (!isObject(body) || body.extensions !== undefined) return null;
  const { documentId, query, variables, operationName } = body;
  if (variables !== undefined && variables !== null && !isObject(variables)) return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
  if ((typeof documentId === 'string') === (typeof query === 'string')) return null; // one or the other
  if (documentId !== undefined && typeof documentId !== 'string') return null;
  return {
    ...(typeof documentId === 'string' ? { documentId } : { query: query as string }),
    variables: (variables ?? {}) as Record<string, unknown>,
    ...(typeof operationName === 'string' ? { operationName } : {}),
  };
}

/** A persisted GET's ask (`?documentId=…&variables=…&operationName=…`), or null. */
function askOfSearch(search: string, maxDepth: number): Ask | null {
  const params = new URLSearchParams(search);
  const documentId = params.get('documentId');
  if (!documentId || params.getAll('documentId').length > 1) return null;
  for (const name of params.keys()) if (name !== 'documentId' && name !== 'variables' && name !== 'operationName') return null;
  let variables: unknown = {};
  const text = params.get('variables');
  if (text !== null && jsonDeeperThan(text, maxDepth)) return null; // Express refuses it
  if (text !== null) {
    try {
      variables = JSON.parse(text);
    } catch {
      return null;
    }
    if (!isObject(variables)) return null;
  }
  const operationName = params.get('operationName');
  return { documentId, variables: variables as Record<string, unknown>, ...(operationName !== null ? { operationName } : {}) };
}

export function createCacheLane(options: CacheLaneOptions) {
  const { config, schema, documents, cache, persisted, authenticate, guard, masking, metrics } = options;
  const bodyLimit = Math.min(MAX_BODY_BYTES, config.limits.requestMaxBytes);

  /** Answers `ask` from the cache, or says (false) that Express should. */
  async function answer(req: IncomingMessage, res: ServerResponse, ask: Ask, type: string, started: number): Promise<boolean> {
    const found = ask.documentId !== undefined ? await persisted.find(ask.documentId) : null;
    if (ask.documentId !== undefined && !found) return false; // Express answers PERSISTED_QUERY_NOT_FOUND
    const query = found?.document ?? ask.query!;
    try {
      enforceDocumentSize(query, config.limits);
    } catch {
      return false;
    }
    const prepared = documents.prepare(query);
    const operation = prepared && documents.operationOf(prepared, ask.operationName);
    if (!prepared || operation?.operation !== 'query') return false;
    const plan = prepared.plans.get(ask.operationName ?? '');
    if (!plan || !(found || plan.adHoc)) return false;
    let identity: Identity | null;
    try {
      identity = await authenticate((name) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      });
    } catch {
      return false; // Express refuses it, in its words
    }
    // The lane serves signed-in callers only: an anonymous caller's budget is kept by its address,
    // which only Express reads as TRUST_PROXY says.
    if (!identity) return false;
    const hit = cache.get(cache.keyOf(prepared.queryHash, ask.operationName, ask.variables, identity));
    if (!hit) return false; // counted as a miss by the fast path behind Express
    const requestId = (req.headers[REQUEST_ID_HEADER] as string | undefined) ?? randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const operationName = operation.name?.value;
    const done = () =>
      metrics.request({ requestId, method: req.method!, path: '/graphql', operation: operationName, status: res.statusCode, started });
    try {
      await guard({
        schema,
        document: prepared.document,
        operation,
        variables: ask.variables,
        identity,
        ip: req.socket.remoteAddress ?? 'unknown',
        trusted: !!found,
      });
    } catch (err) {
      if (!(err instanceof ReportGraphError)) throw err;
      // A refusal before execution, as the fast path answers it: its status (429 + Retry-After, 400 QUERY_TOO_COMPLEX).
      metrics.count('query', 'error');
      const { errors, head } = formatErrors([err], masking);
      res.setHeader('content-type', type);
      sendJson(res, 400, head, { errors });
      done();
      return true;
    }
    metrics.cacheOutcome('hit');
    metrics.laneHit();
    metrics.count('query', 'ok');
    res.setHeader('content-type', type);
    answerCached(req, res, hit);
    done();
    return true;
  }

  /** Serves the request if it is a cached answer; else hands it to `next` (Express). */
  return function lane(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const started = performance.now();
    const { method, url = '' } = req;
    const type = ACCEPTED.get(req.headers.accept ?? '');
    const at = url.indexOf('?');
    const path = at < 0 ? url : url.slice(0, at);
    const search = at < 0 ? '' : url.slice(at + 1);
    if (path !== '/graphql' || !type) return next();
    if (method === 'GET') {
      const ask = askOfSearch(search, config.limits.requestMaxJsonDepth);
      if (!ask) return next();
      answer(req, res, ask, type, started).then(
        (answered) => answered || next(),
        () => next(),
      );
      return;
    }
    const length = Number(req.headers['content-length']);
    if (
      method !== 'POST' ||
      search !== '' ||
      !(length > 0 && length <= bodyLimit) ||
      !PLAIN_JSON.test(req.headers['content-type'] ?? '') ||
      req.headers['content-encoding'] !== undefined ||
      req.headers['transfer-encoding'] !== undefined
    )
      return next();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A client gone mid-body: nothing to answer, and no 'end' follows.
    req.on('error', () => {});
    req.once('end', () => {
      const read = Buffer.concat(chunks);
      const bytes = read.subarray(0, 3).equals(BOM) ? read.subarray(3) : read;
      if (jsonDeeperThan(bytes, config.limits.requestMaxJsonDepth)) {
        // Refused by Express's error handler, as the JSON parser there refuses it.
        (req as IncomingMessage & { [LANE_BODY_ERROR]?: unknown })[LANE_BODY_ERROR] = new JsonTooDeepError(
          config.limits.requestMaxJsonDepth,
        );
        return next();
      }
      let body: unknown;
      try {
        body = JSON.parse(bytes.toString('utf8'));
        // As Express's JSON parser (strict): an object or an array, nothing else.
        if (typeof body !== 'object' || body === null) throw new SyntaxError('a JSON body is an object or an array');
      } catch (err) {
        // Express's JSON parser would have refused it (400); it is read, so Express hears it as that error.
        (req as IncomingMessage & { [LANE_BODY_ERROR]?: unknown })[LANE_BODY_ERROR] = Object.assign(
          new SyntaxError((err as Error).message),
          { status: 400, statusCode: 400, expose: true, type: 'entity.parse.failed' },
        );
        return next();
      }
      (req as IncomingMessage & { body?: unknown }).body = body;
      const ask = askOfBody(body);
      if (!ask) return next();
      answer(req, res, ask, type, started).then(
        (answered) => answered || next(),
        () => next(),
      );
    });
  };
}

/** Where the lane leaves a body Express's JSON parser would have refused. */
export const LANE_BODY_ERROR = Symbol('laneBodyError');

/** First in the Express app: a body the lane read and could not parse is the JSON parser's 400. */
export function laneBodyErrors(req: IncomingMessage, _res: ServerResponse, next: (err?: unknown) => void): void {
  next((req as IncomingMessage & { [LANE_BODY_ERROR]?: unknown })[LANE_BODY_ERROR]);
}
