import { describe, expect, it } from 'vitest';
import { anomalySentence, chartSentence, forecastSentence, trendSentence, type AnomalyFinding, type TrendFinding } from './narrative.js';

/** The numbers in a sentence, in order, after removing the given texts (column names, timestamps). */
const numbersIn = (sentence: string, ...texts: string[]) =>
  texts.reduce((s, t) => s.split(t).join(' '), sentence).match(/[-+]?\d+(?:,\d{3})*(?:\.\d+)?/g) ?? [];

const finding: TrendFinding = {
  column: 'revenue',
  points: 12,
  first: '2024-01',
  last: '2024-12',
  latest: 12345.678,
  slope: 1.23456,
  change: 0.8,
};

describe('trendSentence', () => {
  it('states the numbers of the finding, formatted, in English', () => {
    const s = trendSentence(finding, 'EN');
    expect(s).toBe(
      'revenue trends up over 12 points from 2024-01 to 2024-12: +80% overall, 1.235 per period on average; the latest value is 12,345.7.',
    );
    expect(numbersIn(s, 'revenue', '2024-01', '2024-12')).toEqual(['12', '+80', '1.235', '12,345.7']);
  });

  it('states the numbers of the finding, formatted, in Chinese', () => {
    const s = trendSentence(finding, 'ZH');
    expect(s).toContain('呈上升趋势');
    expect(s).toContain('（2024-01 至 2024-12）');
    expect(numbersIn(s, 'revenue', '2024-01', '2024-12')).toEqual(['12', '+80', '1.235', '12,345.7']);
  });

  it('says down for a fall of 2% or more and flat below that', () => {
    const down = { ...finding, change: -0.25, slope: -0.5 };
    expect(trendSentence(down, 'EN')).toContain('trends down');
    expect(numbersIn(trendSentence(down, 'EN'), 'revenue', '2024-01', '2024-12')).toEqual(['12', '-25', '-0.5', '12,345.7']);
    expect(trendSentence(down, 'ZH')).toContain('呈下降趋势');
    expect(trendSentence({ ...finding, change: -0.02 }, 'ZH')).toContain('呈下降趋势');
    expect(trendSentence({ ...finding, change: 0.02 }, 'EN')).toContain('trends up');
    expect(trendSentence({ ...finding, change: 0.019 }, 'EN')).toContain('is broadly flat');
    expect(trendSentence({ ...finding, change: -0.0199 }, 'EN')).toContain('is broadly flat');
    expect(trendSentence({ ...finding, change: 0.019 }, 'ZH')).toContain('基本持平');
  });

  it('writes a change or slope that rounds to zero as 0, without a sign', () => {
    const tiny = { ...finding, change: -1e-7, slope: -1e-7, latest: -0 };
    expect(trendSentence(tiny, 'EN')).toBe(
      'revenue is broadly flat over 12 points from 2024-01 to 2024-12: 0% overall, 0 per period on average; the latest value is 0.',
    );
    expect(trendSentence({ ...finding, change: -0, slope: -0 }, 'EN')).toContain(': 0% overall, 0 per period');
    expect(trendSentence({ ...finding, change: 1e-9, slope: 0 }, 'EN')).toContain(': 0% overall, 0 per period');
    const zh = trendSentence(tiny, 'ZH');
    expect(zh).toContain('整体变化 0%，每期平均变化 0；最新值为 0。');
    for (const s of [trendSentence(tiny, 'EN'), zh]) expect(s.split('2024-').join('')).not.toMatch(/-0|\+-|\+0%/);
    // Values that do not round to zero keep their sign.
    expect(trendSentence({ ...finding, change: -0.00004, slope: -0.0004 }, 'EN')).toContain(': -0.004% overall, 0 per period');
    expect(trendSentence({ ...finding, change: 0.00004 }, 'EN')).toContain(': +0.004% overall');
  });

  it('leaves out the span when the series has no timestamps', () => {
    const s = trendSentence({ ...finding, first: null, last: null }, 'EN');
    expect(s).toBe('revenue trends up over 12 points: +80% overall, 1.235 per period on average; the latest value is 12,345.7.');
    expect(trendSentence({ ...finding, first: null, last: null }, 'ZH')).not.toContain('至');
  });
});

const spike = (index: number, timestamp: string | null, value: number, expected: number | null, score: number): AnomalyFinding => ({
  index,
  timestamp,
  type: 'SPIKE',
  value,
  expected,
  residual: expected === null ? null : value - expected,
  score,
  drivers: [],
});

const found: AnomalyFinding[] = [
  spike(2, null, 5, 1, 4.1),
  spike(9, '2024-03-01', 1500.25, 1000, 9.87654),
  spike(4, null, -3, 2, 3.6),
  spike(7, null, 77, null, 6),
];

