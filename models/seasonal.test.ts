// The version-2 models: their ONNX graphs compute what their references compute, and on a real
// series (monthly CO2 at Mauna Loa, from the vega-datasets package) the seasonal anomaly model
// finds spikes injected a few noise levels high while version 1 — scoring raw trailing windows,
// where the trend and the season swamp them — does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChartShape, randomChartShapes, trainChartShape, type TrainedChartShape } from './builders/chartShape.js';
import { mase } from './builders/forecast.js';
import { buildRobustZ } from './builders/robustZ.js';
import { buildSeasonalAnomaly } from './builders/seasonalAnomaly.js';
import { buildCrossValidatedForecast, buildSeasonalForecast, fitSeasonalHolt } from './builders/seasonalForecast.js';
import { CHART_SHAPE_FEATURES, CHART_TYPES, chartShapeFeatures } from './features/chartShape.js';
import { residualRows } from './features/residualWindows.js';
import { timeAxis } from './features/calendar.js';
import { decompose } from './features/decompose.js';
import { SeasonalDetection, type SeasonalScores } from './features/seasonalDetection.js';
import { FORECAST_HISTORY, FORECAST_HORIZON, seasonalForecastInput } from './features/seasonalForecast.js';
import { trailingWindows } from './features/series.js';
import { chartProbabilities } from './reference/chart.js';
import { chartRuleV2 } from './reference/chartRules.js';
import { applySelecting, crossValidatedVariants, selectingForecaster, variantStates } from './reference/holt.js';
import { seasonalAnomalyScores } from './reference/seasonalAnomaly.js';
import { robustZ, ROBUST_Z_WINDOW } from './reference/robustZ.js';
import { co2Series, vegaCsv } from './training/publicSeries.js';
import { robustSigma } from './features/robust.js';
import { seasonalSeries } from './training/series.js';
import { gaussian, rng } from '../lib/random.js';
import { InferenceEngine, type ModelHandle } from './runtime/engine.js';

let engine: InferenceEngine;
let chart: TrainedChartShape;
const params = fitSeasonalHolt();
const models: Record<string, ModelHandle> = {};

beforeAll(async () => {
  engine = new InferenceEngine({ device: 'cpu', workers: 2 });
  chart = trainChartShape({ samples: 6000, epochs: 20 });
  models.anomaly = await engine.load('anomaly-robust-z', buildSeasonalAnomaly().bytes);
  models.forecast = await engine.load('forecast-holt-winters', buildSeasonalForecast(params).bytes);
  models.forecastV3 = await engine.load('forecast-holt-winters', buildCrossValidatedForecast(params).bytes);
  models.chart = await engine.load('chart-recommender', buildChartShape(chart).bytes);
  models.v1 = await engine.load('anomaly-robust-z', buildRobustZ().bytes);
}, 120_000);
afterAll(() => engine?.close());

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

/** Runs a detection with the ONNX model through the engine's batcher. */
async function detectWithModel(values: ArrayLike<number>, timestamps: string[] | null) {
  const detection = new SeasonalDetection(values, timestamps);
  let rows = detection.rows;
  while (rows) {
    const { outputs } = await engine.inferRows(
      models.anomaly!,
      { residuals: rows.residuals, level: rows.level, scale: rows.scale },
      rows.rows,
    );
    rows = detection.next(outputs as unknown as SeasonalScores);
  }
  return detection;
}

