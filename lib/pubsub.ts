// Redis pub/sub for live events (model events, analysis progress): one subscriber connection
// per process, fanned out to every local listener of a channel. Channel names carry the
// deployment's key prefix, as keys do. Live events are best effort — what they announce is also
// stored — so a publish that fails is logged, not thrown; a subscriber connection that drops is
// logged and, once Redis is back, subscribes again to every channel that still has listeners.
// This process's own listeners hear its messages as they are published, not after Redis's round
// trip: a change announced by a resolver (a disabled user) is known to the gateway in the same
// process before the mutation's answer leaves. Its copy coming back from Redis is skipped by origin
// (so a process may hear its own events before earlier ones of other processes).
import { randomUUID } from 'node:crypto';
import type { Logger } from './logger.js';
import type { Redis } from './redis.js';

export interface PubSub {
  /** Publishes to every process's listeners; a failure is logged. */
  publish(channel: string, message: unknown): Promise<void>;
  /** Messages published on `channel` from now on, until the iterator is returned. */
  subscribe<T = unknown>(channel: string): AsyncIterableIterator<T>;
  close(): Promise<void>;
}

/**
 * The field naming the publishing process. It travels inside the message (an object: every live
 * event is one) rather than around it, so a process of an older release still reads the message
 * it knows, beside one field it ignores; a message from a publisher that sets none is taken as it is.
 */
const ORIGIN = '$origin';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function createPubSub(publisher: Redis, prefix: string, logger: Logger): PubSub {
  const origin = randomUUID();
  let subscriber: Redis | null = null;
  const listeners = new Map<string, Set<(message: unknown) => void>>();
  const log = logger.child({ part: 'pubsub' });

  const subscribe = (connection: Redis, channel: string) =>
    connection
      .subscribe(channel)
      .catch((err: Error) => log.warn({ err: err.message, channel }, 'subscribing failed; retried when Redis is back'));

  const deliver = (channel: string, message: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener(message);
  };

  const connection = () => {
    if (!subscriber) {
      const created = publisher.duplicate({ keyPrefix: '' });
      let lost = false;
      created.on('error', (err: Error) => log.warn({ err: err.message }, 'pub/sub connection error'));
      created.on('close', () => {
        if (!lost && listeners.size) log.warn({ channels: listeners.size }, 'pub/sub connection lost; live events pause until it is back');
        lost = true;
      });
      created.on('ready', () => {
        if (!lost) return;
        lost = false;
        log.info({ channels: listeners.size }, 'pub/sub connection back');
        // ioredis resubscribes what it had; a channel whose SUBSCRIBE failed meanwhile is added here.
        for (const channel of listeners.keys()) void subscribe(created, channel);
      });
      created.on('message', (channel: string, text: string) => {
        let message: unknown;
        try {
          message = JSON.parse(text);
        } catch {
          log.warn({ channel }, 'ignored a message that is not JSON');
          return;
        }
        if (isObject(message) && typeof message[ORIGIN] === 'string') {
          if (message[ORIGIN] === origin) return; // heard already, as it was published
          delete message[ORIGIN];
        }
        deliver(channel, message);
      });
      subscriber = created;
    }
    return subscriber;
  };

  return {
    async publish(channel, message) {
      const text = JSON.stringify(message) ?? 'null';
      // Local listeners get what remote ones get: the message as JSON reads it back (dates as strings).
      if (listeners.has(prefix + channel)) deliver(prefix + channel, JSON.parse(text));
      try {
        // `{"$origin":"…",` + the message's own fields (an empty object has none).
        const tagged = isObject(message) ? `{"${ORIGIN}":"${origin}"${text === '{}' ? '' : ','}${text.slice(1)}` : text;
        await publisher.publish(prefix + channel, tagged);
      } catch (err) {
        log.warn({ err: (err as Error).message, channel }, 'publishing a live event failed');
      }
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
        void subscribe(connection(), full);
      }
      set.add(listener);
      const stop = () => {
        if (done) return;
        done = true;
        set.delete(listener);
        if (set.size === 0) {
          listeners.delete(full);
          void connection()
            .unsubscribe(full)
            .catch((err: Error) => log.debug({ err: err.message, channel: full }, 'unsubscribing failed'));
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
