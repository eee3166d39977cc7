import { describe, expect, it } from 'vitest';
import { chartSeries, chartSvg } from './charts.js';

const byMonth = {
  columns: [
    { name: 'month', type: 'DATE' as const },
    { name: 'sum_revenue', type: 'FLOAT' as const },
    { name: 'sum_orders', type: 'INTEGER' as const },
  ],
  rows: [
    ['2025-01-01', 10, 1],
    ['2025-02-01', 20, 2],
  ],
};

describe('chartSeries', () => {
  it('puts x (or the first column) on the axis and the named measure as the series', () => {
    expect(chartSeries({ chart: { type: 'line', x: 'month', y: 'revenue' }, ...byMonth })).toEqual({
      categories: ['2025-01-01', '2025-02-01'],
      series: [{ name: 'sum_revenue', values: [10, 20] }],
    });
    expect(chartSeries({ chart: { type: 'bar' }, ...byMonth }).series.map((s) => s.name)).toEqual(['sum_revenue', 'sum_orders']);
  });

  it('splits the first measure by a second dimension, one series per value, gaps as null', () => {
    const columns = [
      { name: 'month', type: 'DATE' as const },
      { name: 'region', type: 'TEXT' as const },
      { name: 'sum_revenue', type: 'FLOAT' as const },
    ];
    const rows = [
      ['2025-01-01', 'North', 1],
      ['2025-01-01', 'South', 2],
      ['2025-02-01', 'North', 3],
    ];
    expect(chartSeries({ chart: { type: 'line' }, columns, rows })).toEqual({
      categories: ['2025-01-01', '2025-02-01'],
      series: [
        { name: 'North', values: [1, 3] },
        { name: 'South', values: [2, null] },
      ],
    });
  });
});

describe('chartSvg', () => {
  it.each(['line', 'area', 'bar', 'pie', 'scatter'])('draws a %s chart as SVG with its labels as text', (type) => {
    const svg = chartSvg({ chart: { type }, columns: byMonth.columns.slice(0, 2), rows: byMonth.rows.map((r) => r.slice(0, 2)) })!;
    expect(svg.startsWith('<svg')).toBe(true);
    if (type !== 'scatter') expect(svg).toContain('2025-02-01');
  });

  it('draws nothing for a type it does not draw, or no rows: the section prints as a table', () => {
    expect(chartSvg({ chart: { type: 'heatmap' }, ...byMonth })).toBeNull();
    expect(chartSvg({ chart: { type: 'line' }, columns: byMonth.columns, rows: [] })).toBeNull();
    expect(chartSvg({ chart: undefined, ...byMonth })).toBeNull();
  });

  it('escapes what the data says', () => {
    const svg = chartSvg({ chart: { type: 'bar' }, columns: byMonth.columns.slice(0, 2), rows: [['<script>x</script>', 1]] })!;
    expect(svg).not.toContain('<script>');
  });
});
