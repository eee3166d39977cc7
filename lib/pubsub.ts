// Redis pub/sub for live events (model events, analysis progress): one subscriber connection
// per process, fanned out to every local listener of a channel. Channel names carry the
// deployment's key prefix, as keys do.
import type { Redis } from './redis.js';

export interface PubSub {
  publish(channel: string, message: unknown): Promise<void>;
  /** Messages published on `channel` from now on, until the iterator is returned. */
  subscribe<T = unknown>(channel: string): AsyncIterableIterator<T>;
  close(): Promise<void>;
}

export function createPubSub(publisher: Redis, prefix: string): PubSub {
  let subscriber: Redis | null = null;
  const listeners = new Map<string, Set<(message: unknown) => void>>();

  const connection = () => {
    if (!subscriber) {
      subscriber = publisher.duplicate({ keyPrefix: '' });
      subscriber.on('error', () => {});
      subscriber.on('message', (channel: string, text: string) => {
        let message: unknown;
        try {
          message = JSON.parse(text);
        } catch {
          return;
        }
        for (const listener of listeners.get(channel) ?? []) listener(message);
      });
    }
    return subscriber;
  };

  return {
    async publish(channel, message) {
      await publisher.publish(prefix + channel, JSON.stringify(message));
    },
    subscribe<T>(channel: string): AsyncIterableIterator<T> {
      const full = prefix + channel;
      const queue: T[] = [];
      let wake: (() => void) | null = null;
      let done = false;
      const listener = (message: unknown) => {
        queue.push(message as T);
        wake?.();
      };
      let set = listeners.get(full);
      if (!set) {
        set = new Set();
        listeners.set(full, set);
        void connection().subscribe(full).catch(() => {});
      }
      set.add(listener);
      const stop = () => {
        if (done) return;
        done = true;
        set!.delete(listener);
        if (set!.size === 0) {
          listeners.delete(full);
          void connection().unsubscribe(full).catch(() => {});
        }
        wake?.();
      };
      const iterator: AsyncIterableIterator<T> = {
        async next() {
          while (!done && queue.length === 0) await new Promise<void>((r) => (wake = r));
          wake = null;
          return queue.length ? { value: queue.shift()!, done: false } : { value: undefined, done: true };
        },
        async return() {
          stop();
          return { value: undefined, done: true };
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
    async close() {
      listeners.clear();
      subscriber?.disconnect();
      subscriber = null;
    },
  };
}
