// A subgraph server answers the gateway's fetches on its fast path (parsed once per text,
// compiled once a document recurs) exactly as Apollo Server answered them, and leaves to Apollo
// Server what only it answers: variables that do not coerce, invalid documents, traces asked for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeForwardedIdentity, IDENTITY_HEADER, REQUEST_ID_HEADER, type Identity } from '../lib/auth/identity.js';
import { COMPILE_AFTER } from '../lib/graphql/execution.js';
import type { Runtime } from '../lib/runtime.js';
import { serveTemplates, type ServedTemplates } from './support/subgraphServer.js';

let served: ServedTemplates;
let runtime: Runtime;
let templateId: string;

beforeAll(async () => {
  served = await serveTemplates('fast');
  ({ runtime, templateId } = served);
});
afterAll(() => served?.close());

let n = 0;
async function call(identity: Identity | null, body: unknown, headers: Record<string, string> = {}) {
  const requestId = `fast-${n++}`;
  const res = await fetch(served.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [REQUEST_ID_HEADER]: requestId,
      [IDENTITY_HEADER]: encodeForwardedIdentity(identity, runtime.config.gatewaySecret, { audience: 'templates', requestId }),
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      data?: unknown;
      errors?: Array<{ message: string; extensions: Record<string, unknown> }>;
      extensions?: Record<string, unknown>;
    },
  };
}
const viewer: Identity = { id: '00000000-0000-4000-8000-000000000001', name: 'viewer', role: 'VIEWER', kind: 'user' };

describe('subgraph server fast path', () => {
  it('answers the same before and after a document is compiled: data, entities, coded errors', async () => {
    const entities = {
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on ReportTemplate { id name } } }',
      variables: { r: [{ __typename: 'ReportTemplate', id: templateId }] },
    };
    const answers = [];
    for (let run = 0; run <= COMPILE_AFTER; run++) answers.push(await call(viewer, entities));
    // Apollo Server's own answer (a body with extensions goes to it) is the same too.
    answers.push(await call(viewer, { ...entities, extensions: {} }));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toEqual({ status: 200, body: { data: { _entities: [{ id: templateId, name: 'fast template' }] } } });

    // A refusal: its message and code for the gateway to pass on, with the HTTP status the gateway
    // answers its client with (as an in-process subgraph's error carries it) - the fetch itself
    // succeeded, so the rest of the answer stands.
    const refusals = [];
    for (let run = 0; run <= COMPILE_AFTER; run++) refusals.push(await call(viewer, { query: '{ users { id } }' }));
    expect(new Set(refusals.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(refusals[0]!.status).toBe(200);
    expect(refusals[0]!.body.errors![0]).toMatchObject({
      message: 'Listing users needs the ADMIN role; you are VIEWER',
      path: ['users'],
      extensions: { code: 'FORBIDDEN', http: { status: 403 } },
    });
  });

  it('leaves to Apollo Server variables that do not coerce, invalid documents and traces asked for', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on ReportTemplate { id } } }';
    for (let run = 0; run <= COMPILE_AFTER; run++)
      await call(viewer, { query, variables: { r: [{ __typename: 'ReportTemplate', id: templateId }] } });
    const uncoerced = await call(viewer, { query, variables: { r: null } });
    expect(uncoerced.status).toBe(400);
    expect(uncoerced.body.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
    const invalid = await call(viewer, { query: '{ nope }' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors![0]!.extensions.code).toMatch(/GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT/);
    const traced = await call(viewer, { query, variables: { r: [] } }, { 'apollo-federation-include-trace': 'ftv1' });
    expect(traced.body.extensions?.ftv1).toEqual(expect.any(String));
  });
});
