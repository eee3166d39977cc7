// Spreadsheet formula injection through a BI tool's CSV: an analyst ingests cells that a
// spreadsheet would run as formulas; a persisted operation fetched as text/csv with an API key
// must hand them over as text (a leading `'`, quoted) while numbers stay numbers.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, startTestStack, unique, userWithRole, type TestStack } from '../support/stack.js';

let stack: TestStack;
let apiKey: string;
let documentId: string;
let datasetId: string;

/** Cells a spreadsheet would evaluate, each starting with one of = + - @ tab CR. */
const FORMULAS = ['=HYPERLINK("http://evil","x")', '+1+1', '@SUM(A1)', '-2+3', '\t=1', '\r=1'];
const AMOUNTS = [-5, 2.5, -1, 3, 4, -0.5];

const csvQuoted = (text: string) => `"${text.replace(/"/g, '""')}"`;
const DOCUMENT = `query Cells($id: ID!) { datasetQuery(input: { datasetId: $id, dimensions: ["label"],
  measures: [{ column: "amount", agg: SUM }], orderBy: [{ column: "label" }] }) { columns { name } rows } }`;

beforeAll(async () => {
  stack = await startTestStack();
  const [admin, analyst] = await Promise.all([userWithRole(stack, 'ADMIN'), userWithRole(stack, 'ANALYST')]);
  const created = await gql(
    stack.url,
    'mutation($n: String!) { createDataset(input: { name: $n }) { id } }',
    { n: unique('csv') },
    analyst.token,
  );
  datasetId = created.data!.createDataset.id;
  const csv = ['label,amount', ...FORMULAS.map((f, i) => `${csvQuoted(f)},${AMOUNTS[i]}`), 'plain,7', ''].join('\n');
  const ingested = await gql(
    stack.url,
    'mutation($id: ID!, $csv: String!) { ingestCsv(datasetId: $id, csv: $csv) { rowCount columns { name type } } }',
    { id: datasetId, csv },
    analyst.token,
  );
  expect(ingested.errors).toBeUndefined();
  expect(ingested.data!.ingestCsv.columns).toEqual([
    { name: 'label', type: 'TEXT' },
    { name: 'amount', type: 'FLOAT' },
  ]);
  const registered = await gql(
    stack.url,
    'mutation($n: String!, $d: String!) { registerPersistedOperation(name: $n, document: $d) { id } }',
    { n: `cells_${Date.now()}`, d: DOCUMENT },
    admin.token,
  );
  documentId = registered.data!.registerPersistedOperation.id;
  const key = await gql(stack.url, 'mutation { createApiKey(name: "Excel", role: VIEWER) { key } }', {}, admin.token);
  apiKey = key.data!.createApiKey.key;
});
afterAll(() => stack?.stop());

const persistedGet = (accept: string) =>
  fetch(`${stack.url}/graphql?${new URLSearchParams({ documentId, variables: JSON.stringify({ id: datasetId }) })}`, {
    headers: { 'x-api-key': apiKey, accept },
  });

describe('CSV answers of persisted operations', () => {
  it('hand formula cells over as text, numbers untouched', async () => {
    // The JSON answer keeps the values exactly: only the CSV, read by spreadsheets, is neutralised.
    const json = (await (await persistedGet('application/json')).json()) as { data: { datasetQuery: { rows: unknown[][] } } };
    const stored = new Map(json.data.datasetQuery.rows.map(([label, amount]) => [label as string, amount as number]));
    expect([...stored.keys()].sort()).toEqual([...FORMULAS, 'plain'].sort());

    const res = await persistedGet('text/csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await res.text();
    const [header, ...rows] = parse(text, { relax_column_count: false }) as string[][];
    expect(header).toEqual(['label', 'sum_amount']);
    expect(rows).toHaveLength(FORMULAS.length + 1);
    for (const [label, amount] of rows as Array<[string, string]>) {
      const original = label.startsWith("'") ? label.slice(1) : label;
      expect(stored.has(original), label).toBe(true);
      if (original === 'plain') expect(label).toBe('plain');
      else expect(label.startsWith("'"), JSON.stringify(label)).toBe(true);
      expect(amount).toBe(String(stored.get(original)));
    }
    // A negative number is written as the number it is, not as text.
    expect(text).toMatch(/,-5\r\n/);
    expect(text).toMatch(/,-0\.5\r\n/);
  });
});
