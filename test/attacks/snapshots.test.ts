// Attacks on public snapshot links, by someone holding a link (or guessing one): tampering,
// expiry, revocation, a deleted report, links turned off, floods of requests, and scripts in a
// report's names and data. Analysts pushing the limits of making links are refused by setting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionFromRows } from '../../lib/datasets/tables.js';
import { demoSalesRows, demoSections } from '../../prisma/seed.js';
import { signLink } from '../../subgraphs/templates/data/links.js';
import { expectStillServes } from '../support/attack.js';
import { codes, gql, startTestStack, unique, userWithRole, type TestStack } from '../support/stack.js';

let stack: TestStack;
let analyst: { id: string; token: string };
let datasetId: string;
let templateId: string;

const LIMITS = { SNAPSHOT_LINK_MAX_HOURS: '48', SNAPSHOT_LINKS_PER_USER: '4', SNAPSHOT_MAX_BYTES: '20000' };
const CREATE =
  'mutation($t: ID!, $p: JSON, $h: Int) { createSnapshotLink(templateId: $t, params: $p, expiresInHours: $h) { id url expiresAt } }';

const template = async (stack: TestStack, token: string, name: string, sections: unknown[]) => {
  const t = await gql(
    stack.url,
    'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }',
    { i: { name, datasetId, parameters: [{ name: 'region', type: 'STRING' }], sections } },
    token,
  );
  expect(t.errors).toBeUndefined();
  return t.data!.createTemplate.id as string;
};

beforeAll(async () => {
  stack = await startTestStack({ ...LIMITS, REPORT_SCHEDULER_INTERVAL_SECONDS: '0' });
  analyst = await userWithRole(stack, 'ANALYST');
  datasetId = (await stack.runtime.prisma.dataset.create({ data: { name: unique('sales'), ownerId: analyst.id } })).id;
  const { columns, rows } = demoSalesRows();
  // A region named like a script: data reaches the print page as text only.
  await createVersionFromRows(stack.runtime.pool, null, datasetId, {
    columns,
    rows: [...rows, ['2025-12-01', '<script>alert(1)</script>', 1, 1]],
    sourceKind: 'CSV',
  });
  templateId = await template(stack, analyst.token, '<img src=x onerror=alert(1)>', demoSections);
});
afterAll(() => stack?.stop());

/** A fresh link's token (the last part of its URL). */
async function newLink(params: Record<string, unknown> = {}) {
  const r = await gql(stack.url, CREATE, { t: templateId, p: params, h: 24 }, analyst.token);
  expect(r.errors).toBeUndefined();
  const link = r.data!.createSnapshotLink;
  return { id: link.id as string, token: new URL(link.url).pathname.split('/').pop()!, expiresAt: new Date(link.expiresAt) };
}
const open = async (token: string, suffix = '') => {
  const res = await fetch(`${stack.url}/api/shared/${token}${suffix}`);
  return { status: res.status, body: (await res.text()) as string };
};
const revokeAll = () =>
  stack.runtime.prisma.snapshotLink.updateMany({ where: { createdById: analyst.id }, data: { revokedAt: new Date() } });

