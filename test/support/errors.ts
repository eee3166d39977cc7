// What a thrown error tells a client, for unit tests: its message and extensions (code, field, ...).
import type { GraphQLError } from 'graphql';

export type ClientError = { message: string; code?: unknown; field?: unknown; [extension: string]: unknown };

const describeError = (err: unknown): ClientError => ({ message: (err as Error).message, ...(err as GraphQLError).extensions });

/** The error `fn` throws, as a client sees it; undefined when it does not throw. */
export function errorOf(fn: () => unknown): ClientError | undefined {
  try {
    fn();
  } catch (err) {
    return describeError(err);
  }
  return undefined;
}

/** The error `promise` rejects with, as a client sees it; undefined when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<ClientError | undefined> {
  try {
    await promise;
  } catch (err) {
    return describeError(err);
  }
  return undefined;
}
