// Datasets through the gateway: create, read with versions and column profiles, delete with tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { codes, gql, startTestStack, unique, userWithRole, type TestStack } from '../../test/support/stack.js';

let stack: TestStack;
let analyst: { id: string; token: string };
let viewer: { id: string; token: string };

beforeAll(async () => {
  stack = await startTestStack();
  [analyst, viewer] = await Promise.all([userWithRole(stack, 'ANALYST'), userWithRole(stack, 'VIEWER')]);
});
afterAll(() => stack?.stop());

const CREATE =
  'mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id name description sourceKind rowCount columns { name } currentVersion { id } owner { id } } }';

async function tableExists(tableName: string) {
  const rows = await stack.runtime.prisma.$queryRaw<
    unknown[]
  >`SELECT 1 FROM information_schema.tables WHERE table_schema = 'data' AND table_name = ${tableName}`;
  return rows.length === 1;
}

describe('datasets', () => {
  it('creates an empty dataset owned by its analyst', async () => {
    const name = unique('sales');
    const r = await gql(stack.url, CREATE, { i: { name, description: 'monthly' } }, analyst.token);
    expect(r.data!.createDataset).toMatchObject({
      name,
      description: 'monthly',
      sourceKind: null,
      rowCount: 0,
      columns: [],
      currentVersion: null,
      owner: { id: analyst.id },
    });
    expect(codes(await gql(stack.url, CREATE, { i: { name } }, analyst.token))).toEqual(['CONFLICT']);
    expect(codes(await gql(stack.url, CREATE, { i: { name: '  ' } }, analyst.token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(stack.url, CREATE, { i: { name: 'x' } }, viewer.token))).toEqual(['FORBIDDEN']);
  });

  it('serves versions and SQL-computed column profiles, and deletes the tables with the dataset', async () => {
    const { data } = await gql(stack.url, CREATE, { i: { name: unique('profiled') } }, analyst.token);
    const id = data!.createDataset.id;
    const actor = { id: analyst.id, name: 'a', role: 'ANALYST' as const, kind: 'user' as const };
    const columns = [
      { name: 'day', type: 'DATE' as const },
      { name: 'city; DROP TABLE "User" --', type: 'TEXT' as const },
      { name: 'amount', type: 'FLOAT' as const },
      { name: 'paid', type: 'BOOLEAN' as const },
    ];
    const v1 = await createVersionFromRows(stack.runtime.pool, actor, id, {
      columns,
      rows: [
        ['2024-01-01', 'Oslo', 10, true],
        ['2024-01-02', 'Bergen', 20, false],
        ['2024-01-03', null, null, null],
      ],
      sourceKind: 'CSV',
    });
    const v2 = await createVersionFromRows(stack.runtime.pool, actor, id, {
      columns,
      rows: [['2024-02-01', 'Oslo', 4, true]],
      sourceKind: 'CSV',
    });
    const r = await gql(
      stack.url,
      `query($id: ID!) { dataset(id: $id) {
      sourceKind rowCount currentVersion { number } versions { number rowCount }
      columns { name type nullCount distinctCount min max mean stddev } } }`,
      { id },
      viewer.token,
    );
    expect(r.errors).toBeUndefined();
    const d = r.data!.dataset;
    expect(d.currentVersion).toEqual({ number: 2 });
    expect(d.versions).toEqual([
      { number: 2, rowCount: 1 },
      { number: 1, rowCount: 3 },
    ]);
    expect(d.rowCount).toBe(1);
    const v1Columns = await gql(
      stack.url,
      `query($id: ID!) { dataset(id: $id) { versions { number columns { name nullCount distinctCount min max mean stddev } } } }`,
      { id },
      viewer.token,
    );
    const first = v1Columns.data!.dataset.versions.find((v: { number: number }) => v.number === 1).columns;
    expect(first[0]).toMatchObject({ name: 'day', nullCount: 0, distinctCount: 3, min: '2024-01-01', max: '2024-01-03', mean: null });
    expect(first[1]).toMatchObject({ name: columns[1]!.name, nullCount: 1, distinctCount: 2, min: 'Bergen', max: 'Oslo' });
    expect(first[2]).toMatchObject({ name: 'amount', nullCount: 1, min: 10, max: 20, mean: 15 });
    expect(first[2].stddev).toBeCloseTo(Math.sqrt(50), 10);
    expect(first[3]).toMatchObject({ name: 'paid', nullCount: 1, distinctCount: 2, min: null, max: null });
    expect(await stack.runtime.prisma.user.count()).toBeGreaterThan(0); // the odd column name stayed a name

    expect(codes(await gql(stack.url, 'mutation($id: ID!) { deleteDataset(id: $id) }', { id }, viewer.token))).toEqual(['FORBIDDEN']);
    expect(await tableExists(v1.tableName)).toBe(true);
    const del = await gql(stack.url, 'mutation($id: ID!) { deleteDataset(id: $id) }', { id }, analyst.token);
    expect(del.data!.deleteDataset).toBe(true);
    expect(await tableExists(v1.tableName)).toBe(false);
    expect(await tableExists(v2.tableName)).toBe(false);
    expect((await gql(stack.url, 'query($id: ID!) { dataset(id: $id) { id } }', { id }, viewer.token)).data!.dataset).toBeNull();
    expect(codes(await gql(stack.url, 'mutation($id: ID!) { deleteDataset(id: $id) }', { id }, analyst.token))).toEqual(['NOT_FOUND']);
  });

  it('leaves no table and no version when writing a version fails', async () => {
    const { data } = await gql(stack.url, CREATE, { i: { name: unique('atomic') } }, analyst.token);
    const id = data!.createDataset.id;
    await expect(
      createVersionFromRows(stack.runtime.pool, null, id, {
        columns: [{ name: 'n', type: 'INTEGER' }],
        rows: [[1], ['not a number']],
        sourceKind: 'CSV',
      }),
    ).rejects.toThrow();
    expect(await stack.runtime.prisma.datasetVersion.count({ where: { datasetId: id } })).toBe(0);
    expect(await tableExists(`ds_${id.replace(/-/g, '')}_v1`)).toBe(false);
  });

  it('pages the list and refuses absurd pages', async () => {
    const all = await gql(stack.url, '{ datasets(limit: 1000) { id } }', {}, viewer.token);
    const paged = await gql(stack.url, '{ datasets(limit: 1, offset: 1) { id } }', {}, viewer.token);
    expect(paged.data!.datasets).toEqual(all.data!.datasets.slice(1, 2));
    expect(codes(await gql(stack.url, '{ datasets(limit: 100000) { id } }', {}, viewer.token))).toEqual(['BAD_USER_INPUT']);
  });
});
