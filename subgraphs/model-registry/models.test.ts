import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, gql, startTestStack, userWithRole, type TestStack } from '../../test/support/stack.js';

let stack: TestStack;
let admin: { token: string };
let analyst: { token: string };

beforeAll(async () => {
  stack = await startTestStack();
  [admin, analyst] = await Promise.all([userWithRole(stack, 'ADMIN'), userWithRole(stack, 'ANALYST')]);
});
afterAll(() => stack?.stop());

const CREATE =
  'mutation($i: CreateModelInput!) { createModel(input: $i) { name task versions { version } aliases { alias } trafficSplit { weight } } }';

describe('models', () => {
  it('lets an ADMIN create a model that is then listed and found by name', async () => {
    const name = `anomaly-${Date.now()}`;
    const r = await gql(stack.url, CREATE, { i: { name, task: 'ANOMALY' } }, admin.token);
    expect(r.data!.createModel).toEqual({ name, task: 'ANOMALY', versions: [], aliases: [], trafficSplit: [] });
    const found = await gql(stack.url, 'query($n: String!) { model(name: $n) { name } models { name } }', { n: name }, analyst.token);
    expect(found.data!.model).toEqual({ name });
    expect(found.data!.models.map((m: { name: string }) => m.name)).toContain(name);
    expect(codes(await gql(stack.url, CREATE, { i: { name, task: 'ANOMALY' } }, admin.token))).toEqual(['CONFLICT']);
  });

  it('refuses non-admins and names that do not fit a URL path', async () => {
    expect(codes(await gql(stack.url, CREATE, { i: { name: 'x', task: 'CHART' } }, analyst.token))).toEqual(['FORBIDDEN']);
    const bad = await gql(stack.url, CREATE, { i: { name: 'Has Spaces/..', task: 'CHART' } }, admin.token);
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect((await gql(stack.url, '{ model(name: "missing") { name } }', {}, analyst.token)).data!.model).toBeNull();
  });
});
