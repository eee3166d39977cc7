import { describe, expect, it } from 'vitest';
import { predictCrossValidated } from '../builders/seasonalForecast.js';
import { applySelecting, crossValidatedVariants, selectingForecaster } from '../reference/holt.js';
import { isoDate, vegaCsv } from '../training/publicSeries.js';
import { chooseVariantForecast, FORECAST_HISTORY, FORECAST_VARIANTS, seasonalForecastInput, UNTESTED_VARIANT } from './seasonalForecast.js';

const fitted = { alpha: 0.1, beta: 0.05 };

describe('chooseVariantForecast (forecast-holt-winters version 3)', () => {
  it('takes the variant whose forecasts from past origins missed least, and extrapolates its state', () => {
    // A line: every past origin's truth h + 1 steps ahead is h + 1 above its last point.
    const values = Array.from({ length: 60 }, (_, i) => i);
    const input = seasonalForecastInput(values, null);
    const rows = 1 + input.backtest.rows;
    const variants = FORECAST_VARIANTS.length;
    // Every variant keeps its trend (φ 1); variant 3's is the line's slope, the others' miss it.
    const slope = (c: number) => (c === 3 ? 1 : 1 + 0.1 * (c + 1));
    const states = {
      level: new Float64Array(rows * variants),
      trend: Float64Array.from({ length: rows * variants }, (_, k) => slope(k % variants)),
      sigma: new Float64Array(rows * variants).fill(1),
      params: Array.from({ length: variants }, () => [0.5, 0.1, 1]).flat(),
      variants,
    };
    const chosen = chooseVariantForecast(input, states, 3);
    expect(chosen.choice).toBe(3);
    expect(chosen.errors[3]).toBe(0);
    // Variant 0 misses by 0.1 · h at h = 1, 2, 3: origins 15…56 have all three truths, 57 two, 58 one.
    expect(chosen.errors[0]).toBeCloseTo((42 * 0.6 + 0.3 + 0.1) / (42 * 3 + 2 + 1), 9);
    expect(chosen.points.map((p) => p.value)).toEqual([60, 61, 62]);
    // Its intervals are its own past errors (none here): the points are the bounds too.
    expect(chosen.calibrated).toBe(true);
    expect(chosen.points.map((p) => p.upper - p.lower)).toEqual([0, 0, 0]);
  });

  it('falls back to the damped trend where its past origins have fewer than 19 truths to choose on', () => {
    // 20 points: origins 15…18, four one-step errors; the trend (0) would win on them.
    const input = seasonalForecastInput(
      Array.from({ length: 20 }, (_, i) => i),
      null,
    );
    expect(input.backtest.rows).toBe(4);
    const variants = FORECAST_VARIANTS.length;
    const rows = 1 + input.backtest.rows;
    const params = crossValidatedVariants(fitted).flatMap((v) => [v.alpha, v.beta, v.phi]);
    const states = {
      level: new Float64Array(rows * variants),
      trend: Float64Array.from({ length: rows * variants }, (_, k) => (k % variants === 0 ? 1 : 0)),
      sigma: new Float64Array(rows * variants).fill(1),
      params,
      variants,
    };
    const chosen = chooseVariantForecast(input, states, 1);
    expect(chosen.errors.every(Number.isNaN)).toBe(true);
    expect(chosen.choice).toBe(UNTESTED_VARIANT);
  });

  it('falls back to the damped trend, in its ETS band, where no past origin has a truth', () => {
    const values = Array.from({ length: 16 }, (_, i) => i % 3);
    const input = seasonalForecastInput(values, null);
    expect(input.backtest.rows).toBe(0);
    const variants = FORECAST_VARIANTS.length;
    const params = crossValidatedVariants(fitted).flatMap((v) => [v.alpha, v.beta, v.phi]);
    const chosen = chooseVariantForecast(
      input,
      {
        level: new Float64Array(variants),
        trend: new Float64Array(variants),
        sigma: new Float64Array(variants).fill(0.5),
        params,
        variants,
      },
      2,
    );
    expect(chosen.choice).toBe(UNTESTED_VARIANT);
    expect(FORECAST_VARIANTS[UNTESTED_VARIANT]).toBe('damped trend');
    expect(chosen.calibrated).toBe(false);
    expect(chosen.errors.every(Number.isNaN)).toBe(true);
    // The ETS band of σ 0.5: ±1.96 · 0.5 one step ahead.
    expect(chosen.points[0]!.upper - chosen.points[0]!.lower).toBeCloseTo(2 * 1.959964 * 0.5, 6);
  });
});

describe('version 3 against version 2 on real series, six origins each', () => {
  /** Mean MASE (against naive, one step back) of the forecasts from six origins, `step` apart. */
  function backtest(values: number[], timestamps: string[], horizon: number, step: number) {
    const v3 = crossValidatedVariants(fitted);
    const v2 = selectingForecaster(fitted, FORECAST_HISTORY, horizon);
    const sum = { v3: 0, v2: 0, naive: 0 };
    const chosen: string[] = [];
    for (let k = 0; k < 6; k++) {
      const cut = values.length - horizon - k * step;
      const history = values.slice(0, cut);
      const future = values.slice(cut, cut + horizon);
      let scale = 0;
      for (let t = 1; t < cut; t++) scale += Math.abs(history[t]! - history[t - 1]!) / (cut - 1);
      const error = (forecast: (h: number) => number) => future.reduce((a, y, h) => a + Math.abs(y - forecast(h)), 0) / horizon / scale;
      const input = seasonalForecastInput(history, timestamps.slice(0, cut));
      const three = predictCrossValidated(input, v3, horizon);
      chosen.push(FORECAST_VARIANTS[three.choice]!);
      sum.v3 += error((h) => three.points[h]!.value) / 6;
      const two = applySelecting(v2, input.history, horizon);
      const season = input.futureSeason(horizon);
      sum.v2 += error((h) => input.restore(two.forecast[h]! + input.base + season[h]!)) / 6;
      sum.naive += error(() => history[cut - 1]!) / 6;
    }
    return { ...sum, chosen };
  }

  it('seasonally adjusted construction employment: near the last value, where version 2 extrapolated its bends', () => {
    const rows = vegaCsv('us-employment.csv');
    const r = backtest(
      rows.map((x) => Number(x.construction)),
      rows.map((x) => x.month!),
      24,
      12,
    );
    expect(r.v3).toBeLessThan(r.naive);
    expect(r.v3).toBeLessThan(0.6 * r.v2);
  });

  it('a share price (GOOG, monthly): no worse than the last value, where version 2 was far worse', () => {
    const rows = vegaCsv('stocks.csv').filter((x) => x.symbol === 'GOOG');
    const r = backtest(
      rows.map((x) => Number(x.price)),
      rows.map((x) => isoDate(x.date!)),
      12,
      6,
    );
    expect(r.v3).toBeLessThan(1.02 * r.naive);
    expect(r.v3).toBeLessThan(0.7 * r.v2);
  });
});
