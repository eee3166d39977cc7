// First-start data: the first admin (always) and, when SEED_DEMO is on (the default outside
// production), a small demo a newcomer can query at once. Running it twice changes nothing.
import { pathToFileURL } from 'node:url';
import { ArtifactsMissingError, readArtifacts } from '../models/artifacts.js';
import { InferenceEngine } from '../models/runtime/engine.js';
import { rng } from '../lib/random.js';
import { registerVersion, type OnnxInspector } from '../lib/registry/registration.js';
import { hashPassword, generatePassword } from '../lib/auth/passwords.js';
import type { Identity } from '../lib/auth/identity.js';
import { loadConfig } from '../lib/config.js';
import { createVersionFromRows, type ColumnSpec } from '../lib/datasets/tables.js';
import type { Prisma } from '../lib/prisma.js';
import { createRuntime, type Runtime } from '../lib/runtime.js';
import { runMain, StartupError } from '../lib/startup.js';

export const DEMO_DATASET = 'Monthly sales';
export const DEMO_TEMPLATE = 'Monthly revenue report';

/**
 * Creates user `admin` when no admin exists: with ADMIN_PASSWORD, or in development with a
 * generated password printed once. Returns the password only when this call created the admin.
 */
export async function ensureAdmin(runtime: Runtime): Promise<{ created: boolean; password?: string }> {
  const { prisma, config } = runtime;
  if (await prisma.user.findFirst({ where: { role: 'ADMIN' } })) return { created: false };
  let password = config.adminPassword;
  if (!password) {
    if (config.isProduction) throw new StartupError('ADMIN_PASSWORD is required to create the first admin (user "admin")');
    password = generatePassword();
    process.stdout.write(
      `\n  First admin created: username "admin", password "${password}" (shown once; set ADMIN_PASSWORD to choose it)\n\n`,
    );
  }
  await prisma.user.upsert({
    where: { username: 'admin' },
    create: { username: 'admin', passwordHash: await hashPassword(password, { log2N: config.auth.scryptLog2N }), role: 'ADMIN' },
    update: { role: 'ADMIN' },
  });
  return { created: true, password };
}

/** Demo users `analyst` and `viewer` share the admin's first password. */
async function seedUsers({ prisma, config }: Runtime, password: string | undefined): Promise<void> {
  if (!password) return; // only alongside a freshly created admin, whose password we know
  for (const [username, role] of [
    ['analyst', 'ANALYST'],
    ['viewer', 'VIEWER'],
  ] as const) {
    if (await prisma.user.findUnique({ where: { username } })) continue;
    await prisma.user.create({ data: { username, role, passwordHash: await hashPassword(password, { log2N: config.auth.scryptLog2N }) } });
  }
}

/**
 * Four years of monthly sales for three regions: a trend, a yearly season peaking in December,
 * noise, and one visible anomaly (a supply outage in East, 2025-07) for the analysis demos.
 */
export function demoSalesRows(): { columns: ColumnSpec[]; rows: unknown[][] } {
  // Seeded, so the demo series is the same on every machine.
  const rand = rng(20240101);
  const regions = [
    { name: 'North', base: 120_000, growth: 0.012 },
    { name: 'South', base: 95_000, growth: 0.018 },
    { name: 'East', base: 70_000, growth: 0.025 },
  ];
  const rows: unknown[][] = [];
  for (let m = 0; m < 48; m++) {
    const month = new Date(Date.UTC(2022, m, 1)).toISOString().slice(0, 10);
    const season = 1 + 0.18 * Math.cos(((m % 12) - 11) * (Math.PI / 6));
    for (const r of regions) {
      let revenue = r.base * (1 + r.growth) ** m * season * (1 + (rand() - 0.5) * 0.08);
      if (r.name === 'East' && month === '2025-07-01') revenue *= 0.45;
      const orders = Math.round(revenue / (180 + rand() * 20));
      rows.push([month, r.name, Math.round(revenue * 100) / 100, orders]);
    }
  }
  return {
    columns: [
      { name: 'month', type: 'DATE' },
      { name: 'region', type: 'TEXT' },
      { name: 'revenue', type: 'FLOAT' },
      { name: 'orders', type: 'INTEGER' },
    ],
    rows,
  };
}

/** Every section follows the `region` parameter: unset, all regions. */
const byRegion = [{ column: 'region', op: 'EQ', param: 'region' }];

