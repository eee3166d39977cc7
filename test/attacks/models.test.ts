// Attacks on the model registry, made through the gateway as a client would. Each is refused with
// its code or HTTP status, writes nothing (no version, artifact, event, alias or split change),
// and leaves the gateway serving.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recentOutcomes } from '../../lib/registry/health.js';
import { buildRobustZ } from '../../models/builders/robustZ.js';
import { codes, gql, startTestStack, userWithRole, type TestStack } from '../support/stack.js';

const MiB = 1024 ** 2;
/** Above the 50 MB an anonymous caller tries to push, so only authorisation stops it. */
const MODEL_MAX_BYTES = 60 * MiB;

let stack: TestStack;
let admin: { id: string; token: string };
let analyst: { id: string; token: string };
let viewer: { id: string; token: string };
const robustZ = Buffer.from(buildRobustZ().bytes);
let counter = 0;
const freshName = () => `attack-${Date.now().toString(36)}-${counter++}`;

const REGISTER = 'mutation($m: String!, $b: String!) { registerModelVersion(modelName: $m, task: ANOMALY, onnxBase64: $b) { version } }';
const ALIAS = 'mutation($m: String!, $a: String!, $v: Int!) { setModelAlias(modelName: $m, alias: $a, version: $v) { name } }';
const SPLIT = 'mutation($m: String!, $w: [TrafficWeightInput!]!) { setTrafficSplit(modelName: $m, weights: $w) { name } }';
const REPORT =
  'mutation($m: String!, $v: Int!, $r: [InferenceReportInput!]!) { reportInferences(modelName: $m, version: $v, reports: $r) { healthy rolledBackTo { version } } }';

beforeAll(async () => {
  stack = await startTestStack({
    MODEL_MAX_BYTES: String(MODEL_MAX_BYTES),
    // Nothing moves behind the tests' backs: health and drift are judged only when asked.
    DRIFT_INTERVAL_SECONDS: '0',
    MODEL_HEALTH_INTERVAL_SECONDS: '0',
  });
  [admin, analyst, viewer] = await Promise.all([
    userWithRole(stack, 'ADMIN'),
    userWithRole(stack, 'ANALYST'),
    userWithRole(stack, 'VIEWER'),
  ]);
});
afterAll(() => stack?.stop());

// ───────────────────────── helpers ─────────────────────────

async function ok(query: string, variables: Record<string, unknown>, token: string) {
  const r = await gql(stack.url, query, variables, token);
  expect(r.errors).toBeUndefined();
  return r.data!;
}

/** Registers `count` versions of a fresh model as `owner`. */
async function modelOwnedBy(owner: { token: string }, count = 1): Promise<string> {
  const m = freshName();
  for (let i = 0; i < count; i++) await ok(REGISTER, { m, b: robustZ.toString('base64') }, owner.token);
  return m;
}

/** The seeded model as `npm start` leaves it: registered by an ADMIN, version 1 under `production`. */
async function seededModel(): Promise<string> {
  const m = 'anomaly-robust-z';
  const { prisma } = stack.runtime;
  // Test files share the database: another may have registered it (as an ADMIN) already.
  if (!(await prisma.model.findUnique({ where: { name: m } }))) await ok(REGISTER, { m, b: robustZ.toString('base64') }, admin.token);
  if (!(await prisma.modelAlias.findFirst({ where: { model: { name: m }, alias: 'production' } })))
    await ok(ALIAS, { m, a: 'production', v: 1 }, admin.token);
  return m;
}

/** What an attack on model `m` could change. Scoped to `m`: other test files write beside us. */
async function registryState(m: string) {
  const { prisma } = stack.runtime;
  const where = { model: { name: m } };
  const [model, versions, events, aliases, aliasChanges, split, drift] = await Promise.all([
    prisma.model.findUnique({ where: { name: m }, select: { healthRule: true } }),
    prisma.modelVersion.count({ where }),
    prisma.modelEvent.count({ where }),
    prisma.modelAlias.findMany({ where, select: { alias: true, versionId: true }, orderBy: { alias: 'asc' } }),
    prisma.modelAliasChange.count({ where }),
    prisma.trafficWeight.findMany({ where, select: { versionId: true, weight: true }, orderBy: { versionId: 'asc' } }),
    prisma.driftReport.count({ where: { version: where } }),
  ]);
  return { model, versions, events, aliases, aliasChanges, split, drift };
}

