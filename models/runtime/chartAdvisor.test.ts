// The chart advisor on the built chart models (both versions) in a real engine: the version's
// input width decides how the query's shape is fed, so a split can serve either.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArtifacts } from '../artifacts.js';
import type { ProfiledColumn } from '../features/chartShape.js';
import { suggestChart } from './chartAdvisor.js';
import { InferenceEngine } from './engine.js';
import type { ServedModels } from './servedModels.js';

let engine: InferenceEngine;
beforeAll(() => {
  engine = new InferenceEngine({ device: 'cpu', workers: 1 });
});
afterAll(() => engine?.close());

/** The registry reduced to one version of chart-recommender, on the engine. */
function serving(version: number): ServedModels {
  const artifact = readArtifacts().find((a) => a.name === 'chart-recommender' && a.version === version)!;
  return {
    load: async () => ({
      handle: await engine.load('chart-recommender', artifact.bytes),
      versionId: `v${version}`,
      version,
      metrics: null,
    }),
    infer: (model, feeds, rows) => engine.inferRows(model.handle, feeds, rows),
    clear: () => undefined,
  };
}

const columns: ProfiledColumn[] = [
  { name: 'month', type: 'DATE', distinctCount: 48, min: '2022-01-01', max: '2025-12-01' },
  { name: 'region', type: 'TEXT', distinctCount: 3, min: 'East', max: 'West' },
  { name: 'revenue', type: 'FLOAT', distinctCount: 144, min: 10, max: 900 },
];
const request = (query: Record<string, unknown>) => ({ query, columns, rowCount: 144, stickyKey: 'd', data: { name: 'rows' } });

describe('suggestChart', () => {
  it('answers each version of the model in its own input layout', async () => {
    const byMonth = request({ timeBucket: { column: 'month', unit: 'MONTH' }, measures: [{ column: 'revenue', agg: 'SUM' }] });
    const byRegion = request({ dimensions: ['region'], measures: [{ column: 'revenue', agg: 'AVG' }] });
    for (const version of [1, 2]) {
      const line = await suggestChart(serving(version), byMonth);
      expect(line).toMatchObject({ type: 'line', modelVersionId: `v${version}` });
      expect(line.spec).toMatchObject({ mark: { type: 'line' }, data: { name: 'rows' } });
      expect((await suggestChart(serving(version), byRegion)).type).toBe('bar');
    }
  });

  it('ranks the alternatives below the choice, each with its own spec', async () => {
    const s = await suggestChart(serving(2), request({ dimensions: ['region'], measures: [{ column: 'revenue', agg: 'SUM' }] }));
    expect(s.type).toBe('pie');
    expect(s.alternatives.map((a) => a.probability)).toEqual([...s.alternatives.map((a) => a.probability)].sort((a, b) => b - a));
    expect(s.alternatives.every((a) => a.probability <= s.probability && a.spec.$schema)).toBe(true);
    expect(s.probability + s.alternatives.reduce((t, a) => t + a.probability, 0)).toBeLessThanOrEqual(1 + 1e-6);
  });
});
