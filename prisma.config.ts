// Prisma CLI configuration. `process.env` rather than `env()`: `prisma generate` must work
// without DATABASE_URL. Migrations are applied by `prisma/migrate.ts`, authored by
// `prisma/author.ts` (see the README's "Migrations").
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/reportgraph' },
});
