// The hot reads on prepared statements answer exactly what Prisma answers for the same rows — the
// same fields, types (UTC Dates, bigint, parsed JSON, enum arrays) and order — so resolvers cannot
// tell them apart. Run in a time zone other than UTC: a timestamp read as local time would show.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../lib/db/admin.js';
import { migrate } from '../lib/db/migrate.js';
import { createPool, createPrisma, type PrismaClient } from '../lib/prisma.js';
import { datasetsByIds, datasetsPage, versionsByIds } from '../subgraphs/datasets/data/reads.js';
import { insightsByDataset, jobsByDataset } from '../subgraphs/insights/data/reads.js';
import { usersByIds } from '../subgraphs/templates/data/reads.js';

// A database of its own: the paging comparisons need a table no other test writes to meanwhile.
const base = new URL(inject('databaseUrl'));
const name = `${base.pathname.slice(1)}_hot`;
let pool: ReturnType<typeof createPool>;
let prisma: PrismaClient;
const zone = process.env.TZ;
let datasetIds: string[];
let userIds: string[];

beforeAll(async () => {
  process.env.TZ = 'Asia/Kolkata';
  const url = await createDatabase(base.toString(), name);
  await migrate(url);
  pool = createPool(url);
  prisma = createPrisma(pool);
  const users = await Promise.all([
    prisma.user.create({ data: { username: 'owner', role: 'ANALYST', passwordHash: 'x' } }),
    prisma.user.create({ data: { username: 'gone', role: 'VIEWER', passwordHash: 'y', disabledAt: new Date('2026-01-02T03:04:05.678Z') } }),
  ]);
  userIds = users.map((u) => u.id);
  datasetIds = [];
  for (let i = 0; i < 7; i++) {
    const dataset = await prisma.dataset.create({
      data: { name: `d${i}`, description: i % 2 ? null : `about ${i}`, ownerId: i % 3 ? users[0]!.id : null },
    });
    datasetIds.push(dataset.id);
    if (i % 3 === 2) continue; // no version yet
    const version = await prisma.datasetVersion.create({
      data: {
        datasetId: dataset.id,
        number: 1,
        tableName: `ds_hot_${i}`,
        rowCount: 9_007_199_254_740_993n + BigInt(i),
        sourceKind: 'CSV',
        source: { file: `d${i}.csv`, options: { delimiter: ';' } },
        steps: i ? [{ op: 'trim' }] : [],
      },
    });
    await prisma.dataset.update({ where: { id: dataset.id }, data: { currentVersionId: version.id, sourceKind: 'CSV' } });
    for (let j = 0; j < i; j++) {
      const job = await prisma.analysisJob.create({
        data: {
          datasetId: dataset.id,
          column: 'amount',
          kinds: j % 2 ? ['TREND', 'ANOMALY'] : ['FORECAST'],
          status: j % 2 ? 'SUCCEEDED' : 'FAILED',
          progress: j / 3,
          modelVersionIds: j % 2 ? [users[0]!.id] : [],
          dimensions: ['region'],
          finishedAt: j % 2 ? new Date() : null,
        },
      });
      await prisma.insight.create({
        data: {
          jobId: job.id,
          datasetId: dataset.id,
          kind: 'TREND',
          column: 'amount',
          summary: `insight ${j}`,
          language: 'EN',
          anomalies: [{ at: 1, score: 2.5 }],
          chart: j % 2 ? { type: 'line' } : undefined,
        },
      });
    }
  }
});

afterAll(async () => {
  process.env.TZ = zone;
  await prisma?.$disconnect();
  await pool?.end();
  await dropDatabase(base.toString(), name);
});

describe('hot reads on prepared statements', () => {
  it('pages datasets with their current versions as Prisma does', async () => {
    for (const [take, skip] of [
      [100, 0],
      [3, 2],
      [2, 6],
      [0, 0],
    ] as const) {
      const expected = await prisma.dataset.findMany({ orderBy: { createdAt: 'asc' }, take, skip, include: { currentVersion: true } });
      const got = await datasetsPage(pool, take, skip);
      expect(got).toStrictEqual(expected.map(({ currentVersion, ...dataset }) => ({ dataset, current: currentVersion })));
    }
    // Twice on the same connections: the second run uses the prepared plan.
    expect(await datasetsPage(pool, 100, 0)).toHaveLength(7);
  });

  it('looks up datasets, versions and users by id, a missing id answering no row', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const ids = [...datasetIds, missing];
    const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(await datasetsByIds(pool, ids))).toStrictEqual(byId(await prisma.dataset.findMany({ where: { id: { in: ids } } })));
    const versionIds = (await prisma.datasetVersion.findMany()).map((v) => v.id);
    expect(versionIds.length).toBeGreaterThan(0);
    expect(byId(await versionsByIds(pool, [...versionIds, missing]))).toStrictEqual(
      byId(await prisma.datasetVersion.findMany({ where: { id: { in: versionIds } } })),
    );
    expect(byId(await usersByIds(pool, [...userIds, missing]))).toStrictEqual(
      byId(await prisma.user.findMany({ where: { id: { in: userIds } } })),
    );
  });

  it("pages each dataset's analyses and insights newest first, as Prisma does", async () => {
    for (const [take, skip] of [
      [100, 0],
      [2, 1],
      [1, 5],
    ] as const) {
      const jobs = await jobsByDataset(pool, datasetIds, take, skip);
      const insights = await insightsByDataset(pool, datasetIds, take, skip);
      for (const datasetId of datasetIds) {
        const page = { where: { datasetId }, orderBy: [{ createdAt: 'desc' as const }, { id: 'asc' as const }], take, skip };
        expect(jobs.filter((j) => j.datasetId === datasetId)).toStrictEqual(await prisma.analysisJob.findMany(page));
        expect(insights.filter((j) => j.datasetId === datasetId)).toStrictEqual(await prisma.insight.findMany(page));
      }
    }
  });
});
