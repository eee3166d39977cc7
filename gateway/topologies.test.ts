// End to end, as an operator runs it: the single-host process on an empty database (migrated and
// seeded by start-up), the distributed topology as five processes — each serving the web app —
// and start-up failures.
import { readFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { IDENTITY_HEADER } from '../lib/auth/identity.js';
import { WEB_APP_MANIFEST } from '../lib/config.js';
import { freePort, scratchDatabase, startProcess, waitForOk, type RunningProcess } from '../test/support/processes.js';
import { codes, gql, processEnv } from '../test/support/stack.js';

const ADMIN_PASSWORD = 'e2e-admin-password';
const ALL_FOUR = `{ me { username role } datasets { id name columns { name type } }
  templates { id name dataset { id name } } models { name versions { version } aliases { alias version { version } } } analysisJobs { id } }`;

const running: RunningProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  for (const c of cleanups) await c();
});

const baseEnv = (databaseUrl: string, extra: Record<string, string> = {}) => processEnv(databaseUrl, ADMIN_PASSWORD, extra);

async function login(url: string, username: string, password: string): Promise<string> {
  const r = await gql(url, 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
    u: username,
    p: password,
  });
  expect(r.errors).toBeUndefined();
  return r.data!.login.token;
}

/**
 * The web app as a browser first meets it: the page with its CSP, a hashed asset cached for a
 * year, and a sign-in by the app's trusted document id (its manifest loaded by default).
 */
