import { describe, expect, it } from 'vitest';
import { analysisOption, chartOption, defaultChartKind, shortTime } from './charts.js';

const columns = (...specs: string[]) => specs.map((s) => ({ name: s.split(':')[0]!, type: s.split(':')[1]! }));

describe('the chart a result is first drawn as', () => {
  it('follows the query shape: number, line over time, scatter, heatmap, else bars', () => {
    expect(defaultChartKind({ columns: columns('sum:FLOAT'), rows: [[5]] }, { keys: 0, time: null })).toBe('number');
    expect(defaultChartKind({ columns: columns('month:DATE', 'sum:FLOAT'), rows: [] }, { keys: 1, time: 0 })).toBe('line');
    expect(
      defaultChartKind(
        {
          columns: columns('a:FLOAT', 'b:FLOAT'),
          rows: [
            [1, 2],
            [3, 4],
          ],
        },
        { keys: 0, time: null },
      ),
    ).toBe('scatter');
    expect(defaultChartKind({ columns: columns('r:TEXT', 's:TEXT', 'n:INTEGER'), rows: [] }, { keys: 2, time: null })).toBe('heatmap');
    expect(defaultChartKind({ columns: columns('r:TEXT', 'n:INTEGER'), rows: [] }, { keys: 1, time: null })).toBe('bar');
  });
});

describe('chartOption', () => {
  const result = {
    columns: columns('region:TEXT', 'month:DATE', 'sum_revenue:FLOAT'),
    rows: [
      ['North', '2025-01-01', 10],
      ['South', '2025-01-01', 7],
      ['North', '2025-02-01', 12],
    ],
  };

  it('draws one line per value of the other key, over the time bucket, with gaps left empty', () => {
    const option = chartOption('line', result, { keys: 2, time: 1 }) as any;
    expect(option.xAxis.data).toEqual(['2025-01-01', '2025-02-01']);
    expect(option.series.map((s: any) => [s.name, s.data])).toEqual([
      ['North', [10, 12]],
      ['South', [7, null]],
    ]);
  });

  it('draws a heatmap on the two keys and answers null for kinds drawn without a chart', () => {
    const option = chartOption('heatmap', result, { keys: 2, time: 1 }) as any;
    expect(option.series[0].data).toEqual([
      [0, 0, 10],
      [1, 0, 7],
      [0, 1, 12],
    ]);
    expect(chartOption('table', result, { keys: 2, time: 1 })).toBeNull();
    expect(chartOption('line', { columns: columns('r:TEXT'), rows: [['a']] }, { keys: 1, time: null })).toBeNull();
  });
});

describe('analysisOption', () => {
  it('marks anomalies at their positions and draws the forecast band after the series', () => {
    const series = [0, 1, 2].map((i) => ({ timestamp: `2025-01-0${i + 1}`, value: i === 1 ? 50 : 10 }));
    const forecast = [{ timestamp: '2025-01-04T00:00:00.000Z', value: 11, lower: 8, upper: 14 }];
    const option = analysisOption(series, [{ index: 1, value: 50, score: 9 }], forecast, {
      value: 'v',
      anomalies: 'a',
      forecast: 'f',
      interval: 'i',
    }) as any;
    expect(option.xAxis.data).toEqual(['2025-01-01', '2025-01-02', '2025-01-03', '2025-01-04']);
    const [values, anomalies, line, lower, width] = option.series;
    expect(values.data).toEqual([10, 50, 10]);
    expect(anomalies.data).toEqual([[1, 50]]);
    expect(line.data).toEqual([null, null, 10, 11]); // joined to the last observed point
    expect(lower.data).toEqual([null, null, null, 8]);
    expect(width.data).toEqual([null, null, null, 6]);
    expect(lower.stack).toBe(width.stack);
  });

  it('says a midnight-UTC time as a date', () => {
    expect(shortTime('2025-03-02T00:00:00.000Z')).toBe('2025-03-02');
    expect(shortTime('2025-03-02T10:00:00.000Z')).toBe('2025-03-02T10:00:00.000Z');
  });
});
