import { createRequire } from 'node:module';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const require = createRequire(import.meta.url);

// graphql 16 ships ESM (`module`) and CommonJS (`main`). Node gives everyone `main`; Vite would
// give our files `module` while the CommonJS Apollo packages load `main` — two graphql
// instances that reject each other's schemas. Pin Node's choice.
const resolve = { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] };
const OPERATIONS = 'test/operations/**/*.test.ts';

const project = (test: TestProjectInlineConfiguration['test']): TestProjectInlineConfiguration => ({
  resolve,
  test: { globalSetup: ['test/support/globalSetup.ts'], testTimeout: 30_000, hookTimeout: 90_000, pool: 'forks', ...test },
});

export default defineConfig({
  resolve,
  test: {
    reporters: ['default', './test/support/summaryReporter.ts'],
    projects: [
      project({
        name: 'unit',
        include: ['{lib,gateway,subgraphs,prisma,models,cli,test}/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
        exclude: [OPERATIONS, '**/node_modules/**', '**/.git/**'],
        sequence: { groupOrder: 0 },
      }),
      // Operations tests start, kill and restart processes, Redis and PostgreSQL, and time their
      // recovery: they run after the others, one file at a time, so nothing else competes for the CPU.
      project({ name: 'operations', include: [OPERATIONS], fileParallelism: false, sequence: { groupOrder: 1 } }),
    ],
  },
});
