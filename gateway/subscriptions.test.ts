// Subscriptions through the gateway over graphql-transport-ws: authenticated at connection,
// streamed from the subgraph that owns the field, refused for bad operations and callers.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRobustZ } from '../models/builders/robustZ.js';
import { gql, startTestStack, userWithRole, type TestStack } from '../test/support/stack.js';

let stack: TestStack;
let admin: { token: string };
let viewer: { token: string };
const clients: Client[] = [];

beforeAll(async () => {
  stack = await startTestStack({ DRIFT_INTERVAL_SECONDS: '0' });
  [admin, viewer] = await Promise.all([userWithRole(stack, 'ADMIN'), userWithRole(stack, 'VIEWER')]);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack?.stop();
});

function client(connectionParams: Record<string, string>) {
  const c = createClient({
    url: `${stack.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
  });
  clients.push(c);
  return c;
}

/** Collects `count` results of a subscription (or its error). */
function collect(c: Client, query: string, variables: Record<string, unknown>, count: number) {
  const results: any[] = [];
  return {
    results,
    done: new Promise<any[]>((resolve, reject) => {
      const stop = c.subscribe(
        { query, variables },
        {
          next: (r) => {
            results.push(r);
            if (results.length >= count) {
              stop();
              resolve(results);
            }
          },
          error: reject,
          complete: () => resolve(results),
        },
      );
    }),
  };
}

const EVENTS = 'subscription($m: String) { modelEvents(modelName: $m) { kind message version { version sha256 model { name } } } }';

describe('modelEvents subscription', () => {
  it("streams a model's events as they happen, through the gateway", async () => {
    const m = `sub-test-${Date.now().toString(36)}`;
    const sub = collect(client({ authorization: `Bearer ${viewer.token}` }), EVENTS, { m }, 3);
    await new Promise((r) => setTimeout(r, 300)); // let the subscription reach Redis
    const b = Buffer.from(buildRobustZ().bytes).toString('base64');
    for (let i = 0; i < 2; i++) {
      const r = await gql(
        stack.url,
        'mutation($m: String!, $b: String!) { registerModelVersion(modelName: $m, task: ANOMALY, onnxBase64: $b) { version } }',
        { m, b },
        admin.token,
      );
      expect(r.errors).toBeUndefined();
    }
    await gql(
      stack.url,
      'mutation($m: String!) { setTrafficSplit(modelName: $m, weights: [{ version: 1, weight: 90 }, { version: 2, weight: 10 }]) { name } }',
      { m },
      admin.token,
    );
    // Another model's events do not reach this subscriber.
    await gql(
      stack.url,
      'mutation($b: String!) { registerModelVersion(modelName: "other-model-sub", task: ANOMALY, onnxBase64: $b) { version } }',
      { b },
      admin.token,
    );
    const results = await sub.done;
    expect(results.map((r) => r.data.modelEvents.kind)).toEqual(['REGISTERED', 'REGISTERED', 'SPLIT_CHANGED']);
    expect(results[1].data.modelEvents.version).toMatchObject({ version: 2, model: { name: m } });
    expect(results[2].data.modelEvents.message).toBe('traffic split: v1 90%, v2 10%');
  });

  it('refuses a bad token at connection and an anonymous caller at subscribe', async () => {
    await expect(collect(client({ authorization: 'Bearer nope' }), EVENTS, {}, 1).done).rejects.toBeDefined();
    const anonymous = await collect(client({}), EVENTS, {}, 1).done;
    expect(anonymous[0].errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers a query sent over WebSocket with a clear error', async () => {
    const r = await collect(client({ authorization: `Bearer ${viewer.token}` }), '{ models { name } }', {}, 1).done;
    expect(r[0].errors[0].message).toMatch(/Only subscriptions are served over WebSocket/);
  });
});
