import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase, databaseUrl, dropDatabase, queryOnce } from './admin.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { migrate, readMigrations } from './migrate.js';

// A database of its own: these tests break migration histories on purpose.
const base = new URL(inject('databaseUrl'));
const name = `${base.pathname.slice(1)}_mig`;
const url = databaseUrl(base.toString(), name);
const sql = queryOnce;

beforeAll(() => createDatabase(base.toString(), name));
afterAll(() => dropDatabase(base.toString(), name));

describe('migrate', () => {
  it('applies the committed migrations once, with Prisma bookkeeping', async () => {
    const all = readMigrations();
    expect(await migrate(url)).toEqual(all.map((m) => m.name));
    expect(await migrate(url)).toEqual([]);
    const rows = await sql(url, 'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name');
    expect(rows.map((r) => r.migration_name)).toEqual(all.map((m) => m.name));
    expect(rows.every((r) => r.finished_at !== null && /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
    const schemas = await sql(url, "SELECT 1 FROM information_schema.schemata WHERE schema_name = 'data'");
    expect(schemas).toHaveLength(1);
  });

  it('rolls a failing migration back whole and refuses a changed one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
    const add = (folder: string, text: string) => {
      mkdirSync(path.join(dir, folder), { recursive: true });
      writeFileSync(path.join(dir, folder, 'migration.sql'), text);
    };
    const committed = readMigrations();
    for (const m of committed) add(m.name, m.sql);
    add('29990101000000_broken', 'CREATE TABLE half_done (id int); SELECT * FROM no_such_table;');
    await expect(migrate(url, readMigrations(dir))).rejects.toThrow(/29990101000000_broken failed and was rolled back/);
    expect(await sql(url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'")).toHaveLength(0);

    const changed = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    await expect(migrate(url, changed)).rejects.toThrow(/was changed after it was applied/);
  });
});
