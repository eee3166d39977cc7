import { describe, expect, it } from 'vitest';
import { shapeOf, toSectionQuery } from './queryBuilder.js';

describe('the Explore query', () => {
  it('reads filter values as their column types and leaves out what was not asked for', () => {
    const draft = {
      dimensions: ['region'],
      measures: [{ column: 'revenue', agg: 'SUM' as const }],
      filters: [
        { column: 'orders', op: 'GT' as const, value: ' 40 ' },
        { column: 'region', op: 'IN' as const, value: 'East, North' },
        { column: 'orders', op: 'BETWEEN' as const, value: '1,9' },
        { column: 'closed', op: 'IS_NULL' as const, value: 'false' },
        { column: 'flag', op: 'EQ' as const, value: 'true' },
      ],
      timeBucket: { column: 'month', unit: 'QUARTER' as const },
      limit: null,
    };
    const types = { region: 'TEXT', orders: 'INTEGER', revenue: 'FLOAT', closed: 'DATE', flag: 'BOOLEAN', month: 'DATE' };
    expect(toSectionQuery(draft, types)).toEqual({
      dimensions: ['region'],
      measures: [{ column: 'revenue', agg: 'SUM' }],
      filters: [
        { column: 'orders', op: 'GT', value: 40 },
        { column: 'region', op: 'IN', values: ['East', 'North'] },
        { column: 'orders', op: 'BETWEEN', values: [1, 9] },
        { column: 'closed', op: 'IS_NULL', value: false },
        { column: 'flag', op: 'EQ', value: true },
      ],
      timeBucket: { column: 'month', unit: 'QUARTER' },
    });
    expect(shapeOf(draft)).toEqual({ keys: 2, time: 1 });
    expect(toSectionQuery({ dimensions: [], measures: [], filters: [], timeBucket: null, limit: 10 }, {})).toEqual({ limit: 10 });
  });
});