describe('version-2 ONNX graphs equal their references', () => {
  it('anomaly-robust-z v2: spike, shift and variance within 1e-3', async () => {
    const x = seasonalSeries(7, { length: 300, period: 12, noise: 2 });
    x[100]! += 30;
    for (let i = 200; i < 300; i++) x[i]! += 12;
    const rows = residualRows(decompose(x, { periods: [12] }));
    const { outputs } = await engine.inferRows(
      models.anomaly!,
      { residuals: rows.residuals, level: rows.level, scale: rows.scale },
      rows.rows,
    );
    const ref = seasonalAnomalyScores(rows.residuals, rows.level, rows.scale);
    for (const name of ['spike', 'shift', 'variance'] as const)
      expect(maxAbs(outputs[name] as Float32Array, ref[name]), name).toBeLessThan(1e-3);
  });

  it('forecast-holt-winters v3: every variant’s final level, trend and one-step spread, as the recursions compute them', async () => {
    const noise = gaussian(rng(13));
    const rows = [
      Array.from({ length: FORECAST_HISTORY }, (_, i) => 0.8 * i + noise()),
      Array.from({ length: FORECAST_HISTORY }, () => 5 + 2 * noise()),
      Array.from({ length: FORECAST_HISTORY }, (_, i) => 10 * Math.sin(i / 5) + noise()),
    ];
    const histories = Float32Array.from(rows.flat());
    const { outputs } = await engine.inferRows(models.forecastV3!, { adjusted: histories }, rows.length);
    const variants = crossValidatedVariants(params);
    const count = variants.length;
    expect(count).toBe(5);
    rows.forEach((_, r) => {
      const ref = variantStates(variants, histories.subarray(r * FORECAST_HISTORY, (r + 1) * FORECAST_HISTORY));
      ref.forEach((state, c) => {
        const scale = Math.max(1, Math.abs(state.level), Math.abs(state.trend), state.sigma);
        for (const name of ['level', 'trend', 'sigma'] as const)
          expect(Math.abs((outputs[name] as Float32Array)[r * count + c]! - state[name]) / scale, name).toBeLessThan(1e-4);
        const p = (outputs.params as Float32Array).subarray((r * count + c) * 3, (r * count + c + 1) * 3);
        expect(Array.from(p)).toEqual([variants[c]!.alpha, variants[c]!.beta, variants[c]!.phi].map(Math.fround));
      });
    });
  });

  it('forecast-holt-winters v2: each history gets the variant the reference chooses, and its forecast and bounds', async () => {
    // A trending history, a level with noise and a wave: the variants each win somewhere.
    const noise = gaussian(rng(12));
    const rows = [
      Array.from({ length: FORECAST_HISTORY }, (_, i) => 0.8 * i + noise()),
      Array.from({ length: FORECAST_HISTORY }, () => 5 + 2 * noise()),
      Array.from({ length: FORECAST_HISTORY }, (_, i) => 10 * Math.sin(i / 5) + noise()),
    ];
    const histories = Float32Array.from(rows.flat());
    const { outputs } = await engine.inferRows(models.forecast!, { adjusted: histories }, rows.length);
    const f = selectingForecaster(params, FORECAST_HISTORY, FORECAST_HORIZON);
    rows.forEach((_, r) => {
      const x = histories.subarray(r * FORECAST_HISTORY, (r + 1) * FORECAST_HISTORY);
      const ref = applySelecting(f, x, FORECAST_HORIZON);
      const errors = (outputs.errors as Float32Array).subarray(r * 3, (r + 1) * 3);
      expect(maxAbs(errors, ref.errors) / Math.max(...ref.errors)).toBeLessThan(1e-4);
      expect((outputs.choice as Float32Array)[r]).toBe(ref.choice);
      const at = (name: 'forecast' | 'lower' | 'upper') =>
        (outputs[name] as Float32Array).subarray(r * FORECAST_HORIZON, (r + 1) * FORECAST_HORIZON);
      const scale = Math.max(...ref.upper.map(Math.abs));
      for (const name of ['forecast', 'lower', 'upper'] as const) expect(maxAbs(at(name), ref[name]) / scale, name).toBeLessThan(1e-4);
      // Intervals widen with the horizon.
      const width = (h: number) => at('upper')[h]! - at('lower')[h]!;
      expect(width(0)).toBeLessThan(width(11));
      expect(width(11)).toBeLessThan(width(99));
    });
    // The trend keeps its trend; the flat noise is not extrapolated as one.
    expect(Array.from(outputs.choice as Float32Array).slice(0, 2)).toEqual([0, 2]);
  });

  it('chart-recommender v2: probabilities within 1e-5, and the rule table agreed with on >= 95% of held-out shapes', async () => {
    const shapes = randomChartShapes(4242, 2000);
    const features = Float32Array.from(shapes.flatMap((s) => Array.from(chartShapeFeatures(s))));
    const { outputs } = await engine.inferRows(models.chart!, { features }, shapes.length);
    const probabilities = outputs.probabilities as Float32Array;
    const ref = Float64Array.from(shapes.flatMap((s) => Array.from(chartProbabilities(chart.layers, chartShapeFeatures(s)))));
    expect(maxAbs(probabilities, ref)).toBeLessThan(1e-5);
    let agree = 0;
    shapes.forEach((s, i) => {
      const p = Array.from(probabilities.subarray(i * CHART_TYPES.length, (i + 1) * CHART_TYPES.length));
      if (CHART_TYPES[p.indexOf(Math.max(...p))] === chartRuleV2(s)) agree++;
    });
    expect(agree / shapes.length).toBeGreaterThanOrEqual(0.95);
    expect(CHART_SHAPE_FEATURES).toBe(chartShapeFeatures(shapes[0]!).length);
  });
});