describe('anomalySentence', () => {
  it('names the three strongest anomalies by score, strongest first, with what was expected', () => {
    const s = anomalySentence('revenue', found, 'EN');
    expect(s).toBe(
      '4 anomalies in revenue; the strongest: 2024-03-01 (1,500.3, expected 1,000, score 9.877); point 8 (77, score 6); point 3 (5, expected 1, score 4.1).',
    );
    expect(s).not.toContain('-3');
    expect(numbersIn(s, 'revenue', '2024-03-01')).toEqual(['4', '1,500.3', '1,000', '9.877', '8', '77', '6', '3', '5', '1', '4.1']);
  });

  it('names them in Chinese too, in the same order', () => {
    const s = anomalySentence('revenue', found, 'ZH');
    expect(s).toBe(
      'revenue 发现 4 个异常值，最显著的是：2024-03-01（1,500.3，预期 1,000，异常分数 9.877）；第 8 个点（77，异常分数 6）；第 3 个点（5，预期 1，异常分数 4.1）。',
    );
  });

  it('uses the singular for one anomaly', () => {
    expect(anomalySentence('revenue', [found[0]!], 'EN')).toBe('1 anomaly in revenue; the strongest: point 3 (5, expected 1, score 4.1).');
  });

  it('names the kind of a change and the top driver of the strongest anomaly', () => {
    const shift: AnomalyFinding = {
      index: 30,
      timestamp: '2024-07-01',
      type: 'LEVEL_SHIFT',
      value: 180,
      expected: 120,
      residual: 60,
      score: 7.25,
      drivers: [
        { column: 'region', value: 'East', contribution: 0.8734, actual: 90, expected: 40 },
        { column: 'region', value: 'West', contribution: 0.1266, actual: 30, expected: 20 },
      ],
    };
    const en = anomalySentence('revenue', [shift, found[0]!], 'EN');
    expect(en).toBe(
      '2 anomalies in revenue; the strongest: 2024-07-01 (level shift, 180, expected 120, score 7.25); point 3 (5, expected 1, score 4.1). The strongest comes mostly from region = East (87.34% of the deviation).',
    );
    expect(numbersIn(en, 'revenue', '2024-07-01')).toEqual(['2', '180', '120', '7.25', '3', '5', '1', '4.1', '87.34']);
    expect(anomalySentence('revenue', [shift], 'ZH')).toBe(
      'revenue 发现 1 个异常值，最显著的是：2024-07-01（水平突变，180，预期 120，异常分数 7.25）。最显著的异常主要来自 region = East（占偏差的 87.34%）。',
    );
  });

  it('says when there are none', () => {
    expect(anomalySentence('revenue', [], 'EN')).toBe('No anomalies found in revenue.');
    expect(anomalySentence('revenue', [], 'ZH')).toBe('revenue 未发现异常值。');
  });

  it("does not reorder the caller's findings", () => {
    const copy = [...found];
    anomalySentence('revenue', found, 'EN');
    expect(found).toEqual(copy);
  });
});

describe('forecastSentence', () => {
  const forecast = {
    column: 'revenue',
    horizon: 6,
    first: { timestamp: '2025-01-01', value: 101.25, lower: 90, upper: 110 },
    last: { timestamp: null, value: 130.5, lower: 100.75, upper: 160.125 },
  };

  it('gives the first and last forecast and the last interval', () => {
    const s = forecastSentence(forecast, 'EN');
    expect(s).toBe('revenue is forecast at 101.3 for 2025-01-01 and 130.5 for step 6 (95% interval 100.8 to 160.1).');
    expect(numbersIn(s, 'revenue', '2025-01-01', '95%')).toEqual(['101.3', '130.5', '6', '100.8', '160.1']);
  });

  it('gives the same numbers in Chinese, numbering steps without timestamps', () => {
    const s = forecastSentence({ ...forecast, first: { ...forecast.first, timestamp: null } }, 'ZH');
    expect(s).toContain('第 1 期');
    expect(s).toContain('第 6 期');
    expect(numbersIn(s, 'revenue', '95%')).toEqual(['6', '1', '101.3', '6', '130.5', '100.8', '160.1']);
  });

  it('names the only step once when the horizon is 1', () => {
    const one = {
      column: 'revenue',
      horizon: 1,
      first: { timestamp: null, value: 101.25, lower: 90, upper: 110 },
      last: { timestamp: null, value: 101.25, lower: 90, upper: 110 },
    };
    expect(forecastSentence(one, 'EN')).toBe('revenue is forecast at 101.3 for step 1 (95% interval 90 to 110).');
    expect(forecastSentence(one, 'ZH')).toBe('revenue 未来 1 期预测：第 1 期 约为 101.3（95% 区间 90 至 110）。');
    const dated = { ...one, first: { ...one.first, timestamp: '2025-01-01' }, last: { ...one.last, timestamp: '2025-01-01' } };
    expect(forecastSentence(dated, 'EN')).toBe('revenue is forecast at 101.3 for 2025-01-01 (95% interval 90 to 110).');
    expect(forecastSentence(dated, 'ZH').split('2025-01-01')).toHaveLength(2);
  });
});

describe('chartSentence', () => {
  it('gives the chart type and confidence as a percentage', () => {
    expect(chartSentence('revenue', 'line', 0.8734, 'EN')).toBe('A line chart suits revenue (confidence 87.34%).');
    expect(chartSentence('revenue', 'bar', 1, 'EN')).toBe('A bar chart suits revenue (confidence 100%).');
  });

  it('names known chart types in Chinese and keeps unknown ones as given', () => {
    expect(chartSentence('revenue', 'line', 0.8734, 'ZH')).toBe('建议用折线图展示 revenue（置信度 87.34%）。');
    expect(chartSentence('revenue', 'pie', 0.5, 'ZH')).toBe('建议用饼图展示 revenue（置信度 50%）。');
    expect(chartSentence('revenue', 'area', 0.5, 'ZH')).toBe('建议用area展示 revenue（置信度 50%）。');
  });
});
