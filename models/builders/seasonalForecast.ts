// forecast-holt-winters, version 2: Holt on the deseasonalised series, seasons put back by the
// workers (models/features/seasonalForecast.ts). Version 1 assumed a period of 12 and forecast 12
// steps, fed back into itself beyond that (its intervals restarting each time); this one forecasts
// up to 1,000 steps in one map, on whatever period the series shows, with ETS(A,Ad,N) intervals
// that widen with the horizon. Three variants run side by side in the graph — trend, damped
// trend, level only — and each history gets the one with the smallest errors 12 steps ahead
// within itself. α and β are chosen by grid search on generated seasonal series, for the error
// over two seasons ahead.
import { createHash } from 'node:crypto';
import {
  chooseVariantForecast,
  FORECAST_HISTORY,
  FORECAST_HORIZON,
  FORECAST_VARIANTS,
  seasonalForecastInput,
} from '../features/seasonalForecast.js';
import { Graph } from '../onnx/graph.js';
import {
  applySelecting,
  crossValidatedVariants,
  SELECTION_ORIGINS,
  selectingForecaster,
  variantSmoothers,
  variantStates,
  type HoltParams,
  type SelectingForecaster,
  type VariantSmoothers,
} from '../reference/holt.js';
import { SELECTION_ORIGINS_LATEST } from '../features/forecastCalibration.js';
import { trainingSeries } from '../training/series.js';
import { mase } from './forecast.js';
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

type Fitted = Pick<HoltParams, 'alpha' | 'beta'>;

/** Forecast of `ahead` steps for one example with the recursions (no matrices), the variant chosen as the graph chooses. */
function predict(e: Example, params: Fitted, ahead = AHEAD, forecaster = selectingForecaster(params, FORECAST_HISTORY, ahead)) {
  const chosen = applySelecting(forecaster, e.input.history, ahead);
  const season = e.input.futureSeason(ahead);
  const at = (v: number, h: number) => e.input.restore(v + e.input.base + season[h]!);
  return chosen.forecast.map((v, h) => ({ value: at(v, h), lower: at(chosen.lower[h]!, h), upper: at(chosen.upper[h]!, h) }));
}

/** Grid search of α and β minimising the mean MASE over the next two seasons. */
export function fitSeasonalHolt(train = examples(SEED, 150)): Fitted & { mase: number } {
  let best = { alpha: 0.2, beta: 0.05, mase: Infinity };
  for (const alpha of [0.05, 0.1, 0.15, 0.2, 0.3, 0.5])
    for (const beta of [0.01, 0.03, 0.05, 0.1, 0.2]) {
      const forecaster = selectingForecaster({ alpha, beta }, FORECAST_HISTORY, AHEAD);
      let total = 0;
      for (const e of train)
        total += mase(
          predict(e, { alpha, beta }, AHEAD, forecaster).map((p) => p.value),
          e.future,
          e.history,
          PERIOD,
        );
      const m = total / train.length;
      if (m < best.mase) best = { alpha, beta, mase: m };
    }
  return best;
}

/**
 * The graph: every variant's forecast, one-step spread and backtest error; the variant with the
 * smallest error (ArgMin, the first on a tie) picked per row by a one-hot mask.
 */
function selectingGraph(f: SelectingForecaster, history: number, horizon: number, doc: string): Uint8Array {
  const g = new Graph('forecast_seasonal_holt');
  const x = g.input('adjusted', ['batch', history]);
  const forecasts: string[] = [];
  const halfWidths: string[] = [];
  const errors: string[] = [];
  f.forecasters.forEach((fc, c) => {
    forecasts.push(g.op('MatMul', [x, g.floats(`forecast_map_${c}`, fc.forecast, [history, horizon])]));
    const residuals = g.op('MatMul', [x, g.floats(`residual_map_${c}`, fc.residuals, [history, fc.residualCount])]);
    const sigma = g.op('Sqrt', [g.op('ReduceMean', [g.op('Mul', [residuals, residuals])], { axes: [1], keepdims: 1 })]);
    halfWidths.push(g.op('Mul', [sigma, g.floats(`band_${c}`, fc.band, [1, horizon])]));
    const backtest = g.op('MatMul', [x, g.floats(`backtest_map_${c}`, f.backtests[c]!, [history, SELECTION_ORIGINS])]);
    errors.push(g.op('ReduceSum', [g.op('Mul', [backtest, backtest]), g.ints(`backtest_axes_${c}`, [1], [1])], { keepdims: 1 }));
  });
  g.op('Concat', errors, { axis: 1 }, 'errors');
  const choice = g.op('ArgMin', ['errors'], { axis: 1, keepdims: 1 });
  const variants = f.variants.map((_, c) => c);
  const mask = g.op('Cast', [g.op('Equal', [choice, g.ints('variant_ids', variants, [1, variants.length])])], { to: 1 });
  const picked = (parts: string[], name: string) =>
    g.op(
      'Sum',
      parts.map((p, c) =>
        g.op('Mul', [
          p,
          g.op('Slice', [
            mask,
            g.ints(`${name}_from_${c}`, [c], [1]),
            g.ints(`${name}_to_${c}`, [c + 1], [1]),
            g.ints(`${name}_axis_${c}`, [1], [1]),
          ]),
        ]),
      ),
    );
  const forecast = g.op('Identity', [picked(forecasts, 'forecast')], {}, 'forecast');
  const half = picked(halfWidths, 'half');
  g.op('Sub', [forecast, half], {}, 'lower');
  g.op('Add', [forecast, half], {}, 'upper');
  g.op('Cast', [g.op('Squeeze', [choice, g.ints('choice_axes', [1], [1])])], { to: 1 }, 'choice');
  for (const out of ['forecast', 'lower', 'upper']) g.output(out, ['batch', horizon]);
  g.output('choice', ['batch']);
  g.output('errors', ['batch', variants.length]);
  return g.toBytes(doc);
}

