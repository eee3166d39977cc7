// Version writing and profiling against the real PostgreSQL: exact profiles for small versions,
// estimated ones (from ANALYZE and a sample) for large ones, and profiles deferred past commit.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { checkColumnNames, createVersionFromRows, EXACT_PROFILE_MAX_ROWS, profileVersion } from './tables.js';

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 4 });
});
afterAll(() => pool.end());

async function dataset() {
  const id = randomUUID();
  await pool.query('INSERT INTO "Dataset" (id, name, "updatedAt") VALUES ($1, $2, now())', [id, `t ${id}`]);
  return id;
}

const columns = [
  { name: 'n', type: 'INTEGER' as const },
  { name: 'tag', type: 'TEXT' as const },
];

async function storedColumns(versionId: string) {
  const { rows } = await pool.query('SELECT * FROM "DatasetColumn" WHERE "versionId" = $1 ORDER BY position', [versionId]);
  return rows;
}

describe('profiles', () => {
  it('are exact for small versions: counts, bounds, moments, equal-width bins and top values', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [i % 100 === 0 ? null : i, `t${i % 3}`]);
    const v = await createVersionFromRows(pool, null, await dataset(), { columns, rows, sourceKind: 'CSV' });
    const [n, tag] = v.columns;
    expect(n).toMatchObject({ nullCount: 10, distinctCount: 990, min: 1, max: 999, estimated: false });
    expect(n!.histogram).toHaveLength(20);
    expect(n!.histogram.reduce((sum, b) => sum + b.count, 0)).toBe(990);
    expect(n!.histogram[0]).toMatchObject({ lower: 1, count: 50 }); // 1..50
    expect(tag!.histogram).toEqual([
      { label: 't0', lower: 't0', upper: 't0', count: 334 },
      { label: 't1', lower: 't1', upper: 't1', count: 333 },
      { label: 't2', lower: 't2', upper: 't2', count: 333 },
    ]);
  });

  it('are estimated for large versions, with exact counts and bounds', async () => {
    const total = EXACT_PROFILE_MAX_ROWS + 50_000;
    const rows = Array.from({ length: total }, (_, i) => [i % 5000, i % 2 ? 'odd' : 'even']);
    const v = await createVersionFromRows(pool, null, await dataset(), { columns, rows, sourceKind: 'CSV' });
    const [n, tag] = v.columns;
    expect(n).toMatchObject({ nullCount: 0, min: 0, max: 4999, estimated: true });
    expect(n!.mean).toBeCloseTo(2499.5, 6);
    // An estimate (ANALYZE samples 30,000 rows): within 10% of the true 5,000.
    expect(Math.abs(n!.distinctCount! - 5000)).toBeLessThan(500);
    const binned = n!.histogram.reduce((sum, b) => sum + b.count, 0);
    expect(Math.abs(binned - total) / total).toBeLessThan(0.05);
    expect(tag!.distinctCount).toBe(2);
  });

  it('can be deferred past the commit, and are then filled in', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => [i, 'x']);
    let failure: unknown;
    const v = await createVersionFromRows(pool, null, await dataset(), {
      columns,
      rows,
      sourceKind: 'CSV',
      profileInlineMaxRows: 100,
      onProfileError: (err) => {
        failure = err;
      },
    });
    expect(v.profiled).toBe(false);
    expect(v.columns[0]!.nullCount).toBeNull();
    // The background profile and an explicit one race; exactly one of them does the work.
    const again = await profileVersion(pool, v.id);
    await expect
      .poll(async () => (await pool.query('SELECT "profiledAt" FROM "DatasetVersion" WHERE id = $1', [v.id])).rows[0].profiledAt)
      .not.toBeNull();
    expect(typeof again).toBe('boolean');
    expect(failure).toBeUndefined();
    const [n] = await storedColumns(v.id);
    expect(n).toMatchObject({ nullCount: '0', distinctCount: '500', mean: 249.5 });
  });
});

describe('column names', () => {
  it("refuses a system column's name before any DDL, naming the column", () => {
    for (const name of ['tableoid', 'ctid', 'xmin', 'xmax', 'cmin', 'cmax']) {
      expect(() => checkColumnNames(['a', name], 'header')).toThrow(new RegExp(`column 2 is named "${name}", a name PostgreSQL keeps`));
    }
    expect(() => checkColumnNames(['TableOID', 'Ctid'], 'header')).not.toThrow(); // quoted names are case-sensitive
  });
});
