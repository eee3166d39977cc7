import { describe, expect, it } from 'vitest';
import { gaussian, rng } from '../../lib/random.js';
import { applySelecting, selectingForecaster } from '../reference/holt.js';
import { backtestOrigins, CALIBRATION_ORIGINS, calibratedHalfWidths, FIRST_ORIGIN, MIN_CALIBRATION_ERRORS } from './forecastCalibration.js';
import { FORECAST_HISTORY, seasonalForecastInput } from './seasonalForecast.js';
import { co2Series } from '../training/publicSeries.js';

describe('calibratedHalfWidths', () => {
  it('is the ⌈0.95 (m + 1)⌉-th smallest absolute error of each horizon', () => {
    // 20 origins; the error h + 1 steps ahead from origin r is (r + 1) · (h + 1).
    const origins = Array.from({ length: 20 }, (_, r) => r);
    const actual = new Float64Array(21);
    const half = calibratedHalfWidths(actual, origins, (r, h) => (r + 1) * (h + 1), [1, 1], 2)!;
    // Horizon 1: 20 errors 1…20, the 20th smallest. Horizon 2: 19 (origin 19 has no truth 2 ahead), the 19th.
    expect(Array.from(half)).toEqual([20, 38]);
  });

  it('carries the last calibrated width on in the shape of the model band, and never narrows', () => {
    const origins = Array.from({ length: MIN_CALIBRATION_ERRORS }, (_, r) => r);
    const actual = new Float64Array(MIN_CALIBRATION_ERRORS + 1);
    const band = [1, 2, 4, 3];
    const half = calibratedHalfWidths(actual, origins, () => 5, band, 4)!;
    // Only horizon 1 has 19 errors (all 5); then 5 × band / band[0], never below the step before.
    expect(Array.from(half)).toEqual([5, 10, 20, 20]);
  });

  it('never widens past the calibrated horizons slower than a random walk (√h), even where the model band is flat', () => {
    const origins = Array.from({ length: MIN_CALIBRATION_ERRORS }, (_, r) => r);
    const actual = new Float64Array(MIN_CALIBRATION_ERRORS + 1);
    const half = calibratedHalfWidths(actual, origins, () => 5, [1, 1, 1, 1], 4)!;
    [5, 5 * Math.SQRT2, 5 * Math.sqrt(3), 10].forEach((w, h) => expect(half[h]).toBeCloseTo(w, 12));
  });

  it('calibrates on the origins alike the current one (its variant) where a horizon has enough of them, else on all', () => {
    // 60 origins: the even ones (30) miss by 1 at every horizon, the odd ones by 100 (another variant).
    const origins = Array.from({ length: 60 }, (_, r) => r);
    const actual = new Float64Array(61 + 40);
    const miss = (r: number) => (r % 2 === 0 ? 1 : 100);
    const even = (r: number) => r % 2 === 0;
    const pooled = calibratedHalfWidths(actual, origins, (r) => miss(r), [1, 1], 2)!;
    expect(Array.from(pooled)).toEqual([100, 100]);
    expect(Array.from(calibratedHalfWidths(actual, origins, (r) => miss(r), [1, 1], 2, even)!)).toEqual([1, 1]);
    // Fewer than MIN_CALIBRATION_ERRORS alike (only origins 0, 2, …, 34 are: 18): every origin's errors.
    const few = (r: number) => r % 2 === 0 && r < 2 * (MIN_CALIBRATION_ERRORS - 1);
    expect(Array.from(calibratedHalfWidths(actual, origins, (r) => miss(r), [1], 1, few)!)).toEqual([100]);
  });

  it('answers null when not even one step ahead has enough errors', () => {
    expect(calibratedHalfWidths(new Float64Array(10), [0, 1, 2], () => 0, [1], 1)).toBeNull();
  });
});

describe('backtestOrigins', () => {
  it('takes every origin of a short series and at most CALIBRATION_ORIGINS of a long one, ending at the last but one', () => {
    expect(backtestOrigins(FIRST_ORIGIN + 1)).toEqual([]);
    expect(backtestOrigins(40)).toEqual(Array.from({ length: 40 - 1 - FIRST_ORIGIN }, (_, k) => FIRST_ORIGIN + k));
    const long = backtestOrigins(5000);
    expect(long.length).toBeLessThanOrEqual(CALIBRATION_ORIGINS);
    expect(long.at(-1)).toBe(4998);
    expect(long[0]).toBeGreaterThanOrEqual(FIRST_ORIGIN);
    expect(long.every((t, i) => i === 0 || t > long[i - 1]!)).toBe(true);
  });
});

