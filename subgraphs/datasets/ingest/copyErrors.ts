import { badInput } from '../../../lib/errors.js';

/** PostgreSQL error codes a COPY raises for bad data (not for a broken server). */
const DATA_ERRORS = new Set(['22P02', '22P04', '22021', '22007', '22008', '22003', '22001', '22023', '22P05']);
/** Of those, the ones where a value did not fit its column's type. */
const TYPE_ERRORS = new Set(['22P02', '22007', '22008', '22003']);

/**
 * Turns a COPY data error into BAD_USER_INPUT naming the line and column, from PostgreSQL's
 * context line (`COPY ds_x_v1, line 5, column amount: "abc"`). Other errors pass through.
 */
export function fromCopyError(err: unknown, typeHint = ''): unknown {
  const e = err as { code?: string; message?: string; where?: string };
  if (!e.code || !DATA_ERRORS.has(e.code)) return err;
  const where = /line (\d+)(?:, column ([^:]+))?/.exec(e.where ?? '');
  const line = where ? Number(where[1]) : undefined;
  const column = where?.[2];
  const place = [line ? `line ${line}` : null, column ? `column "${column}"` : null].filter(Boolean).join(', ');
  const hint = TYPE_ERRORS.has(e.code) ? typeHint : '';
  return badInput(`${place ? `${place}: ` : ''}${e.message}${hint}`, { ...(line ? { line } : {}), ...(column ? { column } : {}) });
}
