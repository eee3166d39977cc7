// Attacks on report exports, as a client makes them: a table too large to export, downloads
// abandoned halfway, download links altered, expired or outliving their maker, and a flood of
// PDFs. Each is refused with a coded error naming its setting (or, mid-stream, a cut connection:
// never a short file that looks whole), and the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { expectStillServes } from '../support/attack.js';
import { gql, startTestStack, unique, userWithRole, type TestStack } from '../support/stack.js';

const MAX_ROWS = 20_000;
const BIG = 30_000;
let stack: TestStack;
let analyst: { id: string; token: string };
let viewer: { id: string; token: string };
let templateId: string;

const LIMITS = {
  EXPORT_MAX_ROWS: String(MAX_ROWS),
  EXPORT_LINK_TTL_SECONDS: '2',
  PDF_CONCURRENCY: '1',
  PDF_TIMEOUT_MS: '120000',
  DATASET_QUERY_POOL_SIZE: '2',
};

beforeAll(async () => {
  stack = await startTestStack({ ...LIMITS, REPORT_SCHEDULER_INTERVAL_SECONDS: '0' });
  [analyst, viewer] = await Promise.all([userWithRole(stack, 'ANALYST'), userWithRole(stack, 'VIEWER')]);
  const datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('orders'), ownerId: analyst.id } })).id;
  const rows = Array.from({ length: BIG }, (_, i) => [i, ['North', 'South', 'East'][i % 3], (i * 7919) % 1000]);
  await createVersionFromRows(stack.runtime.pool, null, datasetId, {
    columns: [
      { name: 'id', type: 'INTEGER' },
      { name: 'region', type: 'TEXT' },
      { name: 'amount', type: 'FLOAT' },
    ],
    rows,
    sourceKind: 'CSV',
  });
  const t = await gql(
    stack.url,
    'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }',
    {
      i: {
        name: unique('Orders'),
        datasetId,
        sections: [
          { id: 'total', kind: 'KPI', title: 'Amount', query: { measures: [{ column: 'amount', agg: 'SUM' }] } },
          {
            id: 'all',
            kind: 'TABLE',
            title: 'Every order',
            query: { dimensions: ['id', 'region'], measures: [{ column: 'amount', agg: 'SUM' }] },
          },
          {
            id: 'first',
            kind: 'TABLE',
            title: 'First orders',
            query: { dimensions: ['id'], measures: [{ column: 'amount', agg: 'SUM' }], limit: 100 },
          },
        ],
      },
    },
    analyst.token,
  );
  expect(t.errors).toBeUndefined();
  templateId = t.data!.createTemplate.id;
});
afterAll(() => stack?.stop());