describe('on a real series: monthly CO2 at Mauna Loa', () => {
  const { timestamps, values } = co2Series();
  const last = { timestamps: timestamps.slice(-240), values: values.slice(-240) };
  const spikes = [60, 131, 200];

  // The record's own outliers in these twenty years: April 2008, 1.3 ppm below its trend and
  // season, and April 2016, the El Niño's record rise, 1.1 ppm above.
  const april2008 = last.timestamps.indexOf('2008-04-01');
  const april2016 = last.timestamps.indexOf('2016-04-01');
  const own = [april2008, april2016];

  it('flags only its own April 2008 dip and April 2016 rise on the unmodified series: no seasonal peak or trough (±3 ppm) is an anomaly', async () => {
    const flags = (await detectWithModel(last.values, last.timestamps)).flags();
    expect(flags.map((f) => [last.timestamps[f.index], f.type])).toEqual([
      ['2008-04-01', 'SPIKE'],
      ['2016-04-01', 'SPIKE'],
    ]);
    expect(flags[0]!.residual).toBeLessThan(-1);
    expect(flags[1]!.residual).toBeGreaterThan(1);
  });

  it('finds spikes of 2 ppm (about 8 noise levels, a third of the season) on the very point, and nothing else new', async () => {
    const x = last.values.slice();
    spikes.forEach((p, k) => (x[p]! += k === 1 ? -2 : 2));
    const detection = await detectWithModel(x, last.timestamps);
    expect(detection.periods).toEqual([12]);
    const flags = detection.flags();
    expect(flags.map((f) => [f.index, f.type])).toEqual([...spikes, ...own].sort((a, b) => a - b).map((p) => [p, 'SPIKE']));
    // A spike does not bend the fit: the expected value is the unspiked series' own.
    const clean = decompose(last.values, {
      periods: [12],
      positions: timeAxis(last.timestamps, 240).positions,
      trendWidth: detection.trendWidth,
    });
    for (const f of flags.filter((f) => !own.includes(f.index))) {
      expect(Math.abs(f.expected - clean.expected[f.index]!)).toBeLessThan(0.1);
      expect(f.residual).toBeCloseTo(f.value - f.expected, 9);
      expect(f.score).toBeGreaterThan(5);
    }
  });

  it('where version 1 (raw trailing windows) misses them: the season swamps a 2 ppm spike', async () => {
    const x = last.values.slice();
    spikes.forEach((p) => (x[p]! += 2));
    const { outputs } = await engine.inferRows(models.v1!, { window: trailingWindows(x, ROBUST_Z_WINDOW) }, x.length - ROBUST_Z_WINDOW + 1);
    const found = Array.from(outputs.score as Float32Array).flatMap((s, r) => (s > 3.5 ? [r + ROBUST_Z_WINDOW - 1] : []));
    expect(spikes.filter((p) => found.includes(p))).toEqual([]);
    // The ONNX model and its reference agree on that: it is the method, not the graph.
    const reference = robustZ(trailingWindows(x, ROBUST_Z_WINDOW));
    expect(spikes.map((p) => reference[p - ROBUST_Z_WINDOW + 1]!).every((z) => z < 3.5)).toBe(true);
  });

  it('locates a level shift to the point and forecasts the next two years within half a seasonal-naive error', async () => {
    const shifted = last.values.map((v, i) => v + (i >= 150 ? 3 : 0));
    const flags = (await detectWithModel(shifted, last.timestamps)).flags();
    expect(flags.filter((f) => f.type === 'LEVEL_SHIFT').map((f) => f.index)).toEqual([150]);
    expect(flags.filter((f) => f.type === 'SPIKE').map((f) => f.index)).toEqual(own);

    const history = values.slice(0, -24);
    const input = seasonalForecastInput(history, timestamps.slice(0, -24));
    const { outputs } = await engine.inferRows(models.forecast!, { adjusted: input.history }, 1);
    const season = input.futureSeason(24);
    const forecast = Array.from({ length: 24 }, (_, h) => input.restore((outputs.forecast as Float32Array)[h]! + input.base + season[h]!));
    expect(input.periods).toEqual([12]);
    expect(mase(forecast, values.slice(-24), history, 12)).toBeLessThan(0.5);
  });
});