/**
 * Runs `attack` and checks it wrote nothing: `m`'s state is unchanged, and no artifact appeared
 * that no version holds or that a version of `m` holds (a refused upload's bytes).
 */
async function expectNothingWritten<T>(m: string, attack: () => Promise<T>): Promise<T> {
  const before = await registryState(m);
  const since = new Date();
  const result = await attack();
  expect(await registryState(m)).toEqual(before);
  const stray = await stack.runtime.prisma.modelArtifact.count({
    where: { createdAt: { gte: since }, OR: [{ versions: { none: {} } }, { versions: { some: { model: { name: m } } } }] },
  });
  expect(stray).toBe(0);
  return result;
}

/** The gateway still answers GraphQL after an attack. */
async function expectStillServing() {
  const r = await gql(stack.url, '{ models(limit: 1) { name } }', {}, viewer.token);
  expect(r.status).toBe(200);
  expect(r.errors).toBeUndefined();
}

interface UploadAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { errors?: Array<{ extensions?: Record<string, unknown> }> } | null;
  /** Bytes the client had written when the answer came. */
  sent: number;
  ms: number;
}

/**
 * POSTs `total` bytes to the upload route as fast as the server takes them — chunked (no
 * Content-Length) unless `declare` — and stops sending as soon as an answer arrives.
 */