export const demoSections = [
  { id: 'total-revenue', kind: 'KPI', title: 'Revenue', query: { measures: [{ column: 'revenue', agg: 'SUM' }], filters: byRegion } },
  {
    id: 'revenue-trend',
    kind: 'CHART',
    title: 'Revenue by month',
    chart: { type: 'line', x: 'month', y: 'revenue' },
    query: { timeBucket: { column: 'month', unit: 'MONTH' }, measures: [{ column: 'revenue', agg: 'SUM' }], filters: byRegion },
  },
  {
    id: 'by-region',
    kind: 'TABLE',
    title: 'By region',
    query: {
      dimensions: ['region'],
      measures: [
        { column: 'revenue', agg: 'SUM' },
        { column: 'orders', agg: 'SUM' },
      ],
      orderBy: [{ column: 'revenue', agg: 'SUM', direction: 'DESC' }],
      filters: byRegion,
    },
  },
  {
    id: 'summary',
    kind: 'NARRATIVE',
    title: 'Revenue by quarter',
    query: { timeBucket: { column: 'month', unit: 'QUARTER' }, measures: [{ column: 'revenue', agg: 'SUM' }], filters: byRegion },
  },
];

/**
 * The built models (models/artifacts, see `npm run models:build`), each registered as the version
 * its artefact is built for — the first versions too, so a traffic split can compare them — with
 * `production` on the latest version of each model.
 */
export async function seedModels(runtime: Runtime, actor: Identity): Promise<void> {
  const { prisma } = runtime;
  if ((await prisma.model.count()) > 0) return;
  let artifacts;
  try {
    artifacts = readArtifacts();
  } catch (err) {
    if (err instanceof ArtifactsMissingError) throw new StartupError(err.message);
    throw err;
  }
  const engine = new InferenceEngine({ device: 'cpu', workers: 1 });
  const inspect: OnnxInspector = (bytes) => engine.inspect(bytes);
  try {
    const latest = new Map<string, { modelId: string; id: string }>();
    // readArtifacts answers them by name, then version: each lands as the version it was built for.
    for (const { name, version: built, ...artifact } of artifacts) {
      const version = await registerVersion(prisma, inspect, actor, { modelName: name, ...artifact });
      if (version.version !== built)
        throw new StartupError(`${name}: artefact version ${built} was registered as version ${version.version}`);
      latest.set(name, { modelId: version.modelId, id: version.id });
    }
    for (const { modelId, id } of latest.values()) {
      await prisma.modelAlias.create({ data: { modelId, alias: 'production', versionId: id } });
      await prisma.modelAliasChange.create({ data: { modelId, alias: 'production', toVersionId: id, reason: 'seed', actorId: actor.id } });
    }
  } finally {
    await engine.close();
  }
}

export async function seedDemo(runtime: Runtime, adminPassword: string | undefined): Promise<void> {
  const { prisma } = runtime;
  await seedUsers(runtime, adminPassword);
  const admin = await prisma.user.findFirstOrThrow({ where: { role: 'ADMIN' }, orderBy: { createdAt: 'asc' } });
  const analyst = await prisma.user.findUnique({ where: { username: 'analyst' } });
  const owner = analyst ?? admin;
  const actor: Identity = { id: owner.id, name: owner.username, role: owner.role, kind: 'user' };

  await seedModels(runtime, { id: admin.id, name: admin.username, role: admin.role, kind: 'user' });
  let dataset = await prisma.dataset.findUnique({ where: { name: DEMO_DATASET } });
  if (!dataset) {
    dataset = await prisma.dataset.create({
      data: { name: DEMO_DATASET, description: 'Monthly revenue and orders per region, 2022–2025 (demo data)', ownerId: owner.id },
    });
    await createVersionFromRows(runtime.pool, actor, dataset.id, { ...demoSalesRows(), sourceKind: 'CSV', source: { demo: true } });
  }
  if (!(await prisma.reportTemplate.findFirst({ where: { name: DEMO_TEMPLATE, deletedAt: null } }))) {
    const snapshot = {
      name: DEMO_TEMPLATE,
      description: 'Revenue KPIs, the monthly trend and a regional breakdown',
      datasetId: dataset.id,
      parameters: [
        { name: 'region', type: 'STRING', required: false, default: null, description: 'Only this region' },
      ] as Prisma.InputJsonValue,
      sections: demoSections as Prisma.InputJsonValue,
    };
    await prisma.$transaction(async (tx) => {
      const template = await tx.reportTemplate.create({ data: { ...snapshot, ownerId: owner.id } });
      await tx.templateVersion.create({ data: { ...snapshot, templateId: template.id, version: 1, createdById: owner.id } });
    });
  }
}

// `npm run db:seed`
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runMain(async () => {
    const runtime = createRuntime(loadConfig());
    try {
      const { password } = await ensureAdmin(runtime);
      await seedDemo(runtime, password);
      console.log('demo data is in place');
    } finally {
      await runtime.close();
    }
  });
}
