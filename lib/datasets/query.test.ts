import { describe, expect, it } from 'vitest';
import { compileQuery, type DatasetQuery } from './query.js';
import type { ColumnSpec } from './tables.js';

const columns: ColumnSpec[] = [
  { name: 'month', type: 'DATE' },
  { name: 'region', type: 'TEXT' },
  { name: 'revenue', type: 'FLOAT' },
  { name: 'orders', type: 'INTEGER' },
  { name: 'odd "name"; --', type: 'TEXT' },
];
const compile = (q: DatasetQuery) => compileQuery('ds_1_v1', columns, q, { maxRows: 1000 });
const fieldOf = (q: DatasetQuery) => {
  try {
    compile(q);
  } catch (err) {
    return (err as { extensions: { code: string; field: string } }).extensions;
  }
  throw new Error('compiled');
};

describe('compileQuery', () => {
  it('compiles dimensions, a time bucket and measures into one grouped statement', () => {
    const c = compile({
      dimensions: ['region'],
      timeBucket: { column: 'month', unit: 'MONTH' },
      measures: [
        { column: 'revenue', agg: 'SUM' },
        { column: 'orders', agg: 'MEDIAN' },
        { column: '*', agg: 'COUNT' },
      ],
    });
    expect(c.sql).toBe(
      'SELECT "region", date_trunc(\'month\', "month")::date, sum("revenue")::float8, ' +
        'percentile_cont(0.5) WITHIN GROUP (ORDER BY "orders")::float8, count(*) FROM "data"."ds_1_v1" ' +
        'GROUP BY 1, 2 ORDER BY 2 ASC, 1 ASC LIMIT $1',
    );
    expect(c.params).toEqual([1001]);
    expect(c.columns).toEqual([
      { name: 'region', type: 'TEXT' },
      { name: 'month', type: 'DATE' },
      { name: 'sum_revenue', type: 'FLOAT' },
      { name: 'median_orders', type: 'FLOAT' },
      { name: 'count_rows', type: 'INTEGER' },
    ]);
  });

  it('binds every value and quotes every identifier, whatever they contain', () => {
    const evil = 'x\'; DROP TABLE "User"; --';
    const c = compile({
      dimensions: ['odd "name"; --'],
      measures: [{ column: 'orders', agg: 'SUM' }],
      filters: [
        { column: 'region', op: 'EQ', value: evil },
        { column: 'region', op: 'CONTAINS', value: '50%_off' },
        { column: 'orders', op: 'IN', values: [1, '2'] },
        { column: 'month', op: 'BETWEEN', values: ['2024-01-01', '2024-12-31'] },
        { column: 'revenue', op: 'IS_NULL', value: false },
      ],
      orderBy: [{ column: 'sum_orders', direction: 'DESC' }],
      limit: 10,
    });
    expect(c.sql).not.toContain('DROP');
    expect(c.sql).not.toContain('50%');
    expect(c.sql).toContain('"odd ""name""; --"');
    expect(c.sql).toContain('"orders" = ANY($3::bigint[])');
    expect(c.sql).toContain('"revenue" IS NOT NULL');
    expect(c.sql).toContain('ORDER BY 2 DESC NULLS LAST');
    expect(c.params).toEqual([evil, '50%_off', ['1', '2'], '2024-01-01', '2024-12-31', 10]);
  });

  it('names the field of each mistake', () => {
    expect(fieldOf({ dimensions: ['nope'] })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.dimensions.0' });
    expect(fieldOf({ measures: [{ column: 'region', agg: 'SUM' }] }).field).toBe('input.measures.0.agg');
    expect(fieldOf({ measures: [{ column: 'region', agg: 'AVG' }] }).field).toBe('input.measures.0.agg');
    expect(fieldOf({ measures: [{ column: 'revenue', agg: 'SUM' }], filters: [{ column: 'orders', op: 'EQ', value: 'ten' }] }).field).toBe(
      'input.filters.0.value',
    );
    expect(fieldOf({ measures: [{ column: 'revenue', agg: 'SUM' }], filters: [{ column: 'x', op: 'EQ', value: 1 }] }).field).toBe(
      'input.filters.0.column',
    );
    expect(
      fieldOf({ measures: [{ column: 'revenue', agg: 'SUM' }], filters: [{ column: 'orders', op: 'BETWEEN', values: [1] }] }).field,
    ).toBe('input.filters.0.values');
    expect(fieldOf({ timeBucket: { column: 'region', unit: 'DAY' } }).field).toBe('input.timeBucket.column');
    expect(fieldOf({ measures: [{ column: 'revenue', agg: 'SUM' }], limit: 5000 }).field).toBe('input.limit');
    expect(fieldOf({ measures: [{ column: 'revenue', agg: 'SUM' }], orderBy: [{ column: 'region' }] }).field).toBe(
      'input.orderBy.0.column',
    );
    expect(fieldOf({}).field).toBe('input');
  });

  it('takes dates and times PostgreSQL takes, and names the field of any other (not a server error)', () => {
    const on = (value: string) => ({
      measures: [{ column: 'revenue', agg: 'SUM' as const }],
      filters: [{ column: 'month', op: 'GT' as const, value }],
    });
    const ok = [
      '2020-02-29',
      '2024-1-5',
      '2020-02-01T10:20',
      '2020-02-01 10:20:30.123456',
      '2020-02-01T00:00:00+05:30',
      '2024-01-15T10:20:30.123456789Z',
    ];
    for (const v of [...ok, '2020-01-01T24:00', '2024/01/15', '1/15/2024', 'Jan 15 2024', '2024-01-15 10:20:30 UTC'])
      expect(() => compile(on(v)), v).not.toThrow();
    // JavaScript's Date.parse takes each of these (as a year, or rolled over into the next month); PostgreSQL refuses them.
    for (const bad of ['1', '0', ' 2024 ', '2021-02-29', '2020-02-30', '2020-13-01', '+275760-09-13', '0000-01-01', 'soon'])
      expect(fieldOf(on(bad)), bad).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.filters.0.value' });
  });
});