function upload(m: string, total: number, { token, declare = false }: { token?: string; declare?: boolean } = {}): Promise<UploadAnswer> {
  const started = Date.now();
  const chunk = Buffer.alloc(64 * 1024, 0x2a);
  const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (declare) headers['content-length'] = total;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(`${stack.url}/api/models/${m}/versions?task=ANOMALY`, { method: 'POST', headers });
    req.on('response', (res) => {
      answered = true;
      let text = '';
      const done = () => resolve({ status: res.statusCode!, headers: res.headers, body: parsed(text), sent, ms: Date.now() - started });
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', done).on('error', done);
    });
    // A server that answered before the body ended closes the connection under the client's writes.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const pump = () => {
      while (!answered && sent < total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** The answer's JSON; null when the server closed the connection before all of it arrived. */
function parsed(text: string): UploadAnswer['body'] {
  try {
    return JSON.parse(text) as UploadAnswer['body'];
  } catch {
    return null;
  }
}

function expectRefusedUnread(r: UploadAnswer, status: number, code: string, total: number) {
  expect(r.status).toBe(status);
  expect(r.body?.errors?.[0]?.extensions?.code).toBe(code);
  expect(r.headers.connection).toBe('close');
  expect(r.sent).toBeLessThan(total); // answered while the client was still sending
}

// ───────────────────────── 1. uploads authorised before the body is read ─────────────────────────

describe('model uploads (POST /api/models/:name/versions)', () => {
  it('refuses an anonymous 50 MB chunked upload with 401 at once, without the gateway buffering it', async () => {
    const m = await seededModel();
    const total = 50 * MiB;
    const rssBefore = process.memoryUsage().rss;
    const r = await expectNothingWritten(m, () => upload(m, total));
    const grown = process.memoryUsage().rss - rssBefore;
    expectRefusedUnread(r, 401, 'UNAUTHENTICATED', total);
    expect(r.ms).toBeLessThan(5000);
    expect(grown).toBeLessThan(20 * MiB);
    await expectStillServing();
  });

  it("refuses a VIEWER's upload with 403 before reading it", async () => {
    const m = await seededModel();
    const total = 20 * MiB;
    const r = await expectNothingWritten(m, () => upload(m, total, { token: viewer.token }));
    expectRefusedUnread(r, 403, 'FORBIDDEN', total);
    await expectStillServing();
  });

  it("refuses an ANALYST's upload to a model an ADMIN owns with 403 before reading it", async () => {
    const m = await seededModel();
    const total = 20 * MiB;
    const r = await expectNothingWritten(m, () => upload(m, total, { token: analyst.token }));
    expectRefusedUnread(r, 403, 'FORBIDDEN', total);
    await expectStillServing();
  });

  it('cuts off an oversized chunked upload by an allowed user at MODEL_MAX_BYTES with 413, writing nothing', async () => {
    const m = freshName(); // a new name: any ANALYST may create it
    const total = MODEL_MAX_BYTES + 4 * MiB;
    const r = await expectNothingWritten(m, () => upload(m, total, { token: analyst.token }));
    expect(r.status).toBe(413);
    expect(r.body?.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: MODEL_MAX_BYTES });
    expect(r.headers.connection).toBe('close');
    expect(await stack.runtime.prisma.model.findUnique({ where: { name: m } })).toBeNull();
    await expectStillServing();
  });

  it('refuses a declared Content-Length over MODEL_MAX_BYTES with 413 before reading the body', async () => {
    const m = freshName();
    const total = MODEL_MAX_BYTES + 1;
    const r = await expectNothingWritten(m, () => upload(m, total, { token: analyst.token, declare: true }));
    expectRefusedUnread(r, 413, 'BAD_USER_INPUT', total);
    expect(await stack.runtime.prisma.model.findUnique({ where: { name: m } })).toBeNull();
    await expectStillServing();
  });
});

// ───────────────────────── 2. versions only by the owner; only aliased versions serve ─────────────────────────

describe("registering under someone else's model", () => {
  it('refuses an ANALYST registering a version of the seeded anomaly-robust-z (owned by an ADMIN) with FORBIDDEN', async () => {
    const m = await seededModel();
    // Its owner registered its first version as an ADMIN (here, or in another test file sharing the
    // database — whose admins a session test may have demoted since); never this analyst.
    const first = await stack.runtime.prisma.modelVersion.findFirstOrThrow({ where: { model: { name: m } }, orderBy: { version: 'asc' } });
    expect(first.createdById).toBeTruthy();
    expect(first.createdById).not.toBe(analyst.id);
    const r = await expectNothingWritten(m, () => gql(stack.url, REGISTER, { m, b: robustZ.toString('base64') }, analyst.token));
    expect(codes(r)).toEqual(['FORBIDDEN']);
    await expectStillServing();
  });

  it('refuses an ANALYST taking over an empty model an ADMIN created', async () => {
    const m = freshName();
    await ok('mutation($m: String!) { createModel(input: { name: $m, task: ANOMALY }) { name } }', { m }, admin.token);
    const r = await expectNothingWritten(m, () => gql(stack.url, REGISTER, { m, b: robustZ.toString('base64') }, analyst.token));
    expect(codes(r)).toEqual(['FORBIDDEN']);
    await expectStillServing();
  });

  it('never serves a version its owner registered without an alias: chooseModelVersion stays on production', async () => {
    const m = await modelOwnedBy(analyst);
    await ok(ALIAS, { m, a: 'production', v: 1 }, admin.token);
    await ok(REGISTER, { m, b: robustZ.toString('base64') }, analyst.token); // version 2, by its owner, no alias
    const keys = Array.from({ length: 10 }, (_, i) => `dataset-${i}`); // within the gateway's alias limit
    const query = `query($m: String!) { ${keys.map((k, i) => `k${i}: chooseModelVersion(modelName: $m, stickyKey: "${k}") { version }`).join(' ')} }`;
    const chosen = await ok(query, { m }, viewer.token);
    expect(new Set(Object.values(chosen).map((v) => (v as { version: number }).version))).toEqual(new Set([1]));
    await expectStillServing();
  });

  it('serves nothing from a model with neither a split nor a production alias', async () => {
    const m = await modelOwnedBy(analyst, 2);
    const r = await ok('query($m: String!) { chooseModelVersion(modelName: $m, stickyKey: "any") { version } }', { m }, viewer.token);
    expect(r.chooseModelVersion).toBeNull();
  });
});

// ───────────────────────── 3. inference reports (which roll back) for ADMINs only ─────────────────────────

describe('reportInferences', () => {
  /** Versions 1 (production) and 2 sharing traffic 50/50, judged after 10 calls. */
  async function canary(): Promise<string> {
    const m = await modelOwnedBy(admin, 2);
    await ok(ALIAS, { m, a: 'production', v: 1 }, admin.token);
    await ok(
      SPLIT,
      {
        m,
        w: [
          { version: 1, weight: 50 },
          { version: 2, weight: 50 },
        ],
      },
      admin.token,
    );
    await ok(
      'mutation($m: String!) { setHealthRule(modelName: $m, rule: { maxErrorRate: 0.1, maxP95Ms: 500, window: 50, minCalls: 10 }) { name } }',
      { m },
      admin.token,
    );
    return m;
  }
  const failures = Array.from({ length: 50 }, () => ({ ok: false, latencyMs: 20 }));

  it("refuses an ANALYST's reports full of failures with FORBIDDEN and rolls nothing back", async () => {
    const m = await canary();
    const v2 = await stack.runtime.prisma.modelVersion.findFirstOrThrow({ where: { model: { name: m }, version: 2 } });
    const r = await expectNothingWritten(m, () => gql(stack.url, REPORT, { m, v: 2, r: failures }, analyst.token));
    expect(codes(r)).toEqual(['FORBIDDEN']);
    expect(await recentOutcomes(stack.runtime.redis, v2.id, 100)).toEqual([]); // no outcome recorded to judge later either
    await expectStillServing();
  });

  it('refuses an API key with the ANALYST role, and takes reports from one with the ADMIN role', async () => {
    const m = await canary();
    const key = async (role: string) =>
      (await ok(`mutation { createApiKey(name: "${freshName()}", role: ${role}) { key } }`, {}, admin.token)).createApiKey.key as string;
    const asAnalystKey = await expectNothingWritten(m, async () =>
      gql(stack.url, REPORT, { m, v: 2, r: failures }, { apiKey: await key('ANALYST') }),
    );
    expect(codes(asAnalystKey)).toEqual(['FORBIDDEN']);
    const service = await gql(stack.url, REPORT, { m, v: 2, r: failures }, { apiKey: await key('ADMIN') });
    expect(service.errors).toBeUndefined();
    expect(service.data!.reportInferences).toEqual({ healthy: false, rolledBackTo: { version: 1 } });
  });
});

// ───────────────────────── 4. the other mutations ─────────────────────────

describe('other registry mutations', () => {
  it('refuses an ANALYST moving staging on a model they do not own (FORBIDDEN)', async () => {
    const m = await modelOwnedBy(admin, 2);
    const r = await expectNothingWritten(m, () => gql(stack.url, ALIAS, { m, a: 'staging', v: 2 }, analyst.token));
    expect(codes(r)).toEqual(['FORBIDDEN']);
    await expectStillServing();
  });

  it('refuses an ANALYST rolling back staging on a model they do not own (FORBIDDEN)', async () => {
    const m = await modelOwnedBy(admin, 2);
    await ok(ALIAS, { m, a: 'staging', v: 1 }, admin.token);
    await ok(ALIAS, { m, a: 'staging', v: 2 }, admin.token);
    const r = await expectNothingWritten(m, () =>
      gql(stack.url, 'mutation($m: String!) { rollbackModel(modelName: $m, alias: "staging") { name } }', { m }, analyst.token),
    );
    expect(codes(r)).toEqual(['FORBIDDEN']);
    await expectStillServing();
  });

  it('refuses an owning ANALYST putting their own version under everyone: production, split, health rule (FORBIDDEN)', async () => {
    const m = await modelOwnedBy(analyst, 2);
    await ok(ALIAS, { m, a: 'production', v: 1 }, admin.token);
    const attempts = [
      () => gql(stack.url, ALIAS, { m, a: 'production', v: 2 }, analyst.token),
      () => gql(stack.url, SPLIT, { m, w: [{ version: 2, weight: 100 }] }, analyst.token),
      () =>
        gql(
          stack.url,
          'mutation($m: String!) { setHealthRule(modelName: $m, rule: { maxErrorRate: 1, maxP95Ms: 1e9, window: 1, minCalls: 1000 }) { name } }',
          { m },
          analyst.token,
        ),
    ];
    for (const attempt of attempts) expect(codes(await expectNothingWritten(m, attempt))).toEqual(['FORBIDDEN']);
    await expectStillServing();
  });

  it('refuses an ANALYST computing drift of a model they do not own (FORBIDDEN)', async () => {
    const m = await modelOwnedBy(admin);
    const r = await expectNothingWritten(m, () =>
      gql(stack.url, 'mutation($m: String!) { computeDrift(modelName: $m, version: 1) { feature } }', { m }, analyst.token),
    );
    expect(codes(r)).toEqual(['FORBIDDEN']);
    await expectStillServing();
  });

  it('refuses an ANALYST creating an empty model (FORBIDDEN)', async () => {
    const m = freshName();
    const r = await gql(
      stack.url,
      'mutation($m: String!) { createModel(input: { name: $m, task: ANOMALY }) { name } }',
      { m },
      analyst.token,
    );
    expect(codes(r)).toEqual(['FORBIDDEN']);
    expect(await stack.runtime.prisma.model.findUnique({ where: { name: m } })).toBeNull();
    await expectStillServing();
  });
});
