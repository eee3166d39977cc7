// How deep JSON text nests, found without parsing it: a request's body or variables are refused
// past REQUEST_MAX_JSON_DEPTH before JSON.parse builds them and before anything recursive
// (JSON.stringify for cache keys, validation, Prisma) walks them — a few MB of `[[[[…` would
// otherwise hold the event loop for a second and overflow the stack.

import { tooComplex, type ReportGraphError } from './errors.js';

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Whether `json` (UTF-8 bytes or text) nests arrays and objects deeper than `max`; strings are skipped whole. */
export function jsonDeeperThan(json: Uint8Array | string, max: number): boolean {
  const bytes = typeof json === 'string' ? Buffer.from(json) : json;
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      // To the closing quote; an escaped character is skipped with its backslash.
      for (i++; i < bytes.length && bytes[i] !== QUOTE; i++) if (bytes[i] === BACKSLASH) i++;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** Whether a parsed value nests arrays and objects deeper than `max` (walked without recursion). */
export function valueDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** The error a body or variables past REQUEST_MAX_JSON_DEPTH are refused with (HTTP 400, QUERY_TOO_COMPLEX). */
export class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly expose = true;
  constructor(readonly max: number) {
    super(`The JSON nests deeper than ${max} arrays and objects (REQUEST_MAX_JSON_DEPTH)`);
    this.name = 'JsonTooDeepError';
  }
}

/** How a client is told: QUERY_TOO_COMPLEX naming the limit, over HTTP and WebSocket alike. */
export const jsonDepthRefusal = (max: number): ReportGraphError =>
  tooComplex(new JsonTooDeepError(max).message, 'REQUEST_MAX_JSON_DEPTH', max);
