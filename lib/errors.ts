// One place for the errors clients see. Each has a stable `extensions.code` (the names in API.md)
// and an HTTP status; anything else is unexpected and masked outside development.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger.js';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_IN_LIST: 'PERSISTED_QUERY_NOT_IN_LIST',
  RATE_LIMITED: 'RATE_LIMITED',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** A subgraph could not be reached: its fields are null, the rest of the answer is there. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** A service the operation needs (the analysis queue's Redis) is down: nothing was done; retry later. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PERSISTED_QUERY_NOT_FOUND: 404,
  PERSISTED_QUERY_NOT_IN_LIST: 400,
  RATE_LIMITED: 429,
  QUERY_TOO_COMPLEX: 400,
  SUBGRAPH_UNAVAILABLE: 503,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

/** A GraphQL error a client is meant to see: stable code, safe message, optional details. */
export class ReportGraphError extends GraphQLError {
  /** @param status the HTTP status, when it should differ from the code's usual one (413 for a too-large body) */
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, status = STATUS[code]) {
    super(message, { extensions: { ...details, code, http: { status } } });
    this.name = 'ReportGraphError';
  }

  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }

  get status(): number {
    return (this.extensions.http as { status: number }).status;
  }
}

/** The body of a REST error answer: the same shape as a GraphQL error list. */
export function errorBody(err: ReportGraphError) {
  const { http: _http, ...extensions } = err.extensions;
  return { errors: [{ message: err.message, extensions }] };
}

export const badInput = (message: string, details?: Record<string, unknown>) =>
  new ReportGraphError(ErrorCode.BAD_USER_INPUT, message, details);
export const unauthenticated = (message = 'Sign in first: send Authorization: Bearer <token> or X-API-Key') =>
  new ReportGraphError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message: string) => new ReportGraphError(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string, id: string) =>
  new ReportGraphError(ErrorCode.NOT_FOUND, `${what} ${id} not found`, { entity: what, id });
export const conflict = (message: string, details?: Record<string, unknown>) => new ReportGraphError(ErrorCode.CONFLICT, message, details);
/** An operation over one of the gateway's limits; `limit` names the setting, `max` its value. */
export const tooComplex = (message: string, limit: string, max: number, actual?: number) =>
  new ReportGraphError(ErrorCode.QUERY_TOO_COMPLEX, message, { limit, max, ...(actual === undefined ? {} : { actual }) });
/** Over a rate limit: HTTP 429 with Retry-After, as RFC 6585 asks. */
export const rateLimited = (message: string, limit: string, retryAfterSeconds: number) => {
  const err = new ReportGraphError(ErrorCode.RATE_LIMITED, message, { limit, retryAfterSeconds });
  (err.extensions.http as { headers?: Map<string, string> }).headers = new Map([['retry-after', String(retryAfterSeconds)]]);
  return err;
};

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));
/** Apollo Server's own codes for a malformed request, reported as BAD_USER_INPUT with the reason. */
const CLIENT_FAULT_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE']);

/**
 * Turns database errors with a meaning for the client into client errors; returns anything else
 * unchanged. Prisma codes: P2002 unique violation, P2025 record not found, P2003 foreign key.
 */
export function fromDatabaseError(err: unknown, what = 'record'): unknown {
  const code = (err as { code?: string } | null)?.code;
  if (code === 'P2002' || code === '23505') return conflict(`${what} already exists`);
  if (code === 'P2025') return new ReportGraphError(ErrorCode.NOT_FOUND, `${what} not found`);
  if (code === 'P2003' || code === '23503') return conflict(`${what} is still referenced`);
  return err;
}

/** The SQLSTATE of a PostgreSQL error, from pg directly or through Prisma's driver adapter (or a cause of either). */
function sqlStateOf(err: unknown): string | null {
  for (let e = err as Record<string, unknown> | null | undefined, depth = 0; e && depth < 5; depth++) {
    // Prisma's own code (P2010 …) says less than the database's under it.
    const adapter = (e.meta as { driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined)?.driverAdapterError;
    if (typeof adapter?.cause?.originalCode === 'string') return adapter.cause.originalCode;
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && !/^P[1-9]/.test(e.code)) return e.code;
    e = e.cause as Record<string, unknown> | null | undefined;
  }
  return null;
}