/** Held-out MASE (and seasonal naive's), and how often the 95% interval held the truth. */
export function heldOutQuality(params: Fitted, heldOut = examples(SEED + 1, 80)) {
  return scoreHeldOut(heldOut, (e) => predict(e, params));
}

/** MASE of `forecast` on each example over two seasons, seasonal naive's, and its intervals' coverage. */
function scoreHeldOut(heldOut: Example[], forecast: (e: Example) => Array<{ value: number; lower: number; upper: number }>) {
  let model = 0;
  let naive = 0;
  let inside = 0;
  let points = 0;
  for (const e of heldOut) {
    const p = forecast(e);
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

export function buildSeasonalForecast(params: Fitted = fitSeasonalHolt()): BuiltModel {
  const f = selectingForecaster(params, FORECAST_HISTORY, FORECAST_HORIZON);
  const { alpha, beta } = params;
  return {
    name: 'forecast-holt-winters',
    version: 2,
    task: 'FORECAST',
    bytes: selectingGraph(
      f,
      FORECAST_HISTORY,
      FORECAST_HORIZON,
      `Holt (alpha=${alpha}, beta=${beta}) on the deseasonalised series, trend / damped trend (phi 0.9) / level only chosen per row by 12-step backtest errors, as linear maps; ${FORECAST_HORIZON} steps with ETS(A,Ad,N) 95% intervals.`,
    ),
    metadata: {
      description:
        'Holt on the last 48 deseasonalised points (the workers remove and restore the seasons of the detected periods): of the trend, damped-trend and level-only variants, the one with the smallest errors 12 steps ahead within the history; up to 1,000 steps with intervals that widen by the ETS(A,Ad,N) variance.',
      history: FORECAST_HISTORY,
      horizon: FORECAST_HORIZON,
      params: { alpha, beta },
      variants: f.variants,
      inputs: [
        {
          name: 'adjusted',
          shape: ['batch', FORECAST_HISTORY],
          meaning: 'the last 48 deseasonalised points, oldest first, minus the last',
        },
      ],
      outputs: [
        ...['forecast', 'lower', 'upper'].map((name) => ({
          name,
          shape: ['batch', FORECAST_HORIZON],
          meaning: name === 'forecast' ? 'the deseasonalised forecast' : `${name} bound of its 95% interval`,
        })),
        { name: 'choice', shape: ['batch'], meaning: 'the variant chosen: 0 trend, 1 damped trend, 2 level only' },
        { name: 'errors', shape: ['batch', f.variants.length], meaning: "each variant's sum of squared 12-step backtest errors" },
      ],
      training: {
        seed: SEED,
        series: 150,
        fit: `grid search of alpha and beta minimising MASE over ${AHEAD} steps, the variant chosen per series`,
        dataDigest: createHash('sha256')
          .update(Buffer.concat(examples(SEED, 150).map((e) => Buffer.from(Float64Array.from(e.history).buffer))))
          .digest('hex'),
      },
      metrics: heldOutQuality(params),
    },
  };
}

// ───────────────────────── version 3 ─────────────────────────
// The same Holt recursions, five variants (version 2's three, the last value, and the last value
// with a damped drift). The graph is the smoothing: per history and variant, the level and trend
// it ends in and the spread of its one-step errors, as linear maps — a few numbers a row, where a
// graph of forecasts would answer 1,000 steps of each whatever the horizon. The workers extrapolate
// the states to the horizon asked for and choose among the variants per series by the errors of
// its own past origins (features/seasonalForecast.ts `chooseVariantForecast`), where version 2
// chose inside the graph on 24 origins within the 48-point history — too few to tell a trend from
// a walk that happened to rise.

/** Version 3's forecast for one example, as the workers make it (the reference recursions, not the graph). */
export function predictCrossValidated(input: ReturnType<typeof seasonalForecastInput>, variants: readonly HoltParams[], ahead: number) {
  const rows = 1 + input.backtest.rows;
  const count = variants.length;
  const level = new Float64Array(rows * count);
  const trend = new Float64Array(rows * count);
  const sigma = new Float64Array(rows * count);
  for (let r = 0; r < rows; r++) {
    const x = r === 0 ? input.history : input.backtest.histories.subarray((r - 1) * FORECAST_HISTORY, r * FORECAST_HISTORY);
    variantStates(variants, x).forEach((state, c) => {
      level[r * count + c] = state.level;
      trend[r * count + c] = state.trend;
      sigma[r * count + c] = state.sigma;
    });
  }
  const params = variants.flatMap((v) => [v.alpha, v.beta, v.phi]);
  return chooseVariantForecast(input, { level, trend, sigma, params, variants: count }, ahead);
}

/** Held-out MASE, seasonal naive's, and the coverage of version 3's intervals (its variant chosen per series). */
export function heldOutCrossValidated(params: Fitted, heldOut = examples(SEED + 1, 80)) {
  const variants = crossValidatedVariants(params);
  const chosen = new Array<number>(variants.length).fill(0);
  const quality = scoreHeldOut(heldOut, (e) => {
    const { points, choice } = predictCrossValidated(e.input, variants, AHEAD);
    chosen[choice]!++;
    return points;
  });
  return { ...quality, chosen: Object.fromEntries(FORECAST_VARIANTS.map((name, c) => [name, chosen[c]!])) };
}

/** The graph: per row and variant, the final level and trend, the RMS one-step error, and the variant's α β φ. */
function statesGraph(f: VariantSmoothers, history: number, doc: string): Uint8Array {
  const g = new Graph('forecast_holt_states');
  const x = g.input('adjusted', ['batch', history]);
  const count = f.variants.length;
  g.op('MatMul', [x, g.floats('level_map', f.level, [history, count])], {}, 'level');
  g.op('MatMul', [x, g.floats('trend_map', f.trend, [history, count])], {}, 'trend');
  const residuals = g.op('Reshape', [
    g.op('MatMul', [x, g.floats('residual_map', f.residuals, [history, count * f.residualCount])]),
    g.ints('residual_shape', [-1, count, f.residualCount], [3]),
  ]);
  const meanSquare = g.op('ReduceMean', [g.op('Mul', [residuals, residuals])], { axes: [2], keepdims: 0 });
  g.op('Sqrt', [meanSquare], {}, 'sigma');
  // The parameters, repeated for every row (the batcher hands each caller its own rows).
  const rows = g.op('Slice', [g.op('Shape', [x]), g.ints('rows_from', [0], [1]), g.ints('rows_to', [1], [1])]);
  const shape = g.op('Concat', [rows, g.ints('params_tail', [count, 3], [2])], { axis: 0 });
  const table = f.variants.flatMap((v) => [v.alpha, v.beta, v.phi]);
  g.op('Expand', [g.floats('params_table', table, [1, count, 3]), shape], {}, 'params');
  for (const out of ['level', 'trend', 'sigma']) g.output(out, ['batch', count]);
  g.output('params', ['batch', count, 3]);
  return g.toBytes(doc);
}

export function buildCrossValidatedForecast(params: Fitted = fitSeasonalHolt()): BuiltModel {
  const f = variantSmoothers(params, FORECAST_HISTORY);
  const { alpha, beta } = params;
  return {
    name: 'forecast-holt-winters',
    version: 3,
    task: 'FORECAST',
    bytes: statesGraph(
      f,
      FORECAST_HISTORY,
      `Holt (alpha=${alpha}, beta=${beta}) on the deseasonalised series as linear maps: the final level and trend and the one-step RMS error of five variants — trend, damped trend (phi 0.9), level, last value, last value with a damped drift — for the workers to extrapolate and choose among by the series' own past errors.`,
    ),
    metadata: {
      description: `Holt on the last 48 deseasonalised points (the workers remove and restore the seasons of the detected periods): five variants' final states. The workers run it from up to 200 past origins of the series in the same batch, extrapolate every state to the horizon asked for (ETS(A,Ad,N)), choose the variant whose forecasts from the latest ${SELECTION_ORIGINS_LATEST} origins missed least, and draw its intervals from that variant's errors at every origin.`,
      history: FORECAST_HISTORY,
      params: { alpha, beta },
      variants: f.variants.map((v, c) => ({ name: FORECAST_VARIANTS[c], ...v })),
      inputs: [
        {
          name: 'adjusted',
          shape: ['batch', FORECAST_HISTORY],
          meaning: 'the last 48 deseasonalised points, oldest first, minus the last',
        },
      ],
      outputs: [
        { name: 'level', shape: ['batch', count(f)], meaning: "each variant's level at the last point (relative to it)" },
        { name: 'trend', shape: ['batch', count(f)], meaning: "each variant's trend per step at the last point" },
        { name: 'sigma', shape: ['batch', count(f)], meaning: "the RMS of each variant's one-step errors after the warm-up" },
        { name: 'params', shape: ['batch', count(f), 3], meaning: "each variant's alpha, beta and phi" },
      ],
      training: {
        seed: SEED,
        series: 150,
        fit: `alpha and beta of version 2 (grid search minimising MASE over ${AHEAD} steps); the variant is chosen per series at run time`,
      },
      metrics: heldOutCrossValidated(params),
    },
  };
}

const count = (f: VariantSmoothers) => f.variants.length;
