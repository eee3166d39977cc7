// CSV ingestion through the gateway's streaming endpoint and the ingestCsv mutation: formats,
// encodings, type checks at load time, and every kind of bad file leaving nothing behind.
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDataset as createDataset, codes, gql, startTestStack, userWithRole, type TestStack } from '../../test/support/stack.js';

let stack: TestStack;
let analyst: { id: string; token: string };
let viewer: { token: string };

beforeAll(async () => {
  stack = await startTestStack({ INGEST_MAX_BYTES: String(20 * 1024 * 1024) });
  [analyst, viewer] = await Promise.all([userWithRole(stack, 'ANALYST'), userWithRole(stack, 'VIEWER')]);
});
afterAll(() => stack?.stop());

const newDataset = () => createDataset(stack, analyst.token, 'csv');

async function upload(datasetId: string, body: string | Buffer, query = '', token = analyst.token) {
  const res = await fetch(`${stack.url}/api/datasets/${datasetId}/csv${query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

async function state(datasetId: string) {
  const { prisma } = stack.runtime;
  const dataset = await prisma.dataset.findUniqueOrThrow({ where: { id: datasetId } });
  const versions = await prisma.datasetVersion.count({ where: { datasetId } });
  const tables = await prisma.$queryRaw<
    { n: bigint }[]
  >`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'data' AND table_name LIKE ${`ds_${datasetId.replace(/-/g, '')}_%`}`;
  return { current: dataset.currentVersionId, versions, tables: Number(tables[0]!.n) };
}

async function rows(versionId: string) {
  const v = await stack.runtime.prisma.datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
  const r = await stack.runtime.pool.query({ text: `SELECT * FROM data."${v.tableName}"`, rowMode: 'array' });
  return r.rows;
}

describe('POST /api/datasets/:id/csv', () => {
  it('infers types, detects the delimiter, keeps quoted delimiters and profiles the columns', async () => {
    const id = await newDataset();
    const csv =
      'day;city;amount;paid;at\n2024-01-01;Oslo;1.5;true;2024-01-01T10:00:00Z\n2024-01-02;"Ber;gen";2;no;2024-01-02 11:30\n2024-01-03;;;;\n';
    const { status, json } = await upload(id, csv);
    expect(status).toBe(201);
    expect(json.rowCount).toBe(3);
    expect(json.columns.map((c: { name: string; type: string }) => [c.name, c.type])).toEqual([
      ['day', 'DATE'],
      ['city', 'TEXT'],
      ['amount', 'FLOAT'],
      ['paid', 'BOOLEAN'],
      ['at', 'TIMESTAMP'],
    ]);
    expect(json.columns[2]).toMatchObject({ nullCount: 1, min: 1.5, max: 2, mean: 1.75 });
    const r = await gql(
      stack.url,
      'query($id: ID!) { dataset(id: $id) { sourceKind rowCount currentVersion { number } } }',
      { id },
      viewer.token,
    );
    expect(r.data!.dataset).toEqual({ sourceKind: 'CSV', rowCount: 3, currentVersion: { number: 1 } });
    const loaded = await rows(json.id);
    expect(loaded[1]![1]).toBe('Ber;gen');
    expect(loaded[2]).toEqual([expect.any(Date), null, null, null, null]);
  });

  it('reads GBK exports, UTF-8 with a BOM, explicit options and several null tokens', async () => {
    const gbk = await upload(await newDataset(), iconv.encode('名称,数量\n苹果,3\n香蕉,5\n', 'gbk'));
    expect(gbk.json.columns.map((c: { name: string }) => c.name)).toEqual(['名称', '数量']);
    expect(gbk.json.columns[0].min).toBe('苹果');
    const bom = await upload(await newDataset(), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,name\n1,a\n')]));
    expect(bom.json.columns[0]).toMatchObject({ name: 'id', type: 'INTEGER' });
    const tokens = await upload(
      await newDataset(),
      "1|'a|b'|NA\n2|x|n/a\n3|y|7\n",
      '?delimiter=|&quote=%27&header=false&nullTokens=NA,n/a',
    );
    expect(tokens.status).toBe(201);
    expect(tokens.json.columns.map((c: { name: string; type: string; nullCount: number }) => [c.name, c.type, c.nullCount])).toEqual([
      ['column_1', 'INTEGER', 0],
      ['column_2', 'TEXT', 0],
      ['column_3', 'INTEGER', 2],
    ]);
    expect((await rows(tokens.json.id))[0]).toEqual(['1', 'a|b', null]);
  });

  it('checks types again at load time: fails with line and column, or loads NULLs when asked', async () => {
    const lines = ['n,label', ...Array.from({ length: 1500 }, (_, i) => `${i},row ${i}`)];
    lines[1200] = 'twelve hundred,row';
    const csv = `${lines.join('\n')}\n`;
    const id = await newDataset();
    const failed = await upload(id, csv);
    expect(failed.status).toBe(400);
    expect(failed.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', line: 1201, column: 'n' });
    expect(failed.json.errors[0].message).toMatch(/line 1201, column "n": .*bigint.*onTypeError/);
    expect(await state(id)).toEqual({ current: null, versions: 0, tables: 0 });
    const nulled = await upload(id, csv, '?onTypeError=NULL');
    expect(nulled.status).toBe(201);
    expect(nulled.json).toMatchObject({ rowCount: 1500, typeErrorsAsNull: 1 });
    expect(nulled.json.columns[0]).toMatchObject({ type: 'INTEGER', nullCount: 1 });
  });

  const BAD: Array<[string, string | Buffer, RegExp, Record<string, unknown>?]> = [
    ['ragged rows', 'a,b\n1,2\n3,4,5\n', /line 3: extra data after last expected column/, { line: 3 }],
    ['a short row', 'a,b\n1,2\n3\n', /line 3: missing data for column "b"/, { line: 3 }],
    ['an unterminated quote', 'a,b\n1,2\n3,"4\n', /line 3: .*quote/i, { line: 3 }],
    ['an empty file', '', /the file is empty/],
    ['a header-only file', 'a,b\n', /header but no rows/],
    ['duplicate header names', 'a,a\n1,2\n', /columns 1 and 2 are both named "a"/, { column: 2 }],
    ['an empty header name', 'a,,c\n1,2,3\n', /column 2 has an empty name/, { column: 2 }],
    [
      'invalid UTF-8',
      Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from('\n')]),
      /line 2: the file is neither valid UTF-8 nor GBK/,
      { line: 2 },
    ],
    ['a 10 MB single line', `a,b\n1,${'x'.repeat(10 * 1024 * 1024)}\n`, /line 2 is longer than 1048576 bytes/, { line: 2 }],
  ];
  for (const [what, body, message, details] of BAD) {
    it(`refuses ${what} with BAD_USER_INPUT, leaving no version and no table`, async () => {
      const id = await newDataset();
      const { status, json } = await upload(id, body);
      expect(status).toBe(400);
      expect(json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', ...details });
      expect(json.errors[0].message).toMatch(message);
      expect(await state(id)).toEqual({ current: null, versions: 0, tables: 0 });
    });
  }

  it('keeps an odd column name a name: quotes and semicolons', async () => {
    const id = await newDataset();
    const { status, json } = await upload(id, '"a""; DROP TABLE ""User""; --",b\n1,2\n');
    expect(status).toBe(201);
    expect(json.columns[0].name).toBe('a"; DROP TABLE "User"; --');
    expect(await stack.runtime.prisma.user.count()).toBeGreaterThan(0);
  });

  it('keeps the previous version current when a later upload fails', async () => {
    const id = await newDataset();
    const first = await upload(id, 'a\n1\n');
    const bad = await upload(id, 'a,b\n1,2,3\n');
    expect(bad.status).toBe(400);
    expect(await state(id)).toEqual({ current: first.json.id, versions: 1, tables: 1 });
  });

  it('answers 413 past the size limit, and refuses viewers, strangers and unknown datasets', async () => {
    const id = await newDataset();
    const big = await upload(id, Buffer.alloc(21 * 1024 * 1024, 'a,b\n'));
    expect(big.status).toBe(413);
    expect(big.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await upload(id, 'a\n1\n', '', viewer.token)).status).toBe(403);
    const other = await userWithRole(stack, 'ANALYST');
    expect((await upload(id, 'a\n1\n', '', other.token)).status).toBe(403);
    expect((await upload('00000000-0000-4000-8000-000000000000', 'a\n1\n')).status).toBe(404);
    const anonymous = await fetch(`${stack.url}/api/datasets/${id}/csv`, { method: 'POST', body: 'a\n1\n' });
    expect(anonymous.status).toBe(401);
    expect(await state(id)).toEqual({ current: null, versions: 0, tables: 0 });
  });
});

describe('ingestCsv mutation', () => {
  it('loads inline CSV through the same path', async () => {
    const id = await newDataset();
    const r = await gql(
      stack.url,
      `mutation($id: ID!, $csv: String!) {
      ingestCsv(datasetId: $id, csv: $csv, options: { delimiter: "\\t" }) { number rowCount columns { name type } } }`,
      { id, csv: 'x\ty\n1\t2.5\n' },
      analyst.token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.ingestCsv).toEqual({
      number: 1,
      rowCount: 1,
      columns: [
        { name: 'x', type: 'INTEGER' },
        { name: 'y', type: 'FLOAT' },
      ],
    });
    const bad = await gql(stack.url, 'mutation($id: ID!) { ingestCsv(datasetId: $id, csv: "a,b\\n1") { number } }', { id }, analyst.token);
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', line: 2 });
    expect(
      codes(await gql(stack.url, 'mutation($id: ID!) { ingestCsv(datasetId: $id, csv: "a\\n1") { number } }', { id }, viewer.token)),
    ).toEqual(['FORBIDDEN']);
  });
});
