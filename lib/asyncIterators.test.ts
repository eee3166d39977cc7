import { describe, expect, it } from 'vitest';
import { endingSource } from './asyncIterators.js';

/** A source that yields only when pushed to, and records whether it was returned. */
function quietSource() {
  let wake: (() => void) | null = null;
  let done = false;
  const state = { returned: false };
  const iterator: AsyncIterableIterator<number> = {
    async next() {
      if (!done) await new Promise<void>((r) => (wake = r));
      return { value: undefined, done: true };
    },
    async return() {
      state.returned = true;
      done = true;
      wake?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return { iterator, state };
}

describe('endingSource', () => {
  it('ends a generator waiting on a quiet source at once, running its finally', async () => {
    const { iterator, state } = quietSource();
    let cleaned = false;
    async function* reading() {
      try {
        for await (const n of iterator) yield n;
      } finally {
        cleaned = true;
      }
    }
    const wrapped = endingSource(reading(), () => iterator);
    const pending = wrapped.next(); // now waiting on the source
    await new Promise((r) => setTimeout(r, 10));
    const result = await Promise.race([wrapped.return(), new Promise((r) => setTimeout(() => r('hung'), 500))]);
    expect(result).toEqual({ value: undefined, done: true });
    expect(state.returned).toBe(true);
    expect(cleaned).toBe(true);
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
  });

  it('without a source yet, returns the generator alone', async () => {
    async function* one() {
      yield 1;
    }
    const wrapped = endingSource(one(), () => undefined);
    expect(await wrapped.return()).toEqual({ value: undefined, done: true });
    expect(await wrapped.next()).toEqual({ value: undefined, done: true });
  });
});
