import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createLogger } from './logger.js';
import { createPubSub } from './pubsub.js';

const prefix = `${inject('redisKeyPrefix')}pubsub-test:`;
const logger = createLogger({ logLevel: 'silent' });
const connections: Redis[] = [];
const redis = () => {
  const r = new Redis(inject('redisUrl'));
  connections.push(r);
  return r;
};
afterAll(() => connections.forEach((r) => r.disconnect()));

const take = async <T>(iterator: AsyncIterator<T>, n: number, ms = 2000): Promise<T[]> => {
  const got: T[] = [];
  const deadline = Date.now() + ms;
  while (got.length < n && Date.now() < deadline) {
    const next = await Promise.race([iterator.next(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
    if (!next || next.done) break;
    got.push(next.value);
  }
  return got;
};

describe('pub/sub', () => {
  it("delivers a process's own message to its listeners before publish returns, once, and as JSON reads it", async () => {
    const one = createPubSub(redis(), prefix, logger);
    const events = one.subscribe<{ n: number; at: string }>('own');
    const first = events.next();
    await one.publish('own', { n: 1, at: new Date(0) });
    // Heard already: no Redis round trip awaited after publish.
    expect(await Promise.race([first, Promise.resolve('not yet')])).toEqual({
      value: { n: 1, at: '1970-01-01T00:00:00.000Z' },
      done: false,
    });
    await one.publish('own', { n: 2, at: new Date(0) });
    // Redis's copy of each comes back to this process and is skipped: two messages, not four.
    expect((await take(events, 3, 500)).map((e) => e.n)).toEqual([2]);
    await events.return!();
    await one.close();
  });

  it('hears its own messages with Redis away (nothing waits on the round trip)', async () => {
    const away = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    away.on('error', () => undefined);
    connections.push(away);
    const alone = createPubSub(away, prefix, logger);
    const events = alone.subscribe<{ n: number }>('alone');
    await alone.publish('alone', { n: 7 }); // logged, not thrown
    expect(await take(events, 1, 200)).toEqual([{ n: 7 }]);
    await events.return!();
    await alone.close();
  });

  it("delivers to another process's listeners through Redis, and takes a bare message from any publisher", async () => {
    const one = createPubSub(redis(), prefix, logger);
    const other = createPubSub(redis(), prefix, logger);
    const events = other.subscribe<{ n: number }>('across');
    await new Promise((r) => setTimeout(r, 100)); // SUBSCRIBE reaches Redis
    // A process of an older release, listening on Redis itself, reads the message's own fields.
    const older = redis();
    const heard = new Promise<Record<string, unknown>>((resolve) => older.on('message', (_c, text: string) => resolve(JSON.parse(text))));
    await older.subscribe(`${prefix}across`);
    await one.publish('across', { n: 1 });
    await redis().publish(`${prefix}across`, JSON.stringify({ n: 2 }));
    expect((await take(events, 2)).map((e) => e)).toEqual([{ n: 1 }, { n: 2 }]); // the origin is not passed on
    expect(await heard).toEqual({ $origin: expect.any(String), n: 1 });
    await events.return!();
    await Promise.all([one.close(), other.close()]);
  });
});
