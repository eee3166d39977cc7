// Authors migrations without Prisma's native schema engine (which cannot be downloaded here):
// Prisma's schema engine compiled to WebAssembly, run against an in-memory PGlite that replays
// the committed migrations. The SQL it writes is what `prisma migrate dev` would write.
//
//   npm run db:migration -- <name>   writes prisma/migrations/<timestamp>_<name>/migration.sql
//   npm run db:check                 exits 1 when schema.prisma has changes not in a migration
import { readFileSync, readdirSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const root = path.dirname(fileURLToPath(import.meta.url));
const schemaPath = path.join(root, 'schema.prisma');
const migrationsDir = path.join(root, 'migrations');

interface MigrationDirectory {
  path: string;
  migrationFile: { path: string; content: { tag: 'ok'; value: string } };
}

function migrationsList() {
  const dirs: MigrationDirectory[] = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
        .map((name) => ({
          path: name,
          migrationFile: {
            path: 'migration.sql',
            content: { tag: 'ok', value: readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8') },
          },
        }))
    : [];
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs,
  };
}

// Node has WebAssembly; the TypeScript lib for it comes with DOM, which this project does not load.
const wasmRuntime = (
  globalThis as unknown as {
    WebAssembly: { instantiate(bytes: Buffer, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }> };
  }
).WebAssembly;

/** The package's entry imports a `.wasm` ES module, which Node 20 rejects; instantiate it by hand. */
async function loadSchemaEngine() {
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const pkgDir = path.dirname(gluePath);
  const glue = await import(pathToFileURL(gluePath).href);
  const bytes = readFileSync(path.join(pkgDir, 'schema_engine_bg.wasm'));
  const { instance } = await wasmRuntime.instantiate(bytes, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return glue.SchemaEngine;
}

async function openEngine() {
  const SchemaEngine = await loadSchemaEngine();
  const schema = readFileSync(schemaPath, 'utf8');
  const db = new PGlite();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(db));
  const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, adapter);
  const filters = { externalTables: [], externalEnums: [] };
  const list = migrationsList();
  // The engine refuses shadow-database commands after applying anything until it has
  // diagnosed the history again.
  await engine.devDiagnostic({ migrationsList: list, filters });
  await engine.applyMigrations({ migrationsList: list, filters });
  await engine.devDiagnostic({ migrationsList: list, filters });
  return { engine, list, filters, schemaFiles: { files: [{ path: schemaPath, content: schema }] } };
}

async function check(): Promise<number> {
  const { engine, list, filters, schemaFiles } = await openEngine();
  const loss = await engine.evaluateDataLoss({ migrationsList: list, schema: schemaFiles, filters });
  if (loss.migrationSteps > 0) {
    console.error(`prisma/schema.prisma has ${loss.migrationSteps} change(s) not in a migration: run npm run db:migration -- <name>`);
    return 1;
  }
  console.log(`migrations are up to date with prisma/schema.prisma (${list.migrationDirectories.length} migration(s))`);
  return 0;
}

async function create(name: string): Promise<number> {
  if (!/^[a-z0-9_]+$/.test(name)) {
    console.error('migration name: lowercase letters, digits and underscores only');
    return 1;
  }
  const { engine, list, filters, schemaFiles } = await openEngine();
  const out = await engine.createMigration({ draft: false, migrationName: name, migrationsList: list, schema: schemaFiles, filters });
  if (!out.migrationScript || !out.generatedMigrationName) {
    console.log('no changes: schema.prisma matches the migrations');
    return 0;
  }
  mkdirSync(path.join(migrationsDir, out.generatedMigrationName), { recursive: true });
  writeFileSync(path.join(migrationsDir, out.generatedMigrationName, 'migration.sql'), out.migrationScript);
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  if (!existsSync(lockPath)) {
    writeFileSync(
      lockPath,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  console.log(`wrote prisma/migrations/${out.generatedMigrationName}/migration.sql`);
  return 0;
}

const [command, arg] = process.argv.slice(2);
const code =
  command === 'check'
    ? await check()
    : command === 'create' && arg
      ? await create(arg)
      : (console.error('usage: author.ts check | create <name>'), 2);
process.exit(code);