describe('on real series without a season: share prices and employment', () => {
  /** The noise level the spikes are sized by: the robust spread of x_t − (x_{t−1} + x_{t+1}) / 2 over √1.5. */
  const noiseOf = (x: number[]) => robustSigma(x.slice(1, -1).map((v, i) => v - (x[i]! + x[i + 2]!) / 2)) / Math.sqrt(1.5);

  it('reads the S&P 500 on trading days: spikes of 8 noise levels found, under 2% of the other days flagged', async () => {
    // Two years of daily closes, 2004–2005 (weekends and holidays missing from the timestamps).
    const rows = vegaCsv('sp500-2000.csv').filter((r) => r.date! >= '2004-01-01' && r.date! < '2006-01-01');
    const timestamps = rows.map((r) => r.date!);
    const values = rows.map((r) => Number(r.close));
    const sigma = noiseOf(values);
    const at = [40, 130, 222, 310, 401, 470];
    const spiked = values.map((v, i) => v + (at.includes(i) ? (i % 2 ? -8 : 8) * sigma : 0));
    const detection = await detectWithModel(spiked, timestamps);
    expect(detection.periods).toEqual([]);
    const flagged = detection.flags().map((f) => f.index);
    for (const i of at) expect(flagged, timestamps[i]).toContain(i);
    expect(flagged.filter((i) => !at.includes(i)).length).toBeLessThanOrEqual(0.02 * values.length);
  });

  it('follows seasonally adjusted employment closely (a narrow trend): spikes of 6 noise levels found', async () => {
    const rows = vegaCsv('us-employment.csv');
    const timestamps = rows.map((r) => r.month!);
    const values = rows.map((r) => Number(r.nonfarm));
    const sigma = noiseOf(values);
    const at = [30, 75, 105];
    const spiked = values.map((v, i) => v + (at.includes(i) ? 6 * sigma : 0));
    const detection = await detectWithModel(spiked, timestamps);
    expect(detection.trendWidth).toBeLessThanOrEqual(5);
    const spikes = detection
      .flags()
      .filter((f) => f.type === 'SPIKE')
      .map((f) => f.index);
    for (const i of at) expect(spikes, timestamps[i]).toContain(i);
  });
});

describe('on white noise', () => {
  it('raises no more false spikes when a narrow trend is chosen: spikes are judged in the spread of their own statistic', () => {
    let flags = 0;
    let narrow = 0;
    for (let s = 0; s < 150; s++) {
      const noise = gaussian(rng(5000 + s));
      const x = Array.from({ length: 200 }, () => noise());
      const detection = new SeasonalDetection(x, null);
      let rows = detection.rows;
      while (rows) rows = detection.next(seasonalAnomalyScores(rows.residuals, rows.level, rows.scale));
      if (detection.trendWidth! < 7) narrow++;
      flags += detection.flags().filter((f) => f.type === 'SPIKE').length;
    }
    // Cross-validation picks a narrow trend for some noise by chance (30 of these 150); judged in
    // the residuals' own scale, these series raised a third more false spikes (0.0042 a point).
    expect(narrow).toBeGreaterThan(10);
    expect(flags / (150 * 200)).toBeLessThan(0.0035);
  });
});
