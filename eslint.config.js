// ESLint: typescript-eslint's recommended rules, a few type-aware ones that catch real bugs
// (unhandled promises), and the layers of DESIGN.md as import rules — crossing a layer fails CI.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Code that serves requests or runs jobs: it may not import what builds and trains models. */
const RUNTIME = [
  'gateway',
  'subgraphs',
  'lib',
  'prisma/seed.ts',
  'cli',
  'models/runtime',
  'models/features',
  'models/onnx',
  'models/artifacts.ts',
];
const TRAINING = ['models/training', 'models/builders', 'models/reference', 'models/build.ts'];
const SUBGRAPHS = ['templates', 'datasets', 'insights', 'model-registry'];

export const layers = [
  {
    target: 'lib',
    from: ['gateway', 'subgraphs', 'models', 'cli', 'bench', 'web'],
    message: 'lib/ is shared by every part and imports none of them (DESIGN.md).',
  },
  { target: 'lib', from: 'prisma', except: ['./__generated__'], message: 'lib/ takes only the generated Prisma client from prisma/.' },
  ...SUBGRAPHS.map((name) => ({
    target: `subgraphs/${name}`,
    from: 'subgraphs',
    except: [`./${name}`],
    message: 'A subgraph never imports another subgraph: they meet through federation.',
  })),
  {
    target: ['subgraphs', 'models'],
    from: ['gateway', 'cli', 'bench', 'web'],
    message: 'Subgraphs and models do not depend on the gateway or the tools around them.',
  },
  {
    target: 'gateway',
    from: 'subgraphs',
    except: SUBGRAPHS.map((name) => `./${name}/server.ts`).concat('./insights/worker/worker.ts'),
    message: 'The gateway reaches a subgraph only through its server factory (single host).',
  },
  { target: RUNTIME, from: TRAINING, message: 'Run-time code imports no training code: shared features live in models/features.' },
  {
    target: ['gateway', 'subgraphs', 'lib', 'models', 'prisma', 'cli'],
    from: 'test',
    message: 'Only tests (and benchmarks) use test/ support.',
  },
  {
    target: 'web',
    from: ['gateway', 'subgraphs', 'lib', 'models', 'prisma', 'cli', 'bench', 'scripts', 'test'],
    message: 'The web app talks to the gateway over HTTP and WebSocket only, with its generated operations (DESIGN.md).',
  },
];

/** Tests may build models to test with and use the test support; every other layer holds for them too. */
const testLayers = layers.filter((zone) => zone.from !== 'test' && zone.from !== TRAINING);

export default tseslint.config(
  { ignores: ['node_modules', '**/__generated__/**', 'dist', 'coverage', 'models/artifacts', 'web/dist', 'prisma/bin'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', 'scripts/*.mjs', 'models/runtime/*.mjs', 'test/support/*.mjs'],
          // The plain-JavaScript files above (config, inference threads, scripts, loader hooks): a dozen.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: ['./tsconfig.json', './web/tsconfig.json'], noWarnOnMultipleProjects: true }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'import-x/no-unresolved': 'error',
      'import-x/no-restricted-paths': ['error', { zones: layers }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@apollo/gateway/dist/*'], message: 'Import @apollo/gateway internals through gateway/federationInternals.ts.' },
          ],
        },
      ],
    },
  },
  { files: ['gateway/federationInternals.ts'], rules: { 'no-restricted-imports': 'off' } },
  // The web app runs in browsers: their globals, not Node's.
  { files: ['web/src/**'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['**/*.test.ts', 'test/**'], rules: { 'import-x/no-restricted-paths': ['error', { zones: testLayers }] } },
  prettier,
);
