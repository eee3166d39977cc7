import { describe, expect, it } from 'vitest';
import { gaussian, rng } from '../../lib/random.js';
import { applySelecting, selectingForecaster } from '../reference/holt.js';
import { backtestOrigins, CALIBRATION_ORIGINS, calibratedHalfWidths, FIRST_ORIGIN, MIN_CALIBRATION_ERRORS } from './forecastCalibration.js';
import { FORECAST_HISTORY, seasonalForecastInput } from './seasonalForecast.js';

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
      const half = b.halfWidths(forecasts, 12, band, 12)!;
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
