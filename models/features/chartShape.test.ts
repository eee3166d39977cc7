import { describe, expect, it } from 'vitest';
import { chartShapeFeatures, chartShapeOf, type ProfiledColumn } from './chartShape.js';

const columns: ProfiledColumn[] = [
  { name: 'month', type: 'DATE', distinctCount: 48, min: '2022-01-01', max: '2025-12-01' },
  { name: 'region', type: 'TEXT', distinctCount: 3, min: 'East', max: 'South' },
  { name: 'product', type: 'TEXT', distinctCount: 120, min: 'a', max: 'z' },
  { name: 'revenue', type: 'FLOAT', distinctCount: 144, min: 12.5, max: 900 },
  { name: 'margin', type: 'FLOAT', distinctCount: 144, min: -30, max: 80 },
  { name: 'orders', type: 'INTEGER', distinctCount: 90, min: 1, max: 400 },
];

describe('chartShapeOf', () => {
  it('counts time buckets by the calendar and multiplies cardinalities into rows', () => {
    const { shape, roles } = chartShapeOf(
      { dimensions: ['region'], timeBucket: { column: 'month', unit: 'QUARTER' }, measures: [{ column: 'revenue', agg: 'SUM' }] },
      columns,
      144,
    );
    expect(shape).toEqual({
      time: true,
      timePoints: 16,
      categories: 1,
      numericDimensions: 0,
      measures: 1,
      additive: true,
      cardinality: 3,
      cardinality2: 0,
      rows: 48,
    });
    expect(roles).toEqual({ time: 'month', categories: ['region'], numericDimensions: [], measures: ['sum_revenue'] });
  });

  it('calls a sum of a column that goes negative, an average or a distinct count not additive', () => {
    const additive = (agg: 'SUM' | 'AVG' | 'COUNT' | 'COUNT_DISTINCT', column = 'revenue') =>
      chartShapeOf({ dimensions: ['region'], measures: [{ column, agg }] }, columns, 144).shape.additive;
    expect(additive('SUM')).toBe(true);
    expect(additive('COUNT')).toBe(true);
    expect(additive('SUM', 'margin')).toBe(false);
    expect(additive('AVG')).toBe(false);
    expect(additive('COUNT_DISTINCT')).toBe(false);
  });

  it('narrows a dimension by its EQ and IN filters and caps rows by the version and the limit', () => {
    const q = (filters: unknown[], limit?: number) =>
      chartShapeOf(
        { dimensions: ['product'], measures: [{ column: 'revenue', agg: 'SUM' }], filters: filters as never, ...(limit ? { limit } : {}) },
        columns,
        100,
      ).shape;
    expect(q([])).toMatchObject({ cardinality: 120, rows: 100 });
    expect(q([{ column: 'product', op: 'IN', values: ['a', 'b'] }])).toMatchObject({ cardinality: 2, rows: 2 });
    expect(q([{ column: 'product', op: 'EQ', value: 'a' }])).toMatchObject({ cardinality: 1, rows: 1 });
    expect(q([], 10)).toMatchObject({ rows: 10 });
  });

  it('sees one row for aggregates alone, and names aliases as the result does', () => {
    const { shape, roles } = chartShapeOf({ measures: [{ column: '*', agg: 'COUNT', alias: 'n' }] }, columns, 144);
    expect(shape).toMatchObject({ time: false, categories: 0, measures: 1, rows: 1, additive: true });
    expect(roles.measures).toEqual(['n']);
    expect(chartShapeFeatures(shape)[11]).toBe(1);
  });
});
