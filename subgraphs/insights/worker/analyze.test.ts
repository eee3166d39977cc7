import { describe, expect, it } from 'vitest';
import { futureTimestamps, trend } from './analyze.js';

const series = (values: number[], timestamps: string[] | null = null) => ({ values: Float64Array.from(values), timestamps });

describe('futureTimestamps', () => {
  it('steps a monthly series by calendar months', () => {
    expect(futureTimestamps(['2024-01-01', '2024-02-01', '2024-03-01'], 3)).toEqual(['2024-04-01', '2024-05-01', '2024-06-01']);
    expect(futureTimestamps(['2024-10-01', '2024-11-01', '2024-12-01'], 2)).toEqual(['2025-01-01', '2025-02-01']);
  });

  it('keeps the day of the month of a series on the 15th through February', () => {
    expect(futureTimestamps(['2024-11-15', '2024-12-15', '2025-01-15'], 2)).toEqual(['2025-02-15', '2025-03-15']);
  });

  it('steps quarterly and yearly series by 3 and 12 months', () => {
    expect(futureTimestamps(['2024-01-01', '2024-04-01', '2024-07-01'], 3)).toEqual(['2024-10-01', '2025-01-01', '2025-04-01']);
    expect(futureTimestamps(['2021-01-01', '2022-01-01', '2023-01-01'], 2)).toEqual(['2024-01-01', '2025-01-01']);
  });

  it('keeps a series on month ends on month ends, without rolling over into the next month', () => {
    expect(futureTimestamps(['2023-11-30', '2023-12-31', '2024-01-31'], 3)).toEqual(['2024-02-29', '2024-03-31', '2024-04-30']);
    expect(futureTimestamps(['2024-01-31', '2024-02-29', '2024-03-31'], 4)).toEqual([
      '2024-04-30',
      '2024-05-31',
      '2024-06-30',
      '2024-07-31',
    ]);
    expect(futureTimestamps(['2023-01-31', '2023-02-28'], 2)).toEqual(['2023-03-31', '2023-04-30']);
  });

  it('keeps the day of the month, capped at the last day of shorter months', () => {
    expect(futureTimestamps(['2023-11-30', '2023-12-30', '2024-01-30'], 3)).toEqual(['2024-02-29', '2024-03-30', '2024-04-30']);
    // The last point was capped at 29 February: the series' day (30) comes back in March.
    expect(futureTimestamps(['2023-12-30', '2024-01-30', '2024-02-29'], 2)).toEqual(['2024-03-30', '2024-04-30']);
    expect(futureTimestamps(['2023-04-30', '2023-05-30', '2023-06-30'], 1)).toEqual(['2023-07-30']);
    expect(futureTimestamps(['2024-01-29T12:00:00Z', '2024-02-29T12:00:00Z'], 1)).toEqual(['2024-03-29T12:00:00.000Z']);
  });

  it('applies the same calendar rules to quarterly and yearly steps', () => {
    expect(futureTimestamps(['2023-05-31', '2023-08-31', '2023-11-30'], 3)).toEqual(['2024-02-29', '2024-05-31', '2024-08-31']);
    expect(futureTimestamps(['2023-06-30', '2023-09-30', '2023-12-31'], 2)).toEqual(['2024-03-31', '2024-06-30']);
    expect(futureTimestamps(['2022-08-31', '2022-11-30'], 1)).toEqual(['2023-02-28']);
    expect(futureTimestamps(['2020-02-29', '2021-02-28', '2022-02-28', '2023-02-28'], 2)).toEqual(['2024-02-29', '2025-02-28']);
    expect(futureTimestamps(['2022-01-31', '2023-01-31'], 1)).toEqual(['2024-01-31']);
  });

  it('steps a series with an offset in its own local calendar, answering UTC ISO timestamps', () => {
    expect(futureTimestamps(['2024-01-01T00:00:00+08:00', '2024-02-01T00:00:00+08:00'], 3)).toEqual([
      '2024-02-29T16:00:00.000Z',
      '2024-03-31T16:00:00.000Z',
      '2024-04-30T16:00:00.000Z',
    ]);
    // Month ends at 23:30 in New York (UTC−5) fall on the next day in UTC.
    expect(futureTimestamps(['2023-12-31T23:30:00-05:00', '2024-01-31T23:30:00-05:00'], 2)).toEqual([
      '2024-03-01T04:30:00.000Z',
      '2024-04-01T04:30:00.000Z',
    ]);
    expect(futureTimestamps(['2023-10-01 00:00:00+0800', '2024-01-01 00:00:00+0800'], 1)).toEqual(['2024-03-31T16:00:00.000Z']);
  });

  it('answers nulls for a series with an unreadable timestamp', () => {
    expect(futureTimestamps(['2024-01-01', 'not a date'], 2)).toEqual([null, null]);
  });

  it('steps daily and weekly series by a fixed interval', () => {
    expect(futureTimestamps(['2024-02-27', '2024-02-28', '2024-02-29'], 2)).toEqual(['2024-03-01', '2024-03-02']);
    expect(futureTimestamps(['2024-01-01', '2024-01-08', '2024-01-15'], 2)).toEqual(['2024-01-22', '2024-01-29']);
  });

  it('uses the median step, so an odd short or long gap does not change the spacing', () => {
    expect(futureTimestamps(['2024-01-01', '2024-01-03', '2024-01-04', '2024-01-06', '2024-01-13'], 2)).toEqual([
      '2024-01-15',
      '2024-01-17',
    ]);
  });

  it('answers full ISO timestamps for timestamped series and dates for date-only ones', () => {
    expect(futureTimestamps(['2024-03-01T00:00:00.000Z', '2024-03-01T01:00:00.000Z', '2024-03-01T02:00:00.000Z'], 2)).toEqual([
      '2024-03-01T03:00:00.000Z',
      '2024-03-01T04:00:00.000Z',
    ]);
    expect(futureTimestamps(['2024-01-01T09:30:00Z', '2024-02-01T09:30:00Z'], 1)).toEqual(['2024-03-01T09:30:00.000Z']);
  });

  it('answers nulls when fewer than two timestamps are known', () => {
    expect(futureTimestamps(null, 2)).toEqual([null, null]);
    expect(futureTimestamps([], 1)).toEqual([null]);
    expect(futureTimestamps(['2024-01-01'], 3)).toEqual([null, null, null]);
  });

  it('answers as many timestamps as asked', () => {
    expect(futureTimestamps(['2024-01-01', '2024-01-02'], 0)).toEqual([]);
    expect(futureTimestamps(['2024-01-01', '2024-01-02'], 5)).toHaveLength(5);
  });
});