/**
 * What PostgreSQL refused because of what a client sent, as the client's error: text it cannot
 * hold (a NUL character: 22021; a byte sequence it cannot convert: 22P05), a row wider than a
 * page (54000). Null for anything else.
 */
export function databaseInputError(err: unknown): ReportGraphError | null {
  const state = sqlStateOf(err);
  if (state === '22021' || state === '22P05') {
    return new ReportGraphError(
      ErrorCode.BAD_USER_INPUT,
      'Text with a NUL character (\\u0000) or an invalid byte sequence cannot be stored or compared: remove it',
      { reason: 'INVALID_TEXT' },
    );
  }
  if (state === '54000') {
    return new ReportGraphError(
      ErrorCode.BAD_USER_INPUT,
      'A row or value is larger than the database allows (a row must fit a page of 8 KB): fewer or narrower columns, or smaller values',
      { reason: 'DATABASE_LIMIT' },
    );
  }
  return null;
}

/** Runs `fn`, translating database errors with a client meaning (see `fromDatabaseError`). */
export async function withDatabaseErrors<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw fromDatabaseError(err, what);
  }
}

/** How unexpected errors are treated at an edge: logged here, their message shown or masked. */
export interface MaskingOptions {
  logger: Logger;
  /** `config.exposeErrorDetails`: keep an unexpected error's message for the client. */
  exposeDetails: boolean;
  /** Leave out graphql-js's "Did you mean …?" (field, argument, enum value names) where not everyone may introspect. */
  hideSuggestions?: boolean;
}

/**
 * Formats an error for a client at the edge where it happened — a subgraph (in-process or its own
 * server) or the gateway itself. Errors with a known code pass through; parse and validation
 * failures become BAD_USER_INPUT with the reason; anything unexpected is logged once, here, with
 * the original error, and masked unless details are exposed. An error a subgraph already masked
 * (the gateway tags it with `serviceName`) passes through: it was logged where it happened.
 */
export function maskError(
  given: GraphQLFormattedError,
  error: unknown,
  { logger, exposeDetails, hideSuggestions }: MaskingOptions,
): GraphQLFormattedError {
  const formatted = hideSuggestions ? { ...given, message: given.message.replace(/ ?Did you mean(.+?)\?$/, '') } : given;
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && KNOWN_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    return formatted;
  }
  if (typeof code === 'string' && CLIENT_FAULT_CODES.has(code)) {
    // Parse and validation failures: the client's operation was wrong, and the message says how.
    return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT, reason: code } };
  }
  const serviceName = formatted.extensions?.serviceName;
  if (code === ErrorCode.INTERNAL_SERVER_ERROR && typeof serviceName === 'string') return formatted;
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  // Refused by the server's own framework with a 4xx (an APQ hash that does not match its query): the client's fault.
  const status = (error instanceof GraphQLError ? (error.extensions?.http as { status?: number } | undefined)?.status : undefined) ?? 0;
  if ((code === undefined || code === ErrorCode.INTERNAL_SERVER_ERROR) && status >= 400 && status < 500) {
    return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT } };
  }
  const refused = databaseInputError(original);
  if (refused) {
    logger.warn({ err: original, path: formatted.path }, 'input refused by the database');
    const { http: _http, ...extensions } = refused.extensions;
    return { message: refused.message, locations: formatted.locations, path: formatted.path, extensions };
  }
  if (typeof serviceName !== 'string') {
    logger.error({ err: original, path: formatted.path }, 'unexpected error');
  }
  const extensions = { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(typeof serviceName === 'string' ? { serviceName } : {}) };
  if (exposeDetails) return { ...formatted, extensions: { ...formatted.extensions, ...extensions } };
  return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions };
}
