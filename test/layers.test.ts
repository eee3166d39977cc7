// The layers of DESIGN.md are lint rules: an import across one fails `npm run lint`. Each case
// lints one import as if it sat in the named file.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/processes.js';

const eslint = new ESLint({
  cwd: ROOT,
  // The layer rules need no type information; the files here are not on disk.
  overrideConfig: [
    {
      languageOptions: { parserOptions: { projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
    },
  ],
});

async function problems(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath: path.join(ROOT, file) });
  // An import the resolver cannot follow would slip past the layer rules: there must be none.
  expect(result!.messages.filter((m) => m.fatal || m.ruleId === 'import-x/no-unresolved')).toEqual([]);
  return result!.messages
    .filter((m) => m.ruleId === 'import-x/no-restricted-paths' || m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('layers', () => {
  it.each([
    ['lib/probe.ts', "import '../gateway/server.js';", 'lib/ is shared by every part'],
    ['lib/probe.ts', "import '../subgraphs/datasets/server.js';", 'lib/ is shared by every part'],
    ['lib/probe.ts', "import '../models/runtime/engine.js';", 'lib/ is shared by every part'],
    ['lib/probe.ts', "import '../prisma/seed.js';", 'only the generated Prisma client'],
    ['subgraphs/templates/probe.ts', "import '../datasets/server.js';", 'never imports another subgraph'],
    ['subgraphs/insights/worker/probe.ts', "import '../../model-registry/data/registry.js';", 'never imports another subgraph'],
    ['subgraphs/datasets/probe.ts', "import '../../gateway/server.js';", 'do not depend on the gateway'],
    ['gateway/probe.ts', "import '../subgraphs/templates/data/reports.js';", 'only through its server factory'],
    ['subgraphs/insights/worker/probe.ts', "import '../../../models/training/series.js';", 'imports no training code'],
    ['gateway/probe.ts', "import '../models/builders/index.js';", 'imports no training code'],
    ['models/runtime/probe.ts', "import '../reference/chart.js';", 'imports no training code'],
    ['prisma/seed.ts', "import '../models/build.js';", 'imports no training code'],
    ['lib/probe.ts', "import '../test/support/stack.js';", 'Only tests (and benchmarks) use test/ support'],
    ['gateway/probe.ts', "import '../test/support/stack.js';", 'Only tests (and benchmarks) use test/ support'],
    ['gateway/probe.ts', "import '@apollo/gateway/dist/executeQueryPlan.js';", 'through gateway/federationInternals.ts'],
  ])('%s may not %s', async (file, source, why) => {
    const found = await problems(file, source);
    expect(found.join('\n')).toContain(why);
  });

  it.each([
    ['lib/probe.ts', "import '../prisma/__generated__/client.js';"],
    ['gateway/probe.ts', "import '../subgraphs/templates/server.js';"],
    ['gateway/probe.ts', "import '../subgraphs/insights/worker/worker.js';"],
    ['subgraphs/insights/worker/probe.ts', "import '../../../models/features/series.js';"],
    ['subgraphs/insights/worker/probe.ts', "import '../../../lib/registry/selection.js';"],
    ['gateway/federationInternals.ts', "import '@apollo/gateway/dist/executeQueryPlan.js';"],
    ['subgraphs/datasets/probe.test.ts', "import '../../test/support/stack.js'; import '../../models/builders/robustZ.js';"],
  ])('%s may %s', async (file, source) => {
    expect(await problems(file, source)).toEqual([]);
  });
});
