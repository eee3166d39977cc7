// What a deployment shows to whom: the schema by introspection (ADMINs only in production),
// /metrics (optionally behind a token), and the compose file (no password in it).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStillServes, post } from '../support/attack.js';
import { ROOT } from '../support/processes.js';
import { startTestStack, userWithRole, type TestStack } from '../support/stack.js';

let stack: TestStack;
let admin: { token: string };
let viewer: { token: string };
const METRICS_TOKEN = 'metrics-token-0123456789';

beforeAll(async () => {
  stack = await startTestStack({ INTROSPECTION: 'admins', METRICS_TOKEN });
  [admin, viewer] = await Promise.all([userWithRole(stack, 'ADMIN'), userWithRole(stack, 'VIEWER')]);
});
afterAll(() => stack?.stop());

const INTROSPECT = '{ __schema { queryType { name } types { name } } }';

describe('exposure', () => {
  it('lets only ADMINs introspect when INTROSPECTION=admins (the production default)', async () => {
    for (const headers of [{}, { authorization: `Bearer ${viewer.token}` }] as Array<Record<string, string>>) {
      const r = await post(stack.url, { query: INTROSPECT }, headers);
      expect(r.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(JSON.stringify(r.body)).not.toContain('DatasetVersion');
    }
    const hidden = await post(
      stack.url,
      { query: 'query { me { id } ...Q } fragment Q on Query { __type(name: "Dataset") { fields { name } } }' },
      { authorization: `Bearer ${viewer.token}` },
    );
    expect(hidden.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const ok = await post(stack.url, { query: INTROSPECT }, { authorization: `Bearer ${admin.token}` });
    expect(ok.body.data.__schema.queryType.name).toBe('Query');
    // __typename is not introspection: clients need it.
    expect((await post(stack.url, { query: '{ __typename }' })).body.data).toEqual({ __typename: 'Query' });
    await expectStillServes(stack, viewer.token);
  });

  it('names no field a misspelt one was near ("Did you mean …?") to callers who may not introspect', async () => {
    const r = await post(stack.url, { query: '{ usr { id } apiKey { id } }' });
    expect(r.status).toBe(400);
    const messages = (r.body.errors as Array<{ message: string }>).map((e) => e.message);
    expect(messages).toHaveLength(2);
    for (const message of messages) {
      expect(message).toMatch(/^Cannot query field "(usr|apiKey)" on type "Query"\.$/);
      expect(message).not.toMatch(/Did you mean|users|apiKeys/);
    }
  });

  it('sends no stack trace to callers who may not introspect, even in development with details shown', async () => {
    // Apollo Server reads NODE_ENV when it is built: a development process would show stack traces,
    // and a validation error's stack repeats its message before the suggestions were taken out.
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    const dev = await startTestStack({ INTROSPECTION: 'admins', NODE_ENV: 'development', EXPOSE_ERROR_DETAILS: 'true' }).finally(() => {
      process.env.NODE_ENV = saved;
    });
    try {
      const r = await post(dev.url, { query: '{ usr { id } }' });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).not.toMatch(/Did you mean|stacktrace|node_modules/);
    } finally {
      await dev.stop();
    }
  });

  it("shows whether an account is disabled to ADMINs only, not to every reader of an owner's name", async () => {
    const gone = await userWithRole(stack, 'ANALYST');
    await stack.runtime.prisma.user.update({ where: { id: gone.id }, data: { disabledAt: new Date() } });
    const read = '{ users { id disabledAt } }';
    const asAdmin = await post(stack.url, { query: read }, { authorization: `Bearer ${admin.token}` });
    expect(
      (asAdmin.body.data.users as Array<{ id: string; disabledAt: string | null }>).find((u) => u.id === gone.id)?.disabledAt,
    ).toBeTruthy();
    await stack.runtime.prisma.dataset.create({ data: { name: `owned by ${gone.username}`, ownerId: gone.id } });
    const owners = async (token: string) => {
      const r = await post(
        stack.url,
        { query: '{ datasets(limit: 1000) { owner { id disabledAt } } }' },
        { authorization: `Bearer ${token}` },
      );
      return (r.body.data.datasets as Array<{ owner: { id: string; disabledAt: string | null } | null }>).filter(
        (d) => d.owner?.id === gone.id,
      );
    };
    expect((await owners(admin.token))[0]!.owner!.disabledAt).toBeTruthy();
    const seen = await owners(viewer.token);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.owner!.disabledAt).toBeNull();
  });

  it("tells ADMINs who made each API key, so a departed ADMIN's keys can be found and revoked", async () => {
    const maker = await userWithRole(stack, 'ADMIN');
    const made = await post(
      stack.url,
      { query: 'mutation { createApiKey(name: "departing", role: ADMIN) { apiKey { id } } }' },
      {
        authorization: `Bearer ${maker.token}`,
      },
    );
    const id = made.body.data.createApiKey.apiKey.id as string;
    await stack.runtime.prisma.user.update({ where: { id: maker.id }, data: { disabledAt: new Date() } });
    const keys = await post(
      stack.url,
      { query: '{ apiKeys(limit: 500) { id createdBy { username disabledAt } } }' },
      {
        authorization: `Bearer ${admin.token}`,
      },
    );
    const key = (keys.body.data.apiKeys as Array<{ id: string; createdBy: { username: string; disabledAt: string | null } | null }>).find(
      (k) => k.id === id,
    );
    expect(key?.createdBy?.username).toBe(maker.username);
    expect(key?.createdBy?.disabledAt).toBeTruthy();
  });

  it('keeps /metrics behind METRICS_TOKEN when one is set', async () => {
    expect((await fetch(`${stack.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${stack.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('reportgraph_http_request_duration_seconds');
  });

  it('ships a compose file with no password in it and a Redis that asks for one', () => {
    const compose = readFileSync(path.join(ROOT, 'compose/docker-compose.yml'), 'utf8');
    expect(compose).not.toMatch(/^\s*POSTGRES_PASSWORD:[ \t]+(?!\$\{)\S/m);
    expect(compose).not.toMatch(/postgresql:\/\/[^:@\s]+:(?!\$\{)[^@\s]+@/);
    expect(compose).toMatch(/--requirepass/);
    expect(compose).toMatch(/REDIS_URL: redis:\/\/:\$\{REDIS_PASSWORD/);
  });
});
