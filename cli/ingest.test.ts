// The ingest CLI against a running gateway: creates the dataset, streams the file, reports.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess } from '../test/support/processes.js';
import { gql, startTestStack, unique, userWithRole, type TestStack } from '../test/support/stack.js';

let stack: TestStack;
let analyst: { token: string };
beforeAll(async () => {
  stack = await startTestStack();
  analyst = await userWithRole(stack, 'ANALYST');
});
afterAll(() => stack?.stop());

describe('npm run ingest', () => {
  it('creates the dataset by name, uploads with progress, and prints the new version', async () => {
    const file = path.join(tmpdir(), `cli-${Date.now()}.csv`);
    writeFileSync(
      file,
      `when;amount\n${Array.from({ length: 5000 }, (_, i) => `2024-01-${String((i % 28) + 1).padStart(2, '0')};${i}.5`).join('\n')}\n`,
    );
    const name = unique('cli');
    const proc = startProcess('cli/ingest.ts', [file, '--dataset', name], { REPORTGRAPH_URL: stack.url, REPORTGRAPH_TOKEN: analyst.token });
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toContain(`created dataset "${name}"`);
    expect(proc.output()).toMatch(/100% +5,001 rows +[\d,]+ rows\/s/);
    expect(proc.output()).toMatch(new RegExp(`"${name}" version 1: 5,000 rows in .* s`));
    expect(proc.output()).toContain('columns: when DATE, amount FLOAT');
    const r = await gql(stack.url, '{ datasets(limit: 1000) { name rowCount } }', {}, analyst.token);
    expect(r.data!.datasets).toContainEqual({ name, rowCount: 5000 });

    const again = startProcess('cli/ingest.ts', [file, '--dataset', name], {
      REPORTGRAPH_URL: stack.url,
      REPORTGRAPH_TOKEN: analyst.token,
    });
    expect(await again.exited).toBe(0);
    expect(again.output()).toMatch(/version 2: 5,000 rows/);
  }, 60_000);

  it('says what went wrong in one line', async () => {
    const file = path.join(tmpdir(), `cli-bad-${Date.now()}.csv`);
    writeFileSync(file, 'a,b\n1,2,3\n');
    const proc = startProcess('cli/ingest.ts', [file, '--dataset', unique('cli')], {
      REPORTGRAPH_URL: stack.url,
      REPORTGRAPH_TOKEN: analyst.token,
    });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toMatch(/ingest: line 2: extra data after last expected column/);
  }, 60_000);
});
