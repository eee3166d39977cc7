// The gateway's own behaviour, in-process: composition, health, request forms and error codes.
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, startTestStack, userWithRole, type TestStack } from '../test/support/stack.js';
import { composeSupergraph } from './composition.js';

let stack: TestStack;
let viewer: { token: string };

beforeAll(async () => {
  stack = await startTestStack();
  viewer = await userWithRole(stack, 'VIEWER');
});
afterAll(() => stack?.stop());

describe('composition', () => {
  it('fails with every composition error when subgraphs disagree', () => {
    const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';
    const a = parse(`${link} type Query { a: Thing } type Thing @key(fields: "id") { id: ID! size: Int }`);
    const b = parse(`${link} type Query { b: Thing } type Thing @key(fields: "id") { id: ID! size: String }`);
    expect(() =>
      composeSupergraph([
        { name: 'a', url: 'http://a', typeDefs: a },
        { name: 'b', url: 'http://b', typeDefs: b },
      ]),
    ).toThrowError(/do not compose:\n\s+- .*Thing\.size/);
  });
});

describe('HTTP surface', () => {
  it('answers /healthz and /readyz with each dependency', async () => {
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${stack.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
    expect(body.checks.postgres?.ok).toBe(true);
    expect(body.checks.redis?.ok).toBe(true);
    expect(Object.keys(body.checks)).toEqual(expect.arrayContaining(['templates', 'datasets', 'insights', 'model-registry']));
  });

  it('exposes Prometheus metrics', async () => {
    await gql(stack.url, '{ datasets { id } }', {}, viewer.token);
    const res = await fetch(`${stack.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/reportgraph_graphql_operations_total\{type="query",outcome="ok"\} \d+/);
    expect(text).toMatch(/reportgraph_http_request_duration_seconds_count\{[^}]*route="\/graphql"[^}]*status="200"[^}]*\} \d+/);
    expect(text).toContain('reportgraph_process_cpu_seconds_total');
    expect(text).toMatch(/reportgraph_subgraph_fetch_duration_seconds_count\{subgraph="datasets",outcome="ok"\} [1-9]/);
  });

  it('gives every request an id, echoed back and used in its log line', async () => {
    const res = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer.token}`, 'x-request-id': 'trace-me-42' },
      body: JSON.stringify({ query: 'query Named { me { id } }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('trace-me-42');
    const own = await fetch(`${stack.url}/healthz`);
    expect(own.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves queries over GET, and refuses mutations there', async () => {
    const q = encodeURIComponent('{ datasets { name } }');
    const res = await fetch(`${stack.url}/graphql?query=${q}`, {
      headers: { authorization: `Bearer ${viewer.token}`, 'apollo-require-preflight': 'true' },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { datasets: unknown } }).data.datasets).toBeInstanceOf(Array);
    const m = encodeURIComponent('mutation { deleteDataset(id: "x") }');
    const refused = await fetch(`${stack.url}/graphql?query=${m}`, {
      headers: { authorization: `Bearer ${viewer.token}`, 'apollo-require-preflight': 'true' },
    });
    expect(refused.status).toBe(405);
  });

  it('reports malformed operations as BAD_USER_INPUT with the reason', async () => {
    const r = await gql(stack.url, '{ datasets { nope } }', {}, viewer.token);
    expect(r.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
    const p = await gql(stack.url, '{ datasets { ', {}, viewer.token);
    expect(p.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_PARSE_FAILED' });
  });

  it('tags each subgraph error with its service and its path', async () => {
    const r = await gql(stack.url, '{ datasets { id } users { id } }', {}, viewer.token);
    // `users` is non-null, so its error nulls the whole answer, as GraphQL requires.
    expect(r.data).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', serviceName: 'templates' });
    expect(r.errors![0]!.path).toEqual(['users']);
  });
});
