import { describe, expect, it } from 'vitest';
import { gaussian, rng } from '../../lib/random.js';
import { timeAxis } from './calendar.js';
import { acf, detectPeriods } from './period.js';

const days = (n: number) => Array.from({ length: n }, (_, t) => new Date(Date.UTC(2020, 0, 1 + t)).toISOString().slice(0, 10));
const months = (n: number) => Array.from({ length: n }, (_, m) => new Date(Date.UTC(2000, m, 1)).toISOString().slice(0, 10));

describe('detectPeriods', () => {
  it('finds the yearly season of a monthly series', () => {
    const noise = gaussian(rng(1));
    const x = Array.from({ length: 120 }, (_, t) => 50 + 0.2 * t + 5 * Math.sin((2 * Math.PI * t) / 12) + noise());
    expect(detectPeriods(x, timeAxis(months(120), 120))).toEqual([12]);
  });

  it('finds the week and the year of a daily series that has both, and not a week that is only persistence', () => {
    const noise = gaussian(rng(2));
    const both = Array.from({ length: 1100 }, (_, t) => 20 + 6 * Math.sin((2 * Math.PI * t) / 365.25) + (t % 7 >= 5 ? -4 : 1) + noise());
    expect(detectPeriods(both, timeAxis(days(1100), 1100))).toEqual([365.25, 7]);
    // Warm days follow warm days (AR(1), φ = 0.7) with a yearly season: no weekly one.
    let ar = 0;
    const persistent = Array.from({ length: 1100 }, (_, t) => {
      ar = 0.7 * ar + 2 * noise();
      return 20 + 6 * Math.sin((2 * Math.PI * t) / 365.25) + ar;
    });
    expect(detectPeriods(persistent, timeAxis(days(1100), 1100))).toEqual([365.25]);
  });

  it('finds nothing in noise or a random walk, or in a series too short for two cycles', () => {
    const noise = gaussian(rng(3));
    expect(
      detectPeriods(
        Array.from({ length: 200 }, () => noise()),
        timeAxis(months(200), 200),
      ),
    ).toEqual([]);
    let walk = 0;
    expect(
      detectPeriods(
        Array.from({ length: 200 }, () => (walk += noise())),
        timeAxis(months(200), 200),
      ),
    ).toEqual([]);
    const short = Array.from({ length: 24 }, (_, t) => Math.sin((2 * Math.PI * t) / 12));
    expect(detectPeriods(short, timeAxis(months(24), 24))).toEqual([]);
  });

  it('finds only the day in an hourly series whose weekdays are alike, and the week too where they differ', () => {
    const hours = (n: number) => Array.from({ length: n }, (_, t) => new Date(Date.UTC(2024, 0, 1, t)).toISOString());
    const noise = gaussian(rng(6));
    const daily = Array.from({ length: 24 * 7 * 8 }, (_, t) => 50 + 10 * Math.sin((2 * Math.PI * t) / 24) + noise());
    // 168 = 7 × 24: the daily cycle alone correlates at a week's lag; judged with the day taken out, no week.
    expect(detectPeriods(daily, timeAxis(hours(daily.length), daily.length))).toEqual([24]);
    const weekly = daily.map((v, t) => v + (Math.floor(t / 24) % 7 >= 5 ? -8 : 2));
    expect(detectPeriods(weekly, timeAxis(hours(weekly.length), weekly.length))).toEqual([168, 24]);
  });

  it('searches the lags of a series without timestamps', () => {
    const noise = gaussian(rng(4));
    const x = Array.from({ length: 300 }, (_, t) => 3 * Math.sin((2 * Math.PI * t) / 10) + 0.5 * noise());
    expect(detectPeriods(x, timeAxis(null, 300))).toEqual([10]);
  });
});

describe('acf', () => {
  it('is 1 at lag 0-like shifts of a periodic series and about -1 at half the period', () => {
    const x = Array.from({ length: 400 }, (_, t) => Math.sin((2 * Math.PI * t) / 20));
    expect(acf(x, 20)).toBeGreaterThan(0.9);
    expect(acf(x, 10)).toBeLessThan(-0.9);
    expect(acf(x, 0)).toBe(0);
  });
});

describe('detectPeriods with spikes', () => {
  it('keeps the yearly season of a monthly series with a few spikes far above it (the autocorrelation reads clipped values)', () => {
    const noise = gaussian(rng(9));
    const x = Array.from({ length: 122 }, (_, t) => 100 + 0.1 * t + 5 * Math.sin((2 * Math.PI * t) / 12) + noise());
    for (const [t, size] of [
      [20, 60],
      [61, -60],
      [95, 60],
    ] as const)
      x[t]! += size;
    expect(detectPeriods(x, timeAxis(months(122), 122))).toEqual([12]);
  });
});

describe('detectPeriods with one sharp peak a cycle', () => {
  it('keeps a season that is one month far above the rest (December sales), which clipping alone would cut away', () => {
    let found = 0;
    for (let s = 0; s < 20; s++) {
      const noise = gaussian(rng(300 + s));
      const x = Array.from({ length: 36 }, (_, t) => 100 + noise() + (t % 12 === 11 ? 40 : 0));
      if (detectPeriods(x, timeAxis(months(36), 36)).join() === '12') found++;
    }
    expect(found).toBe(20);
  });

  it('judges a year of daily values on about monthly means: a weak yearly season in noisy daily counts is found', () => {
    const noise = gaussian(rng(31));
    // Counts of about 2.5 a day, a third more in late summer than in winter.
    const x = Array.from({ length: 1461 }, (_, t) =>
      Math.max(0, Math.round(2.5 + 0.8 * Math.sin((2 * Math.PI * t) / 365.25) + 1.6 * noise())),
    );
    expect(detectPeriods(x, timeAxis(days(1461), 1461))).toEqual([365.25]);
  });
});

describe('detectPeriods without timestamps', () => {
  it('does not take the lag between two outliers far above the noise for a period', () => {
    let found = 0;
    for (let s = 0; s < 10; s++) {
      const noise = gaussian(rng(700 + s));
      const x = Array.from({ length: 120 }, () => noise());
      x[20]! += 12;
      x[20 + 17 + s]! += 12;
      if (detectPeriods(x, timeAxis(null, 120)).includes(17 + s)) found++;
    }
    expect(found).toBe(0);
  });
});
