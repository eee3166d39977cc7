// Attacks that cost nothing to send: password guessing, aliased sign-ins (each a scrypt hash),
// and floods of operations. Each is answered RATE_LIMITED with HTTP 429 and Retry-After, counted
// in Redis so every replica shares the budget, and the gateway keeps serving others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStillServes, post } from '../support/attack.js';
import { startTestStack, unique, userWithRole, type TestStack } from '../support/stack.js';

let stack: TestStack;
let other: TestStack;
let viewer: { token: string; username: string };

beforeAll(async () => {
  const limits = { RATE_LIMIT_LOGINS_PER_USERNAME: '3', RATE_LIMIT_LOGINS_PER_IP: '8', RATE_LIMIT_OPERATIONS_PER_MINUTE: '0' };
  stack = await startTestStack(limits);
  viewer = await userWithRole(stack, 'VIEWER');
  // A second replica on the same Redis namespace: budgets are shared, not per process.
  other = await startTestStack({ ...limits, REDIS_KEY_PREFIX: stack.runtime.config.redisKeyPrefix });
});
afterAll(async () => {
  await other?.stop();
  await stack?.stop();
});

const LOGIN = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';

describe('rate limits', () => {
  it("stops guessing one user's password after RATE_LIMIT_LOGINS_PER_USERNAME tries, across replicas", async () => {
    const target = unique('victim').replace(' ', '_');
    const codes: unknown[] = [];
    let last: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await post((i % 2 ? other : stack).url, { query: LOGIN, variables: { u: target, p: `guess-${i}` } });
      codes.push(last.body.errors?.[0]?.extensions?.code);
    }
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.body.errors[0].extensions).toMatchObject({ limit: 'RATE_LIMIT_LOGINS_PER_USERNAME' });
    // The same username as a variable's default value (nothing sent for it) counts against the same budget.
    const byDefault = await post(stack.url, {
      query: `mutation($u: String! = ${JSON.stringify(target)}, $p: String!) { login(username: $u, password: $p) { token } }`,
      variables: { p: 'guess-6' },
    });
    expect(byDefault.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'RATE_LIMIT_LOGINS_PER_USERNAME' });
  });

  it('refuses more than one sign-in in one request (aliased logins, each a password hash)', async () => {
    const aliased = Array.from({ length: 50 }, (_, i) => `l${i}: login(username: "admin", password: "guess${i}") { token }`).join(' ');
    const started = performance.now();
    const r = await post(stack.url, { query: `mutation { ${aliased} }` });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(r.body.errors[0].extensions.code).toMatch(/BAD_USER_INPUT|QUERY_TOO_COMPLEX/);
    expect(r.body.data ?? null).toBeNull();
  });

  it('limits sign-ins per address, whatever the usernames', async () => {
    const fresh = await startTestStack({ RATE_LIMIT_LOGINS_PER_IP: '4', RATE_LIMIT_LOGINS_PER_USERNAME: '0' });
    try {
      const codes = [];
      for (let i = 0; i < 6; i++) {
        const r = await post(fresh.url, { query: LOGIN, variables: { u: `spray-${i}`, p: 'Summer2026!' } });
        codes.push(r.body.errors?.[0]?.extensions?.code);
      }
      expect(codes.slice(0, 4)).toEqual(Array(4).fill('UNAUTHENTICATED'));
      expect(codes.slice(4)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    } finally {
      await fresh.stop();
    }
  });

  it('limits operations per caller, and answers others as before', async () => {
    const fresh = await startTestStack({ RATE_LIMIT_OPERATIONS_PER_MINUTE: '5' });
    try {
      const [flooder, bystander] = [await userWithRole(fresh, 'VIEWER'), await userWithRole(fresh, 'VIEWER')];
      const statuses = [];
      for (let i = 0; i < 7; i++)
        statuses.push((await post(fresh.url, { query: '{ me { id } }' }, { authorization: `Bearer ${flooder.token}` })).status);
      expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
      expect(statuses.at(-1)).toBe(429);
      await expectStillServes(fresh, bystander.token);
    } finally {
      await fresh.stop();
    }
  });

  it('still lets the user sign in once the guessing stops being counted (and the service serves)', async () => {
    await expectStillServes(stack, viewer.token);
  });
});
