// Errors in words: each code the gateway answers with (its stable `extensions.code`) has a
// sentence in the reader's language, followed by the server's own message and what locates the
// problem — the line and column of a bad CSV value, the field, the limit that was reached.
import type { CombinedError } from 'urql';
import { fromCombined, type ApiError } from '../api/errors.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n, type Translate } from '../i18n/i18n.js';

const CODES: Record<string, MessageKey> = {
  BAD_USER_INPUT: 'error.BAD_USER_INPUT',
  UNAUTHENTICATED: 'error.UNAUTHENTICATED',
  FORBIDDEN: 'error.FORBIDDEN',
  NOT_FOUND: 'error.NOT_FOUND',
  CONFLICT: 'error.CONFLICT',
  PERSISTED_QUERY_NOT_FOUND: 'error.PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_IN_LIST: 'error.PERSISTED_QUERY_NOT_IN_LIST',
  RATE_LIMITED: 'error.RATE_LIMITED',
  QUERY_TOO_COMPLEX: 'error.QUERY_TOO_COMPLEX',
  NETWORK: 'error.NETWORK',
  ABORTED: 'error.ABORTED',
  INCOMPLETE: 'error.INCOMPLETE',
};

/** One error as a sentence: what kind of problem, where, and the server's words. */
export function describeError(error: ApiError, t: Translate): { summary: string; where: string | null; message: string } {
  const { line, column, field, limit, retryAfterSeconds } = error.details;
  const where = [
    typeof line === 'number' ? t('error.line', { line }) : null,
    typeof column === 'string' ? t('error.column', { column }) : null,
    typeof field === 'string' && typeof line !== 'number' ? t('error.field', { field }) : null,
    typeof limit === 'string' ? t('error.limit', { limit }) : null,
    typeof retryAfterSeconds === 'number' ? t('error.retryAfter', { seconds: retryAfterSeconds }) : null,
  ].filter(Boolean);
  // The server's message may open with the same place in English ("line 5, column "x": ..."): said once, in the reader's words.
  const message = typeof line === 'number' ? error.message.replace(/^line \d+(?:, column "[^"]*")?: /, '') : error.message;
  return { summary: t(CODES[error.code] ?? 'error.INTERNAL_SERVER_ERROR'), where: where.length ? where.join(', ') : null, message };
}

export function ErrorMessage({ error, errors }: { error?: CombinedError | null; errors?: ApiError[] | null }) {
  const { t } = useI18n();
  const list = errors ?? (error ? fromCombined(error) : []);
  if (!list.length) return null;
  return (
    <div className="error" role="alert">
      {list.map((e, i) => {
        const d = describeError(e, t);
        return (
          <p key={i} data-code={e.code}>
            <strong>{d.summary}</strong>
            {d.where ? <span className="error-where"> {d.where}:</span> : null} <span className="error-message">{d.message}</span>
          </p>
        );
      })}
    </div>
  );
}