async function expectWebApp(url: string): Promise<void> {
  const page = await fetch(`${url}/datasets`, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  const html = await page.text();
  expect(html).toContain('<div id="root"></div>');
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
  const asset = await fetch(`${url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
  expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  const manifest = JSON.parse(readFileSync(WEB_APP_MANIFEST, 'utf8')) as { operations: Array<{ id: string; name: string }> };
  const signIn = manifest.operations.find((o) => o.name === 'SignIn')!;
  const r = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ documentId: signIn.id, variables: { username: 'admin', password: ADMIN_PASSWORD } }),
  });
  expect(((await r.json()) as { data: { login: { user: { role: string } } } }).data.login.user.role).toBe('ADMIN');
}

async function startSingleHost(databaseUrl: string): Promise<{ url: string; proc: RunningProcess }> {
  const port = await freePort();
  const proc = startProcess('gateway/main.ts', ['single-host'], baseEnv(databaseUrl, { PORT: String(port) }));
  running.push(proc);
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(`${url}/readyz`, proc);
  return { url, proc };
}

describe('single host (npm start)', () => {
  it('migrates and seeds an empty database, then serves all four subgraphs through one endpoint', async () => {
    const db = await scratchDatabase(inject('databaseUrl'), 'single');
    cleanups.push(db.drop);
    const { url, proc } = await startSingleHost(db.url); // the database does not exist yet: start-up creates it
    const admin = await login(url, 'admin', ADMIN_PASSWORD);
    const r = await gql(url, ALL_FOUR, {}, admin);
    expect(r.errors).toBeUndefined();
    expect(r.data!.me).toEqual({ username: 'admin', role: 'ADMIN' });
    await expectWebApp(url);
    expect(r.data!.datasets).toHaveLength(1);
    expect(r.data!.datasets[0].columns).toEqual([
      { name: 'month', type: 'DATE' },
      { name: 'region', type: 'TEXT' },
      { name: 'revenue', type: 'FLOAT' },
      { name: 'orders', type: 'INTEGER' },
    ]);
    expect(r.data!.templates[0].dataset).toEqual({ id: r.data!.datasets[0].id, name: r.data!.datasets[0].name });
    // The built models, each registered as the version it was built for — the first versions kept,
    // so a traffic split can compare them — with production on the latest.
    const served = Object.fromEntries(
      r.data!.models.map(
        (m: { name: string; versions: Array<{ version: number }>; aliases: Array<{ alias: string; version: { version: number } }> }) => [
          m.name,
          {
            versions: m.versions.map((v) => v.version).sort(),
            production: m.aliases.find((a) => a.alias === 'production')?.version.version,
          },
        ],
      ),
    );
    expect(served).toEqual({
      'anomaly-autoencoder': { versions: [1], production: 1 },
      'anomaly-robust-z': { versions: [1, 2], production: 2 },
      'chart-recommender': { versions: [1, 2], production: 2 },
      'forecast-ar': { versions: [1], production: 1 },
      'forecast-holt-winters': { versions: [1, 2, 3], production: 3 },
    });

    // The demo viewer can read and cannot delete.
    const viewer = await login(url, 'viewer', ADMIN_PASSWORD);
    const refused = await gql(url, 'mutation($id: ID!) { deleteDataset(id: $id) }', { id: r.data!.datasets[0].id }, viewer);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect((await gql(url, '{ datasets { id } }', {}, admin)).data!.datasets).toHaveLength(1);

    // Starting again on the same database seeds nothing twice.
    await proc.stop();
    const again = await startSingleHost(db.url);
    const admin2 = await login(again.url, 'admin', ADMIN_PASSWORD);
    const r2 = await gql(again.url, '{ datasets { id versions { number } } templates { id } users { username } }', {}, admin2);
    expect(r2.data!.datasets).toEqual([{ id: r.data!.datasets[0].id, versions: [{ number: 1 }] }]);
    expect(r2.data!.templates).toHaveLength(1);
    expect(r2.data!.users.map((u: { username: string }) => u.username).sort()).toEqual(['admin', 'analyst', 'viewer']);
    await again.proc.stop();
  }, 120_000);

  it('says in one line, without a stack trace, when PostgreSQL is unreachable', async () => {
    const proc = startProcess(
      'gateway/main.ts',
      ['single-host'],
      baseEnv('postgresql://postgres@127.0.0.1:1/nope', { PORT: String(await freePort()) }),
    );
    running.push(proc);
    expect(await proc.exited).toBe(1);
    const lines = proc.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^reportgraph: cannot reach PostgreSQL at postgresql:\/\/postgres@127\.0\.0\.1:1\/nope .*pg_ctlcluster/);
  });

  it('names a bad setting and what is wrong with it', async () => {
    const proc = startProcess('gateway/main.ts', ['single-host'], baseEnv(inject('databaseUrl'), { PORT: 'http' }));
    running.push(proc);
    expect(await proc.exited).toBe(1);
    expect(proc.output().trim()).toMatch(/^reportgraph: invalid configuration: PORT .*expected number/i);
  });
});

describe('distributed (five processes)', () => {
  it('federates four subgraph processes behind the gateway, which alone can vouch for a caller', async () => {
    const db = await scratchDatabase(inject('databaseUrl'), 'dist');
    cleanups.push(db.drop);
    const ports = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
    const urls = {
      TEMPLATES_URL: `http://127.0.0.1:${ports[1]}/graphql`,
      DATASETS_URL: `http://127.0.0.1:${ports[2]}/graphql`,
      INSIGHTS_URL: `http://127.0.0.1:${ports[3]}/graphql`,
      MODEL_REGISTRY_URL: `http://127.0.0.1:${ports[4]}/graphql`,
    };
    const env = baseEnv(db.url, { ...urls, PORT: String(ports[0]) });
    // The gateway migrates and seeds; subgraphs start alongside and it waits for them.
    const procs = [
      startProcess('gateway/main.ts', ['distributed'], env),
      startProcess('subgraphs/templates/main.ts', [], env),
      startProcess('subgraphs/datasets/main.ts', [], env),
      startProcess('subgraphs/insights/main.ts', [], env),
      startProcess('subgraphs/model-registry/main.ts', [], env),
    ];
    running.push(...procs);
    const url = `http://127.0.0.1:${ports[0]}`;
    await waitForOk(`${url}/readyz`, procs, 90_000);

    const admin = await login(url, 'admin', ADMIN_PASSWORD);
    const r = await gql(url, ALL_FOUR, {}, admin);
    expect(r.errors).toBeUndefined();
    expect(r.data!.me.role).toBe('ADMIN');
    expect(r.data!.templates[0].dataset.name).toBe(r.data!.datasets[0].name);

    const viewer = await login(url, 'viewer', ADMIN_PASSWORD);
    const refused = await gql(url, 'mutation($id: ID!) { deleteDataset(id: $id) }', { id: r.data!.datasets[0].id }, viewer);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    // The subgraph's own words reach the client, as in single-host mode (not an HTTP status line).
    expect(refused.errors![0]!.message).toMatch(/role/);

    // Straight to a subgraph: no identity means nobody, and a forged one is refused.
    const direct = (headers: Record<string, string>) =>
      fetch(urls.DATASETS_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ datasets { id } }' }),
      }).then((res) => res.json() as Promise<{ errors?: Array<{ extensions: { code: string } }> }>);
    expect((await direct({})).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const forged = Buffer.from(JSON.stringify({ id: 'x', name: 'x', role: 'ADMIN', kind: 'user', exp: Date.now() + 60_000 })).toString(
      'base64url',
    );
    expect((await direct({ [IDENTITY_HEADER]: `${forged}.not-the-signature` })).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');

    // A report export streams back from the templates process, its download name intact; a
    // signed link and a snapshot link open without credentials (the templates process checks them).
    const templateId = r.data!.templates[0].id;
    const csv = await fetch(`${url}/api/reports/${templateId}/export.csv?section=by-region`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="Monthly-revenue-report-by-region\.csv"/);
    expect((await csv.text()).split('\r\n')[0]).toBe('region,sum_revenue,sum_orders');
    expect((await fetch(`${url}/api/reports/${templateId}/export.csv`)).status).toBe(401);
    const link = await gql(url, 'mutation($t: ID!) { exportReport(templateId: $t, format: XLSX) }', { t: templateId }, viewer);
    expect(link.data!.exportReport.startsWith(`${url}/api/reports/${templateId}/export.xlsx?sig=`)).toBe(true);
    const xlsx = await fetch(link.data!.exportReport);
    expect(xlsx.status).toBe(200);
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    const analyst = await login(url, 'analyst', ADMIN_PASSWORD);
    const shared = await gql(url, 'mutation($t: ID!) { createSnapshotLink(templateId: $t) { url } }', { t: templateId }, analyst);
    expect(shared.errors).toBeUndefined();
    const snapshot = await fetch(shared.data!.createSnapshotLink.url);
    expect(snapshot.status).toBe(200);
    expect(((await snapshot.json()) as { name: string }).name).toBe('Monthly revenue report');

    // A streamed upload crosses the gateway to the datasets process with the caller's identity.
    const upload = await fetch(`${url}/api/datasets/${r.data!.datasets[0].id}/csv`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${admin}` },
      body: 'month,revenue\n2026-01-01,10\n2026-02-01,12.5\n',
    });
    expect(upload.status).toBe(201);
    expect(await upload.json()).toMatchObject({ number: 2, rowCount: 2 });
    const viewerUpload = await fetch(`${url}/api/datasets/${r.data!.datasets[0].id}/csv`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${viewer}` },
      body: 'a\n1\n',
    });
    expect(viewerUpload.status).toBe(403);
    const anonymousUpload = await fetch(`${url}/api/datasets/${r.data!.datasets[0].id}/csv`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'a\n1\n',
    });
    expect(anonymousUpload.status).toBe(401);

    // A subscription crosses the gateway to the model-registry process over graphql-ws.
    const ws = createClient({
      url: `${url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${admin}` },
      retryAttempts: 0,
    });
    const event = new Promise<any>((resolve, reject) => {
      const stop = ws.subscribe(
        { query: 'subscription { modelEvents(modelName: "anomaly-robust-z") { kind message version { version model { name } } } }' },
        {
          next: (r) => {
            stop();
            resolve(r);
          },
          error: reject,
          complete: () => {},
        },
      );
    });
    await new Promise((r) => setTimeout(r, 500));
    const moved = await gql(
      url,
      'mutation { setModelAlias(modelName: "anomaly-robust-z", alias: "staging", version: 1) { name } }',
      {},
      admin,
    );
    expect(moved.errors).toBeUndefined();
    expect((await event).data.modelEvents).toEqual({
      kind: 'ALIAS_MOVED',
      message: 'staging → version 1',
      version: { version: 1, model: { name: 'anomaly-robust-z' } },
    });
    await ws.dispose();

    await expectWebApp(url);
    const ready = (await (await fetch(`${url}/readyz`)).json()) as { checks: Record<string, unknown> };
    expect(Object.keys(ready.checks).sort()).toEqual(['datasets', 'insights', 'model-registry', 'postgres', 'redis', 'templates']);
  }, 150_000);
});