const get = (path: string, token = viewer.token, signal?: AbortSignal) =>
  fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` }, signal });

/** Reads a whole answer; resolves to 'cut' when the connection ends before the answer does. */
async function readAll(res: Response): Promise<Buffer | 'cut'> {
  try {
    return Buffer.from(await res.arrayBuffer());
  } catch {
    return 'cut';
  }
}

describe('a table past EXPORT_MAX_ROWS', () => {
  it('cuts a download that has begun, in CSV and XLSX: the client sees a failed transfer, not a short file', async () => {
    for (const ext of ['csv', 'xlsx']) {
      const res = await get(`/api/reports/${templateId}/export.${ext}`);
      expect(res.status).toBe(200);
      expect(await readAll(res), ext).toBe('cut');
    }
    await expectStillServes(stack, viewer.token);
  });

  it('still exports the sections that fit, and the cursors of cut downloads were all released', async () => {
    // More cut downloads than the dataset-query pool has connections: a leaked cursor would hang what follows.
    for (let i = 0; i < 4; i++) expect(await readAll(await get(`/api/reports/${templateId}/export.csv?section=all`))).toBe('cut');
    const res = await get(`/api/reports/${templateId}/export.csv?section=first`);
    const text = (await readAll(res)).toString();
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(101);
  });

  it('releases the cursor of a client that stops reading halfway', async () => {
    for (const path of ['export.csv?section=all', 'export.xlsx', 'export.csv?section=all', 'export.xlsx']) {
      const abort = new AbortController();
      const res = await get(`/api/reports/${templateId}/${path}`, viewer.token, abort.signal);
      await res.body!.getReader().read();
      abort.abort();
    }
    const res = await get(`/api/reports/${templateId}/export.xlsx?section=first`);
    expect(res.status).toBe(400); // sections are for CSV: refused before any query
    const csv = await get(`/api/reports/${templateId}/export.csv?section=first`);
    expect((await readAll(csv)).toString()).toContain('id,sum_amount');
  });
});

describe('download links', () => {
  const link = async (token: string, format = 'CSV') => {
    const r = await gql(
      stack.url,
      'mutation($t: ID!, $f: ExportFormat!) { exportReport(templateId: $t, format: $f) }',
      { t: templateId, f: format },
      token,
    );
    expect(r.errors).toBeUndefined();
    const url = new URL(r.data!.exportReport);
    return {
      path: `${url.pathname}?section=first&sig=${encodeURIComponent(url.searchParams.get('sig')!)}`,
      sig: url.searchParams.get('sig')!,
    };
  };
  const anonymous = async (path: string) => {
    const res = await fetch(`${stack.url}${path}`);
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };

  it('refuses a link whose signature or claims were altered', async () => {
    const { sig } = await link(viewer.token);
    const [payload, mac] = sig.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const longer = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86400_000 })).toString('base64url');
    const admin = Buffer.from(JSON.stringify({ ...claims, sub: { ...claims.sub, role: 'ADMIN' } })).toString('base64url');
    for (const forged of [
      `${payload}.${mac!.slice(0, -2)}xx`,
      `${longer}.${mac}`,
      `${admin}.${mac}`,
      'garbage',
      `${payload}.${mac}.extra`,
    ]) {
      const r = await anonymous(`/api/reports/${templateId}/export.csv?section=first&sig=${encodeURIComponent(forged)}`);
      expect(r.status, forged).toBe(401);
      expect(r.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses a link once EXPORT_LINK_TTL_SECONDS have passed', async () => {
    const { path } = await link(viewer.token);
    expect((await anonymous(path)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    const r = await anonymous(path);
    expect(r.status).toBe(401);
    expect(r.body.errors[0].message).toMatch(/expired/);
  });

  it("dies with its maker's account: a disabled user's links stop working", async () => {
    const maker = await userWithRole(stack, 'VIEWER');
    const { path } = await link(maker.token);
    expect((await anonymous(path)).status).toBe(200);
    await stack.runtime.prisma.user.update({ where: { id: maker.id }, data: { disabledAt: new Date() } });
    expect((await anonymous(path)).status).toBe(401);
    await expectStillServes(stack, viewer.token);
  });
});

describe('a flood of PDFs', () => {
  it('prints PDF_CONCURRENCY at a time and refuses, with RATE_LIMITED, what would queue without end', async () => {
    const answers = await Promise.all(
      Array.from({ length: 22 }, () =>
        get(`/api/reports/${templateId}/export.pdf`).then(async (res) => ({ status: res.status, body: await res.arrayBuffer() })),
      ),
    );
    const refused = answers.filter((a) => a.status === 429);
    const printed = answers.filter((a) => a.status === 200);
    expect(refused.length).toBeGreaterThan(0);
    expect(printed.length + refused.length).toBe(answers.length);
    const error = JSON.parse(Buffer.from(refused[0]!.body).toString()).errors[0];
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'PDF_CONCURRENCY' });
    expect(Buffer.from(printed[0]!.body).subarray(0, 5).toString()).toBe('%PDF-');
    await expectStillServes(stack, viewer.token);
  }, 180_000);
});