describe('intervals from the model’s own errors', () => {
  it('hold about 95% of a random walk’s next 12 steps, where the ETS band of a smooth level holds far fewer', () => {
    const f = selectingForecaster({ alpha: 0.1, beta: 0.05 }, FORECAST_HISTORY, 12);
    let inside = 0;
    let insideEts = 0;
    let points = 0;
    for (let s = 0; s < 40; s++) {
      const step = gaussian(rng(500 + s));
      const walk: number[] = [100];
      for (let t = 1; t < 212; t++) walk.push(walk[t - 1]! + step());
      const history = walk.slice(0, 200);
      const input = seasonalForecastInput(history, null);
      const season = input.futureSeason(12);
      const main = applySelecting(f, input.history, 12);
      const b = input.backtest;
      const forecasts = new Float64Array(b.rows * 12);
      for (let r = 0; r < b.rows; r++)
        applySelecting(f, b.histories.subarray(r * FORECAST_HISTORY, (r + 1) * FORECAST_HISTORY), 12).forecast.forEach(
          (v, h) => (forecasts[r * 12 + h] = v),
        );
      const band = main.forecast.map((v, h) => main.upper[h]! - v);
      const half = b.halfWidths((r, h) => forecasts[r * 12 + h]!, band, 12)!;
      for (let h = 0; h < 12; h++) {
        const error = Math.abs(walk[200 + h]! - input.restore(main.forecast[h]! + input.base + season[h]!));
        points++;
        if (error <= half[h]!) inside++;
        if (error <= band[h]!) insideEts++;
      }
    }
    expect(inside / points).toBeGreaterThan(0.88);
    expect(inside / points).toBeLessThan(0.995);
    expect(insideEts / points).toBeLessThan(inside / points);
  });
});

describe('intervals on a real series (CO2 at Mauna Loa, monthly)', () => {
  // The bench's backtest: six origins a year apart, 24 months ahead each, the model run as the
  // graph runs it (the variant chosen per history), past origins calibrating each interval.
  const { timestamps, values } = co2Series();
  const f = selectingForecaster({ alpha: 0.1, beta: 0.05 }, FORECAST_HISTORY, 24);
  function backtest(byVariant: boolean) {
    let inside = 0;
    let points = 0;
    let width = 0;
    for (let k = 0; k < 6; k++) {
      const cut = values.length - 24 - 12 * k;
      const input = seasonalForecastInput(values.slice(0, cut), timestamps.slice(0, cut));
      const main = applySelecting(f, input.history, 24);
      const b = input.backtest;
      const forecasts = new Float64Array(b.rows * 24);
      const choices: number[] = [];
      for (let r = 0; r < b.rows; r++) {
        const past = applySelecting(f, b.histories.subarray(r * FORECAST_HISTORY, (r + 1) * FORECAST_HISTORY), 24);
        choices.push(past.choice);
        past.forecast.forEach((v, h) => (forecasts[r * 24 + h] = v));
      }
      const band = main.forecast.map((v, h) => main.upper[h]! - v);
      const half = b.halfWidths((r, h) => forecasts[r * 24 + h]!, band, 24, byVariant ? (r) => choices[r] === main.choice : undefined)!;
      const season = input.futureSeason(24);
      for (let h = 0; h < 24; h++) {
        const at = (v: number) => input.restore(v + input.base + season[h]!);
        const y = values[cut + h]!;
        points++;
        width += at(main.forecast[h]! + half[h]!) - at(main.forecast[h]! - half[h]!);
        if (y >= at(main.forecast[h]! - half[h]!) && y <= at(main.forecast[h]! + half[h]!)) inside++;
      }
    }
    return { coverage: inside / points, width: width / points };
  }

  it('hold 85–99% of the next 24 months when calibrated on the origins that chose the same variant, narrower than on all', () => {
    const alike = backtest(true);
    const pooled = backtest(false);
    expect(alike.coverage).toBeGreaterThanOrEqual(0.85);
    expect(alike.coverage).toBeLessThanOrEqual(0.99);
    // Pooled, the origins that damped the trend (and missed by ppm) widen every interval.
    expect(pooled.coverage).toBeGreaterThan(0.99);
    expect(alike.width).toBeLessThan(0.8 * pooled.width);
  });
});
