// What went wrong, as the app shows it: each error's stable code (the gateway's
// `extensions.code`), its message, and the details that locate it (line, column, field, limit).
import type { CombinedError } from 'urql';

export interface ApiError {
  code: string;
  message: string;
  /** `extensions` less the code: line, column, field, limit, retryAfterSeconds... */
  details: Record<string, unknown>;
}

type RawError = { message: string; extensions?: Record<string, unknown> | null };

export function fromRaw(errors: ReadonlyArray<RawError>): ApiError[] {
  return errors.map(({ message, extensions }) => {
    const { code, ...details } = extensions ?? {};
    return { code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR', message, details };
  });
}

export function fromCombined(error: CombinedError): ApiError[] {
  if (error.graphQLErrors.length) return fromRaw(error.graphQLErrors);
  return [{ code: 'NETWORK', message: error.networkError?.message ?? error.message, details: {} }];
}