describe('a link someone holds', () => {
  it('cannot be altered into another link: a changed id, expiry or signature is a link nobody issued (404)', async () => {
    const [a, b] = [await newLink(), await newLink({ region: 'East' })];
    const [payloadA, macA] = a.token.split('.');
    const [payloadB] = b.token.split('.');
    const claims = JSON.parse(Buffer.from(payloadA!, 'base64url').toString());
    const later = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 365 * 86400_000 })).toString('base64url');
    for (const forged of [
      `${payloadB}.${macA}`,
      `${later}.${macA}`,
      `${payloadA}.${macA!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}`,
      'x',
      `${a.token}.x`,
    ]) {
      const r = await open(forged);
      expect(r.status, forged).toBe(404);
      expect(JSON.parse(r.body).errors[0].extensions.code).toBe('NOT_FOUND');
    }
    expect((await open(a.token)).status).toBe(200);
    await revokeAll();
  });

  it('stops working when it expires (410), however its signature was made', async () => {
    const link = await newLink();
    // The link as issued, opened after its expiry.
    const expired = signLink('snapshot', { s: link.id, exp: Date.now() - 1000 }, stack.runtime.config.reports.linkSecret);
    expect((await open(expired)).status).toBe(410);
    // The stored expiry decides too.
    await stack.runtime.prisma.snapshotLink.update({ where: { id: link.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const r = await open(link.token);
    expect(r.status).toBe(410);
    expect(JSON.parse(r.body).errors[0].message).toBe('This snapshot link has expired');
  });

  it('stops working when revoked, or when its report is deleted (410)', async () => {
    const link = await newLink();
    await gql(stack.url, 'mutation($id: ID!) { revokeSnapshotLink(id: $id) }', { id: link.id }, analyst.token);
    expect((await open(link.token)).status).toBe(410);
    expect((await open(link.token, '/print')).status).toBe(410);
    const doomed = await template(stack, analyst.token, unique('doomed'), demoSections.slice(0, 1));
    const r = await gql(stack.url, CREATE, { t: doomed }, analyst.token);
    const token = new URL(r.data!.createSnapshotLink.url).pathname.split('/').pop()!;
    expect((await open(token)).status).toBe(200);
    await gql(stack.url, 'mutation($id: ID!) { deleteTemplate(id: $id) }', { id: doomed }, analyst.token);
    expect((await open(token)).status).toBe(410);
    await revokeAll();
  });

  it('stops working when its maker is disabled or their API key revoked (410), and again when they are enabled', async () => {
    const maker = await userWithRole(stack, 'ANALYST');
    const made = await gql(stack.url, CREATE, { t: templateId, h: 24 }, maker.token);
    const token = new URL(made.data!.createSnapshotLink.url).pathname.split('/').pop()!;
    expect((await open(token)).status).toBe(200);
    await stack.runtime.prisma.user.update({ where: { id: maker.id }, data: { disabledAt: new Date() } });
    expect((await open(token)).status).toBe(410);
    expect((await open(token, '/print')).status).toBe(410);
    await stack.runtime.prisma.user.update({ where: { id: maker.id }, data: { disabledAt: null } });
    expect((await open(token)).status).toBe(200);

    const key = await stack.runtime.prisma.apiKey.create({
      data: { name: unique('bi'), role: 'ANALYST', keyHash: unique('hash'), keyPrefix: 'rg_test' },
    });
    const byKey = await stack.runtime.prisma.snapshotLink.create({
      data: {
        templateId,
        snapshot: { name: 'x', report: { sections: [] } },
        createdByKeyId: key.id,
        expiresAt: new Date(Date.now() + 3600_000),
      },
    });
    const keyToken = signLink('snapshot', { s: byKey.id, exp: byKey.expiresAt.getTime() }, stack.runtime.config.reports.linkSecret);
    expect((await open(keyToken)).status).toBe(200);
    await stack.runtime.prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    expect((await open(keyToken)).status).toBe(410);
  });

  it('shows names and data as text: no script of a report reaches the print page', async () => {
    const link = await newLink();
    const page = await open(link.token, '/print');
    expect(page.status).toBe(200);
    expect(page.body).not.toMatch(/<script|<img/i);
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    await revokeAll();
  });
});

describe('making links', () => {
  it('is capped: lifetime by SNAPSHOT_LINK_MAX_HOURS, live links by SNAPSHOT_LINKS_PER_USER, size by SNAPSHOT_MAX_BYTES', async () => {
    for (const h of [0, 49, -1]) {
      const r = await gql(stack.url, CREATE, { t: templateId, h }, analyst.token);
      expect(r.errors?.[0]?.extensions, String(h)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'expiresInHours',
        limit: 'SNAPSHOT_LINK_MAX_HOURS',
      });
    }
    for (let i = 0; i < 4; i++) await newLink();
    const fifth = await gql(stack.url, CREATE, { t: templateId }, analyst.token);
    expect(fifth.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', limit: 'SNAPSHOT_LINKS_PER_USER' });
    await revokeAll();
    // Revoked links no longer count.
    const everyRow = { dimensions: ['month', 'region', 'orders'], measures: [{ column: 'revenue', agg: 'SUM' }] };
    const big = await template(
      stack,
      analyst.token,
      unique('big'),
      ['a', 'b', 'c', 'd'].map((id) => ({ id, kind: 'TABLE', title: 'Every row', query: everyRow })),
    );
    const r = await gql(stack.url, CREATE, { t: big }, analyst.token);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'SNAPSHOT_MAX_BYTES' });
    expect(await stack.runtime.prisma.snapshotLink.count({ where: { templateId: big } })).toBe(0);
  });
});

describe('a deployment with snapshot links off (SNAPSHOT_LINKS=false)', () => {
  it('serves no link, makes none, and no ADMIN can turn them on', async () => {
    const link = await newLink();
    const off = await startTestStack({ SNAPSHOT_LINKS: 'false', REPORT_SCHEDULER_INTERVAL_SECONDS: '0' });
    try {
      const admin = await userWithRole(off, 'ADMIN');
      expect((await fetch(`${off.url}/api/shared/${link.token}`)).status).toBe(403);
      expect(codes(await gql(off.url, CREATE, { t: templateId }, admin.token))).toEqual(['FORBIDDEN']);
      const on = await gql(off.url, 'mutation { setSnapshotLinksEnabled(enabled: true) }', {}, admin.token);
      expect(on.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'enabled' });
      expect(on.errors?.[0]?.message).toContain('SNAPSHOT_LINKS=false');
    } finally {
      await off.stop();
    }
    expect((await open(link.token)).status).toBe(200);
    await revokeAll();
  });
});

describe('a flood of anonymous requests', () => {
  it('is held to RATE_LIMIT_OPERATIONS_PER_MINUTE per address, like GraphQL operations (429, Retry-After)', async () => {
    const limited = await startTestStack({ RATE_LIMIT_OPERATIONS_PER_MINUTE: '5', REPORT_SCHEDULER_INTERVAL_SECONDS: '0' });
    try {
      const link = await newLink();
      const answers = [];
      for (let i = 0; i < 7; i++) answers.push(await fetch(`${limited.url}/api/shared/${link.token}`));
      expect(answers.slice(0, 5).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      const refused = answers.at(-1)!;
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as any).errors[0].extensions).toMatchObject({
        code: 'RATE_LIMITED',
        limit: 'RATE_LIMIT_OPERATIONS_PER_MINUTE',
      });
    } finally {
      await limited.stop();
    }
    await expectStillServes(stack, analyst.token);
  });
});
