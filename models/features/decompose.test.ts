import { describe, expect, it } from 'vitest';
import { gaussian, rng } from '../../lib/random.js';
import { chooseTrendWidth, decompose, localLinear, solveAugmented, TREND_WIDTHS } from './decompose.js';

const rms = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s / a.length);
};

/** Trend + a yearly season of two harmonics + noise σ, monthly. */
function monthly(length: number, sigma: number, seed = 1) {
  const noise = gaussian(rng(seed));
  const truth = Float64Array.from(
    { length },
    (_, t) => 100 + 0.5 * t + 10 * Math.sin((2 * Math.PI * t) / 12) + 4 * Math.cos((4 * Math.PI * t) / 12),
  );
  return { truth, values: truth.map((v) => v + sigma * noise()) };
}

describe('decompose', () => {
  it('recovers trend + season to well within the noise, and reads the noise from the residuals', () => {
    const { truth, values } = monthly(240, 1);
    const d = decompose(values, { periods: [12] });
    expect(rms(d.expected, truth)).toBeLessThan(0.6);
    expect(d.scale).toBeGreaterThan(0.8);
    expect(d.scale).toBeLessThan(1.2);
    d.residual.forEach((r, i) => expect(r).toBeCloseTo(values[i]! - d.expected[i]!, 9));
  });

  it('leaves a spike in the residual (weight 0) without bending the fit around it', () => {
    const { truth, values } = monthly(120, 0.5, 2);
    const spiked = values.slice();
    spiked[60]! += 20;
    const d = decompose(spiked, { periods: [12] });
    expect(d.weights[60]).toBe(0);
    expect(d.residual[60]).toBeGreaterThan(18);
    expect(Math.abs(d.expected[60]! - truth[60]!)).toBeLessThan(1);
    expect(Math.abs(d.expected[59]! - truth[59]!)).toBeLessThan(1);
  });

  it('fits a season that is not a whole number of steps (365.25 days) and carries it past the end', () => {
    const noise = gaussian(rng(3));
    const day = (t: number) => 15 + 8 * Math.sin((2 * Math.PI * t) / 365.25);
    const values = Float64Array.from({ length: 1461 }, (_, t) => day(t) + noise());
    const d = decompose(values, { periods: [365.25] });
    expect(
      rms(
        d.expected,
        Float64Array.from({ length: 1461 }, (_, t) => day(t)),
      ),
    ).toBeLessThan(0.35);
    // The season a year after the end is the season of the last year.
    expect(d.seasonAt(1461 + 91)).toBeCloseTo(d.season[1461 + 91 - 365]!, 0);
  });

  it('follows a drifting season over a long series in windows (hourly, a year) as one direct fit per window would', () => {
    // A daily cycle whose amplitude follows the year, hourly for a year: 365 local fits.
    const noise = gaussian(rng(5));
    const truth = Float64Array.from(
      { length: 8760 },
      (_, t) => 10 + (4 + 3 * Math.sin((2 * Math.PI * t) / 8760)) * Math.sin((2 * Math.PI * t) / 24),
    );
    const values = truth.map((v) => v + 0.3 * noise());
    const started = performance.now();
    const d = decompose(values, { periods: [24] });
    const took = performance.now() - started;
    expect(rms(d.expected, truth)).toBeLessThan(0.12);
    expect(d.scale).toBeGreaterThan(0.25);
    expect(d.scale).toBeLessThan(0.35);
    // Each window's equations are summed once, not once per window that sees them (was ~10 s here).
    expect(took).toBeLessThan(5000);
  });

  it('places points by their positions: a missing month leaves a gap, not a shifted season', () => {
    const { truth, values } = monthly(96, 0.3, 4);
    const keep = Array.from({ length: 96 }, (_, i) => i).filter((i) => i !== 30 && i !== 31);
    const d = decompose(
      keep.map((i) => values[i]!),
      { periods: [12], positions: keep },
    );
    expect(
      rms(
        d.expected,
        keep.map((i) => truth[i]!),
      ),
    ).toBeLessThan(0.4);
  });

  it('has no season without a period', () => {
    expect(decompose([1, 2, 3, 4, 5, 6, 7, 8]).season.every((s) => s === 0)).toBe(true);
  });
});

describe('localLinear', () => {
  it('reproduces a straight line exactly, ends included', () => {
    const y = Array.from({ length: 20 }, (_, t) => 3 + 2 * t);
    const x = Array.from({ length: 20 }, (_, t) => t);
    localLinear(y, x, 4).forEach((v, i) => expect(v).toBeCloseTo(y[i]!, 9));
  });
});

describe('solveAugmented', () => {
  it('solves a small system', () => {
    // [4 1 | 1; 1 3 | 2], row-major with the right-hand side last.
    const x = solveAugmented(Float64Array.of(4, 1, 1, 1, 3, 2), 2);
    expect(x[0]).toBeCloseTo(1 / 11, 6);
    expect(x[1]).toBeCloseTo(7 / 11, 6);
  });
});

describe('chooseTrendWidth', () => {
  it('follows a random walk with the narrowest window and averages noise around a line with a wide one', () => {
    const noise = gaussian(rng(21));
    let walk = 0;
    const walking = Array.from({ length: 300 }, () => (walk += noise()));
    expect(chooseTrendWidth(walking)).toBe(TREND_WIDTHS[0]);
    const line = Array.from({ length: 300 }, (_, t) => 10 + 0.05 * t + noise());
    expect(chooseTrendWidth(line)).toBeGreaterThanOrEqual(11);
  });
});

describe('decompose with a narrow trend', () => {
  it('expects a huge spike at its neighbours’ level, even where the spike has pulled every point within reach out of the fit', () => {
    const noise = gaussian(rng(22));
    let walk = 20;
    const x = Float64Array.from({ length: 60 }, () => (walk += 0.5 * noise()));
    const before = x[30]!;
    x[30]! -= 150;
    const d = decompose(x, { trendWidth: 3 });
    expect(d.weights[30]).toBe(0);
    expect(Math.abs(d.expected[30]! - before)).toBeLessThan(3);
    expect(d.residual[30]).toBeLessThan(-140);
  });
});

describe('localLinear with every point in reach out of the fit', () => {
  it('reaches out to the nearest weighted points, even with a window of no width', () => {
    const out = localLinear([1, 2, 30, 4, 5], [0, 1, 2, 3, 4], 0, [1, 1, 0, 1, 1]);
    expect(out[2]).toBeCloseTo(3, 6);
    expect(Array.from(localLinear([1, 2, 3, 4], [0, 1, 2, 3], 1, [0, 0, 0, 0]))).toEqual([1, 2, 3, 4]);
  });
});