describe('trend', () => {
  it('fits the slope and relative change of a straight line', () => {
    expect(trend('sales', series([10, 12, 14, 16, 18]))).toEqual({
      column: 'sales',
      points: 5,
      slope: 2,
      change: 0.8,
      latest: 18,
      first: null,
      last: null,
    });
    const down = trend('sales', series([100, 80, 60, 40]));
    expect(down.slope).toBe(-20);
    expect(down.change).toBeCloseTo(-0.6, 12);
  });

  it('fits noisy data by least squares', () => {
    const f = trend('sales', series([1, 3, 2, 4]));
    expect(f.slope).toBeCloseTo(0.8, 12);
    expect(f.change).toBeCloseTo(2.4 / 1.3, 12);
    expect(f.latest).toBe(4);
  });

  it('reports a flat series as no slope and no change', () => {
    expect(trend('sales', series([5, 5, 5]))).toMatchObject({ slope: 0, change: 0, latest: 5 });
    expect(trend('sales', series([7]))).toMatchObject({ points: 1, slope: 0, change: 0, latest: 7 });
  });

  it('reports change 0 when the fitted start is 0, and measures change against |start|', () => {
    expect(trend('sales', series([0, 1, 2]))).toMatchObject({ slope: 1, change: 0 });
    expect(trend('sales', series([-2, 0, 2]))).toMatchObject({ slope: 2, change: 2 });
  });

  it('refuses an empty series with a clear error instead of answering NaN', () => {
    expect(() => trend('sales', series([]))).toThrow('trend: the series of sales is empty');
  });

  it('names the first and last timestamps of the series', () => {
    expect(trend('sales', series([1, 2, 3], ['2024-01', '2024-02', '2024-03']))).toMatchObject({ first: '2024-01', last: '2024-03' });
  });
});
