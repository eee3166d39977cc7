// Sharing a report: a public, read-only snapshot link that opens without signing in (as JSON and
// as a print page), listed for its maker, revoked by them; an ADMIN's switch for all of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { demoSalesRows, demoSections } from '../../prisma/seed.js';
import { serveBuiltModels } from '../../test/support/models.js';
import { codes, gql, ownDatabase, startTestStack, unique, userWithRole, type TestStack } from '../../test/support/stack.js';

let db: Awaited<ReturnType<typeof ownDatabase>>;
let stack: TestStack;
let analyst: { id: string; token: string };
let admin: { token: string };
let datasetId: string;
let templateId: string;
const { columns, rows } = demoSalesRows();
const total = (region: string) => (rows as [string, string, number][]).filter((r) => r[1] === region).reduce((s, r) => s + r[2], 0);

const CREATE = `mutation($t: ID!, $p: JSON, $h: Int) { createSnapshotLink(templateId: $t, params: $p, expiresInHours: $h) {
  id url params expiresAt revokedAt template { id } createdBy { id } } }`;
const open = (url: string, suffix = '') => fetch(`${stack.url}${new URL(url).pathname}${suffix}`);

beforeAll(async () => {
  // A database of its own: turning snapshot links off is for every test file sharing a database.
  db = await ownDatabase();
  stack = await startTestStack({ DATABASE_URL: db.url, REPORT_SCHEDULER_INTERVAL_SECONDS: '0' });
  [analyst, admin] = await Promise.all([userWithRole(stack, 'ANALYST'), userWithRole(stack, 'ADMIN')]);
  // CHART sections are drawn from the chart model's suggestion.
  await serveBuiltModels(stack, ['chart-recommender']);
  datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('sales'), ownerId: analyst.id } })).id;
  await createVersionFromRows(stack.runtime.pool, null, datasetId, { columns, rows, sourceKind: 'CSV' });
  const t = await gql(
    stack.url,
    'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }',
    { i: { name: 'Revenue <by> region', datasetId, parameters: [{ name: 'region', type: 'STRING' }], sections: demoSections } },
    analyst.token,
  );
  templateId = t.data!.createTemplate.id;
});
afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

describe('snapshot links', () => {
  it('freezes the report with its parameters behind a link anyone can open, as JSON and as a print page', async () => {
    const r = await gql(stack.url, CREATE, { t: templateId, p: { region: 'South' }, h: 24 }, analyst.token);
    expect(r.errors).toBeUndefined();
    const link = r.data!.createSnapshotLink;
    expect(link).toMatchObject({
      params: { region: 'South' },
      revokedAt: null,
      template: { id: templateId },
      createdBy: { id: analyst.id },
    });
    expect(new Date(link.expiresAt).getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    expect(link.url).toMatch(/^http:\/\/127\.0\.0\.1:4000\/api\/shared\/[\w-]+\.[\w-]+$/);

    const json = await open(link.url);
    expect(json.status).toBe(200);
    expect(json.headers.get('cache-control')).toBe('no-store');
    const body = (await json.json()) as any;
    expect(body).toMatchObject({ name: 'Revenue <by> region', params: { region: 'South' }, dataVersion: { number: 1 } });
    expect(body.sections[0]).toMatchObject({ kind: 'KPI', value: expect.closeTo(total('South'), 2) });
    // What the template is made of (queries, filters, parameters) stays private.
    expect(JSON.stringify(body)).not.toContain('"query"');
    expect(JSON.stringify(body)).not.toContain('"param"');

    const page = await open(link.url, '/print');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<h1>Revenue &lt;by&gt; region</h1>');
    expect(html).toContain('<svg');
    expect(html).not.toContain('<script');
  });

  it('keeps serving the snapshot as it was when the data changes', async () => {
    const link = (await gql(stack.url, CREATE, { t: templateId, p: { region: 'North' } }, analyst.token)).data!.createSnapshotLink;
    const before = ((await (await open(link.url)).json()) as any).sections[0].value;
    await createVersionFromRows(stack.runtime.pool, null, datasetId, { columns, rows: rows.slice(0, 9), sourceKind: 'CSV' });
    const after = ((await (await open(link.url)).json()) as any).sections[0].value;
    expect(after).toBe(before);
    await createVersionFromRows(stack.runtime.pool, null, datasetId, { columns, rows, sourceKind: 'CSV' });
  });

  it('is listed for its maker and revoked by them: the link stops working at once', async () => {
    const link = (await gql(stack.url, CREATE, { t: templateId }, analyst.token)).data!.createSnapshotLink;
    const mine = await gql(stack.url, 'query($t: ID) { snapshotLinks(templateId: $t) { id url } }', { t: templateId }, analyst.token);
    expect(mine.data!.snapshotLinks.map((l: { id: string }) => l.id)).toContain(link.id);
    const other = await userWithRole(stack, 'ANALYST');
    expect((await gql(stack.url, '{ snapshotLinks { id } }', {}, other.token)).data!.snapshotLinks).toEqual([]);
    expect(codes(await gql(stack.url, 'mutation($id: ID!) { revokeSnapshotLink(id: $id) }', { id: link.id }, other.token))).toEqual([
      'NOT_FOUND',
    ]);
    const revoked = await gql(stack.url, 'mutation($id: ID!) { revokeSnapshotLink(id: $id) }', { id: link.id }, analyst.token);
    expect(revoked.data).toEqual({ revokeSnapshotLink: true });
    const res = await open(link.url);
    expect(res.status).toBe(410);
    expect(((await res.json()) as any).errors[0].message).toBe('This snapshot link was revoked');
  });

  it('goes off for everyone when an ADMIN turns snapshot links off, and comes back when they are turned on', async () => {
    const link = (await gql(stack.url, CREATE, { t: templateId }, analyst.token)).data!.createSnapshotLink;
    const SET = 'mutation($on: Boolean!) { setSnapshotLinksEnabled(enabled: $on) }';
    expect(codes(await gql(stack.url, SET, { on: false }, analyst.token))).toEqual(['FORBIDDEN']);
    expect((await gql(stack.url, SET, { on: false }, admin.token)).data).toEqual({ setSnapshotLinksEnabled: false });
    expect((await gql(stack.url, '{ snapshotLinksEnabled }', {}, analyst.token)).data).toEqual({ snapshotLinksEnabled: false });
    expect((await open(link.url)).status).toBe(403);
    expect(codes(await gql(stack.url, CREATE, { t: templateId }, analyst.token))).toEqual(['FORBIDDEN']);
    expect((await gql(stack.url, SET, { on: true }, admin.token)).data).toEqual({ setSnapshotLinksEnabled: true });
    expect((await open(link.url)).status).toBe(200);
  });

  it('is for analysts and admins: a viewer reads reports but does not publish them', async () => {
    const viewer = await userWithRole(stack, 'VIEWER');
    expect(codes(await gql(stack.url, CREATE, { t: templateId }, viewer.token))).toEqual(['FORBIDDEN']);
  });
});
