import { describe, expect, it } from 'vitest';
import { CHART_TYPES, rowsAsObjects, vegaLiteSpec, VEGA_LITE_SCHEMA, type ChartRoles } from './vegaLite.js';

const roles: ChartRoles = { time: 'month', categories: ['region'], numericDimensions: [], measures: ['sum_revenue'] };

describe('vegaLiteSpec', () => {
  it('draws every chart type from fields of the result', () => {
    const fields = new Set(['month', 'region', 'sum_revenue', 'value', 'measure', 'row', 'column', 'cell']);
    for (const type of CHART_TYPES) {
      const spec = vegaLiteSpec(type, roles, { name: 'rows' });
      expect(spec.$schema).toBe(VEGA_LITE_SCHEMA);
      expect(spec.data).toEqual({ name: 'rows' });
      const used = JSON.stringify(spec.encoding)
        .match(/"field":"([^"]*)"/g)!
        .map((f) => f.slice(9, -1));
      for (const f of used) expect(fields.has(f), `${type} encodes ${f}`).toBe(true);
    }
  });

  it('folds several measures into one axis, coloured by measure', () => {
    const spec = vegaLiteSpec('bar', { time: null, categories: ['region'], numericDimensions: [], measures: ['a', 'b'] }, { name: 'rows' });
    expect(spec.transform).toEqual([{ fold: ['a', 'b'], as: ['measure', 'value'] }]);
    expect(spec.encoding).toMatchObject({ y: { field: 'value' }, color: { field: 'measure' }, xOffset: { field: 'measure' } });
  });

  it('carries inline rows as objects keyed by column name', () => {
    const values = rowsAsObjects([{ name: 'region' }, { name: 'sum_revenue' }], [['East', 10]]);
    expect(values).toEqual([{ region: 'East', sum_revenue: 10 }]);
    expect(vegaLiteSpec('pie', roles, { values }).data).toEqual({ values });
  });
});
