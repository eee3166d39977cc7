// An async generator that is waiting on its source ignores `return()` until that wait ends: a
// subscriber that leaves a quiet stream would hold its subscription (a Redis channel, a subgraph
// socket) until the next event. `endingSource` hands `return()` to the source first, so the wait
// ends at once, and the generator then finishes (its `finally` blocks run) as usual.

/**
 * `generator`, whose `return()` first returns `source()` — the iterator it is reading, if it has
 * one yet — then the generator itself.
 */
export function endingSource<T>(
  generator: AsyncGenerator<T>,
  source: () => AsyncIterator<unknown> | undefined,
): AsyncIterableIterator<T> & { return(): Promise<IteratorResult<T>> } {
  const iterator = {
    next: () => generator.next(),
    async return(): Promise<IteratorResult<T>> {
      await source()?.return?.();
      return generator.return(undefined);
    },
    throw: (err: unknown) => generator.throw(err),
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
