// A dataset page's preview of rows: the first rows as loaded, values typed per column, bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, gql, newDataset, startTestStack, userWithRole, type TestStack } from '../../test/support/stack.js';

let stack: TestStack;
let analyst: { token: string };
let viewer: { token: string };
let datasetId: string;

const PREVIEW = 'query($id: ID!, $n: Int) { dataset(id: $id) { currentVersion { preview(limit: $n) } } }';

beforeAll(async () => {
  stack = await startTestStack();
  [analyst, viewer] = await Promise.all([userWithRole(stack, 'ANALYST'), userWithRole(stack, 'VIEWER')]);
  datasetId = await newDataset(stack, analyst.token, 'preview');
  // Not sorted by any column: the preview must keep the file's order.
  const lines = [
    'day,city,amount,open',
    ...Array.from({ length: 300 }, (_, i) => `2025-01-${String((i % 28) + 1).padStart(2, '0')},c${299 - i},${i * 1.5},${i % 2 === 0}`),
  ];
  const r = await gql(
    stack.url,
    'mutation($id: ID!, $csv: String!) { ingestCsv(datasetId: $id, csv: $csv) { rowCount } }',
    { id: datasetId, csv: lines.join('\n') },
    analyst.token,
  );
  expect(r.data!.ingestCsv.rowCount).toBe(300);
});
afterAll(() => stack?.stop());

describe('DatasetVersion.preview', () => {
  it('answers the first rows in load order, typed, for any reader', async () => {
    const r = await gql(stack.url, PREVIEW, { id: datasetId, n: 3 }, viewer.token);
    expect(r.data!.dataset.currentVersion.preview).toEqual([
      ['2025-01-01', 'c299', 0, true],
      ['2025-01-02', 'c298', 1.5, false],
      ['2025-01-03', 'c297', 3, true],
    ]);
    const all = await gql(stack.url, PREVIEW, { id: datasetId, n: 1000 }, viewer.token);
    expect(all.data!.dataset.currentVersion.preview).toHaveLength(300);
    expect(all.data!.dataset.currentVersion.preview[299][1]).toBe('c0');
  });

  it('takes at most 1000 rows', async () => {
    expect(codes(await gql(stack.url, PREVIEW, { id: datasetId, n: 1001 }, viewer.token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(stack.url, PREVIEW, { id: datasetId, n: -1 }, viewer.token))).toEqual(['BAD_USER_INPUT']);
  });
});
