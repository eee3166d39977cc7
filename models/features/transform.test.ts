import { describe, expect, it } from 'vitest';
import { gaussian, rng } from '../../lib/random.js';
import { SeasonalDetection, type SeasonalScores } from './seasonalDetection.js';
import { seasonalForecastInput } from './seasonalForecast.js';
import { applyTransform, chooseTransform, invertTransform } from './transform.js';
import { seasonalAnomalyScores } from '../reference/seasonalAnomaly.js';

const months = (n: number) => Array.from({ length: n }, (_, m) => new Date(Date.UTC(2000, m, 1)).toISOString().slice(0, 10));

/** A monthly series growing fourfold; its season and noise either scale with the level or stay fixed. */
function growing(multiplicative: boolean, seed = 3, n = 180) {
  const noise = gaussian(rng(seed));
  return Float64Array.from({ length: n }, (_, t) => {
    const level = 100 * Math.exp((Math.log(4) * t) / n);
    const season = Math.sin((2 * Math.PI * t) / 12);
    return multiplicative ? level * (1 + 0.1 * season + 0.03 * noise()) : level + 10 * season + 3 * noise();
  });
}

describe('chooseTransform (spread against level)', () => {
  it('takes the log of a series whose season and noise grow with it, and leaves an additive one as it is', () => {
    const mult = chooseTransform(growing(true), { periods: [12] });
    expect(mult.transform).toBe('log');
    expect(mult.slope).toBeGreaterThan(0.5);
    const add = chooseTransform(growing(false), { periods: [12] });
    expect(add.transform).toBe('none');
    expect(Math.abs(add.slope)).toBeLessThan(0.5);
  });

  it('never takes the log of a series with a zero or negative value, or one too short to tell', () => {
    const x = growing(true);
    x[50] = 0;
    expect(chooseTransform(x, { periods: [12] }).transform).toBe('none');
    expect(chooseTransform(growing(true).subarray(0, 60), { periods: [12] }).transform).toBe('none');
  });

  it('rarely takes the log of additive series by chance (under 10% of 100)', () => {
    let logs = 0;
    for (let s = 0; s < 100; s++) if (chooseTransform(growing(false, 100 + s), { periods: [12] }).transform === 'log') logs++;
    expect(logs).toBeLessThan(10);
  });

  it('round-trips values', () => {
    const x = [1, 2.5, 1000];
    expect(Array.from(applyTransform(x, 'log'), (v) => invertTransform(v, 'log'))).toEqual(x.map((v) => expect.closeTo(v, 9)));
    expect(Array.from(applyTransform(x, 'none'))).toEqual(x);
  });
});

describe('on the log scale', () => {
  it('a spike late in a multiplicative series is found, with its expected value on the series’ own scale, and no other spike', () => {
    const detect = (x: Float64Array) => {
      const detection = new SeasonalDetection(x, months(x.length));
      expect(detection.transform).toBe('log');
      let rows = detection.rows;
      while (rows) rows = detection.next(seasonalAnomalyScores(rows.residuals, rows.level, rows.scale) as SeasonalScores);
      return detection.flags();
    };
    // Spikes of 20% (about seven noise levels) early and late: the same ratio, four times the size in units late.
    const clean = detect(growing(true));
    expect(clean).toEqual([]);
    const x = growing(true);
    const at = [40, 150];
    for (const p of at) x[p]! *= 1.2;
    const flags = detect(x).filter((f) => f.type === 'SPIKE');
    expect(flags.map((f) => f.index)).toEqual(at);
    for (const f of flags) {
      // The expected value is what the point was before the spike, give or take its noise (3%).
      expect(Math.abs(f.expected / (f.value / 1.2) - 1)).toBeLessThan(0.1);
      expect(f.residual).toBeCloseTo(f.value - f.expected, 9);
    }
  });

  it('the forecast input of a multiplicative series is on the log scale and restores to the series’ own', () => {
    const x = growing(true);
    const input = seasonalForecastInput(x, months(x.length));
    expect(input.transform).toBe('log');
    // The last deseasonalised point, put back: within the season's ±10% of the last value.
    expect(input.restore(input.base) / x.at(-1)!).toBeGreaterThan(0.85);
    expect(input.restore(input.base) / x.at(-1)!).toBeLessThan(1.15);
    expect(input.base).toBeLessThan(10);
  });
});
