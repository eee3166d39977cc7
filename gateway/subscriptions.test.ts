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

describe('analysisProgress shared across subscribers', () => {
  const PROGRESS = 'subscription($id: ID!) { analysisProgress(jobId: $id) { stage progress message job { id status } } }';
  let other: { token: string };
  beforeAll(async () => {
    other = await userWithRole(stack, 'VIEWER');
  });

  async function runningJob() {
    const dataset = await stack.runtime.prisma.dataset.create({ data: { name: `progress ${Date.now().toString(36)}` } });
    const job = await stack.runtime.prisma.analysisJob.create({
      data: { datasetId: dataset.id, column: 'x', kinds: ['TREND'], status: 'RUNNING' },
    });
    return job.id;
  }
  const step = (jobId: string, n: number) =>
    stack.runtime.pubsub.publish(`analysis-progress:${jobId}`, {
      jobId,
      status: 'RUNNING',
      stage: 'step',
      progress: n / 10,
      message: `step ${n}`,
      insightId: null,
    });
  /** The gateway's count of subscription events run through the plan, and answered with another's result. */
  async function eventCounts() {
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    const count = (outcome: string) =>
      Number(new RegExp(`reportgraph_subscription_events_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    return { executed: count('executed'), shared: count('shared') };
  }
  /** Redis subscribers of the job's channel, across the stack's processes (one here). */
  async function listeners(jobId: string) {
    const [, n] = (await stack.runtime.redis.pubsub('NUMSUB', `${stack.runtime.config.redisKeyPrefix}analysis-progress:${jobId}`)) as [
      string,
      number,
    ];
    return n;
  }
  /** A live subscriber: every result it receives, a way to wait for the n-th, and to leave. */
  function follow(token: string, jobId: string) {
    const results: any[] = [];
    const waiters: Array<[number, () => void]> = [];
    let ended: unknown = null;
    const stop = client({ authorization: `Bearer ${token}` }).subscribe(
      { query: PROGRESS, variables: { id: jobId } },
      {
        next: (r) => {
          results.push(r);
          for (const [n, wake] of waiters) if (results.length >= n) wake();
        },
        error: (e) => (ended = e),
        complete: () => (ended = 'complete'),
      },
    );
    const received = (n: number) =>
      new Promise<void>((resolve, reject) => {
        if (results.length >= n) return resolve();
        waiters.push([n, resolve]);
        setTimeout(() => reject(new Error(`only ${results.length} of ${n} results`)), 5000);
      });
    return { results, received, stop, ended: () => ended };
  }

  it('runs the plan once per event for two subscribers of the same job as the same user, and both get every event', async () => {
    const jobId = await runningJob();
    const [a, b] = [follow(viewer.token, jobId), follow(viewer.token, jobId)];
    await Promise.all([a.received(1), b.received(1)]); // the job's state now: both are live
    const before = await eventCounts();
    for (let n = 1; n <= 3; n++) {
      await step(jobId, n);
      await Promise.all([a.received(n + 1), b.received(n + 1)]);
    }
    const after = await eventCounts();
    expect(after.executed - before.executed).toBe(3);
    expect(after.shared - before.shared).toBe(3);
    for (const s of [a, b]) {
      expect(s.results.map((r) => r.data.analysisProgress.message)).toEqual([null, 'step 1', 'step 2', 'step 3']);
      expect(s.results[3].data.analysisProgress.job).toEqual({ id: jobId, status: 'RUNNING' });
    }
    a.stop();
    b.stop();
  });

  it('does not share between different users', async () => {
    const jobId = await runningJob();
    const [a, b] = [follow(viewer.token, jobId), follow(other.token, jobId)];
    await Promise.all([a.received(1), b.received(1)]);
    const before = await eventCounts();
    await step(jobId, 1);
    await Promise.all([a.received(2), b.received(2)]);
    const after = await eventCounts();
    expect(after.executed - before.executed).toBe(2);
    expect(after.shared - before.shared).toBe(0);
    expect(b.results[1].data.analysisProgress.message).toBe('step 1');
    a.stop();
    b.stop();
  });

  it('keeps the others streaming when one leaves, and lets go of the channel when the last does', async () => {
    const jobId = await runningJob();
    const [a, b] = [follow(viewer.token, jobId), follow(viewer.token, jobId)];
    await Promise.all([a.received(1), b.received(1)]);
    expect(await listeners(jobId)).toBe(1); // one Redis subscription for the process, however many follow
    a.stop();
    await step(jobId, 1);
    await b.received(2);
    expect(b.results[1].data.analysisProgress.message).toBe('step 1');
    expect(b.ended()).toBeNull();
    expect(a.results).toHaveLength(1);
    b.stop();
    await expect.poll(() => listeners(jobId), { timeout: 3000 }).toBe(0);
  });

  it('lets go of the model-events channel as soon as a quiet modelEvents subscriber leaves', async () => {
    const channel = `${stack.runtime.config.redisKeyPrefix}model-events`;
    const numsub = async () => ((await stack.runtime.redis.pubsub('NUMSUB', channel)) as [string, number])[1];
    const before = await numsub();
    const stop = client({ authorization: `Bearer ${viewer.token}` }).subscribe(
      { query: 'subscription { modelEvents { id kind message } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    await expect.poll(numsub, { timeout: 3000 }).toBe(before + 1);
    stop(); // nothing is published: the channel must be released without waiting for an event
    await expect.poll(numsub, { timeout: 3000 }).toBe(before);
  });

  it('ends each subscriber when the job finishes', async () => {
    const jobId = await runningJob();
    const [a, b] = [follow(viewer.token, jobId), follow(viewer.token, jobId)];
    await Promise.all([a.received(1), b.received(1)]);
    await stack.runtime.pubsub.publish(`analysis-progress:${jobId}`, {
      jobId,
      status: 'SUCCEEDED',
      stage: 'done',
      progress: 1,
      message: 'done',
      insightId: null,
    });
    await expect.poll(() => [a.ended(), b.ended()], { timeout: 3000 }).toEqual(['complete', 'complete']);
    expect(b.results.at(-1).data.analysisProgress.job.status).toBe('SUCCEEDED');
  });
});
