// forecast-holt-winters, version 2: damped Holt on the deseasonalised series, seasons put back by
// the workers (models/features/seasonalForecast.ts). Version 1 assumed a period of 12 and
// forecast 12 steps, fed back into itself beyond that (its intervals restarting each time); this
// one forecasts up to 1,000 steps in one map, on whatever period the series shows, with ETS(A,Ad,N)
// intervals that widen with the horizon. α, β and φ are chosen by grid search on generated
// seasonal series, for the error over two seasons ahead.
import { createHash } from 'node:crypto';
import { FORECAST_HISTORY, FORECAST_HORIZON, seasonalForecastInput } from '../features/seasonalForecast.js';
import { holt, holtBand, holtForecaster, type HoltParams } from '../reference/holt.js';
import { trainingSeries } from '../training/series.js';
import { forecastGraph, mase } from './forecast.js';
import type { BuiltModel } from './types.js';

const SEED = 31;
const PERIOD = 12;
/** Steps the fit and the held-out measures look ahead: two seasons. */
const AHEAD = 2 * PERIOD;
/** Months of generated history per series: more than the model reads, as real series have. */
const LENGTH = 96;

interface Example {
  input: ReturnType<typeof seasonalForecastInput>;
  history: Float64Array;
  future: Float64Array;
}

function examples(seed: number, count: number): Example[] {
  const stamps = Array.from({ length: LENGTH }, (_, m) => new Date(Date.UTC(2000, m, 1)).toISOString().slice(0, 10));
  return trainingSeries(seed, count, LENGTH + AHEAD, PERIOD).map((s) => ({
    input: seasonalForecastInput(s.subarray(0, LENGTH), stamps),
    history: s.subarray(0, LENGTH),
    future: s.subarray(LENGTH),
  }));
}

/** Forecast of `ahead` steps for one example with the recursion (no matrices). */
function predict(e: Example, params: HoltParams, ahead = AHEAD) {
  const { forecast, residuals } = holt(e.input.history, params, ahead);
  const season = e.input.futureSeason(ahead);
  const sigma = Math.sqrt(residuals.reduce((s, r) => s + r * r, 0) / residuals.length);
  const band = holtBand(params, ahead);
  return forecast.map((v, h) => {
    const value = v + e.input.base + season[h]!;
    return { value, lower: value - sigma * band[h]!, upper: value + sigma * band[h]! };
  });
}

/** Grid search of α, β, φ minimising the mean MASE over the next two seasons. */
export function fitSeasonalHolt(train = examples(SEED, 150)): HoltParams & { mase: number } {
  let best = { alpha: 0.2, beta: 0.05, phi: 1, mase: Infinity };
  for (const alpha of [0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7])
    for (const beta of [0, 0.01, 0.03, 0.05, 0.1, 0.2])
      for (const phi of [0.9, 0.95, 0.98, 1]) {
        let total = 0;
        for (const e of train)
          total += mase(
            predict(e, { alpha, beta, phi }).map((p) => p.value),
            e.future,
            e.history,
            PERIOD,
          );
        const m = total / train.length;
        if (m < best.mase) best = { alpha, beta, phi, mase: m };
      }
  return best;
}

/** Held-out MASE (and seasonal naive's), and how often the 95% interval held the truth. */
export function heldOutQuality(params: HoltParams, heldOut = examples(SEED + 1, 80)) {
  let model = 0;
  let naive = 0;
  let inside = 0;
  let points = 0;
  for (const e of heldOut) {
    const p = predict(e, params);
    model += mase(
      p.map((x) => x.value),
      e.future,
      e.history,
      PERIOD,
    );
    naive += mase(
      Array.from({ length: AHEAD }, (_, h) => e.history[LENGTH - PERIOD + (h % PERIOD)]!),
      e.future,
      e.history,
      PERIOD,
    );
    p.forEach((x, h) => {
      points++;
      if (e.future[h]! >= x.lower && e.future[h]! <= x.upper) inside++;
    });
  }
  return { mase: model / heldOut.length, seasonalNaiveMase: naive / heldOut.length, coverage95: inside / points, horizon: AHEAD };
}

export function buildSeasonalForecast(params: HoltParams = fitSeasonalHolt()): BuiltModel {
  const f = holtForecaster(params, FORECAST_HISTORY, FORECAST_HORIZON);
  const { alpha, beta, phi } = params;
  return {
    name: 'forecast-holt-winters',
    version: 2,
    task: 'FORECAST',
    bytes: forecastGraph(
      'forecast_seasonal_holt',
      f,
      `Damped Holt (alpha=${alpha}, beta=${beta}, phi=${phi}) on the deseasonalised series as a linear map, ${FORECAST_HORIZON} steps with ETS(A,Ad,N) 95% intervals.`,
      { input: 'adjusted', history: FORECAST_HISTORY, horizon: FORECAST_HORIZON },
    ),
    metadata: {
      description:
        'Damped Holt on the last 48 deseasonalised points (the workers remove and restore the seasons of the detected periods), up to 1,000 steps with intervals that widen by the ETS(A,Ad,N) variance.',
      history: FORECAST_HISTORY,
      horizon: FORECAST_HORIZON,
      params: { alpha, beta, phi },
      inputs: [
        {
          name: 'adjusted',
          shape: ['batch', FORECAST_HISTORY],
          meaning: 'the last 48 deseasonalised points, oldest first, minus the last',
        },
      ],
      outputs: ['forecast', 'lower', 'upper'].map((name) => ({
        name,
        shape: ['batch', FORECAST_HORIZON],
        meaning: name === 'forecast' ? 'the deseasonalised forecast' : `${name} bound of its 95% interval`,
      })),
      training: {
        seed: SEED,
        series: 150,
        fit: `grid search minimising MASE over ${AHEAD} steps`,
        dataDigest: createHash('sha256')
          .update(Buffer.concat(examples(SEED, 150).map((e) => Buffer.from(Float64Array.from(e.history).buffer))))
          .digest('hex'),
      },
      metrics: heldOutQuality(params),
    },
  };
}
