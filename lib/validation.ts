import type { z } from 'zod';
import { badInput } from './errors.js';

/**
 * Validates a mutation's input with a zod schema; the first problem becomes a BAD_USER_INPUT error
 * naming the field (`input.parameters.1.name`), so a client can point at it. `root` is the
 * argument's name; '' for a schema over several top-level arguments.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, root = 'input'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = [...(root ? [root] : []), ...issue.path.map(String)].join('.');
  throw badInput(`${field}: ${issue.message}`, { field });
}

/** UUIDs are the ids of every entity; anything else cannot exist, so it is bad input, not "not found". */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireUuid(id: string, field = 'id'): string {
  if (!UUID_RE.test(id)) throw badInput(`${field}: not a valid id`, { field });
  return id;
}

/** For lookups by id: a malformed id simply matches nothing. */
export const isUuid = (id: string) => UUID_RE.test(id);
