// forecast-holt-winters and forecast-ar: linear maps (history → horizon) fitted here on synthetic
// seasonal series, with prediction intervals from each history's own one-step residuals.
import { createHash } from 'node:crypto';
import { Graph } from '../onnx/graph.js';
import {
  arDifferences,
  arForecaster,
  HISTORY,
  HORIZON,
  holtWinters,
  holtWintersForecaster,
  PERIOD,
  type HoltWintersParams,
  type LinearForecaster,
} from '../reference/forecast.js';
import { trainingSeries } from '../training/series.js';
import type { BuiltModel } from './types.js';

const SEED = 11;
export const AR_ORDER = 13;
const RIDGE = 1e-3;

/** Training pairs: a 48-point history and the 12 points after it. */
function trainingPairs(seed: number, count: number) {
  return trainingSeries(seed, count, HISTORY + HORIZON, PERIOD).map((s) => ({
    history: s.subarray(0, HISTORY),
    future: s.subarray(HISTORY),
  }));
}

const dataDigest = (pairs: Array<{ history: Float64Array }>) =>
  createHash('sha256')
    .update(Buffer.concat(pairs.map((p) => Buffer.from(Float64Array.from(p.history).buffer))))
    .digest('hex');

/** Mean absolute error scaled by the history's in-sample seasonal-naive error (MASE). */
export function mase(forecast: ArrayLike<number>, future: ArrayLike<number>, history: ArrayLike<number>, period = PERIOD): number {
  let scale = 0;
  for (let t = period; t < history.length; t++) scale += Math.abs(history[t]! - history[t - period]!);
  scale /= history.length - period;
  let err = 0;
  for (let h = 0; h < future.length; h++) err += Math.abs(forecast[h]! - future[h]!);
  return err / future.length / (scale || 1);
}

/** Grid search of α, β, γ minimising the 12-step MASE over the training histories. */
export function fitHoltWinters(pairs = trainingPairs(SEED, 200)): HoltWintersParams & { mase: number } {
  let best = { alpha: 0.5, beta: 0.1, gamma: 0.1, mase: Infinity };
  for (const alpha of [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8])
    for (const beta of [0, 0.01, 0.03, 0.05, 0.1, 0.2])
      for (const gamma of [0, 0.05, 0.1, 0.2, 0.3, 0.5]) {
        let total = 0;
        for (const { history, future } of pairs) total += mase(holtWinters(history, { alpha, beta, gamma }).forecast, future, history);
        const m = total / pairs.length;
        if (m < best.mase) best = { alpha, beta, gamma, mase: m };
      }
  return best;
}

/** Ridge regression of each centred difference on the `AR_ORDER` before it, over all training series. */
export function fitAr(pairs = trainingPairs(SEED, 200)): Float64Array {
  const p = AR_ORDER;
  const xtx = Array.from({ length: p }, () => new Float64Array(p));
  const xty = new Float64Array(p);
  for (const { history } of pairs) {
    const d = Array.from({ length: history.length - 1 }, (_, t) => history[t + 1]! - history[t]!);
    const drift = d.reduce((a, b) => a + b, 0) / d.length;
    const c = d.map((v) => v - drift);
    const scale = Math.sqrt(c.reduce((a, b) => a + b * b, 0) / c.length) || 1;
    for (let t = p; t < c.length; t++) {
      for (let i = 0; i < p; i++) {
        xty[i]! += (c[t - 1 - i]! * c[t]!) / scale ** 2;
        for (let k = 0; k < p; k++) xtx[i]![k]! += (c[t - 1 - i]! * c[t - 1 - k]!) / scale ** 2;
      }
    }
  }
  const n = xtx[0]![0]!;
  for (let i = 0; i < p; i++) xtx[i]![i]! += RIDGE * n;
  return solve(xtx, xty);
}

/** Gaussian elimination with partial pivoting. */
function solve(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / m[col]![col]!;
      for (let k = col; k <= n; k++) m[r]![k]! -= f * m[col]![k]!;
    }
  }
  return Float64Array.from({ length: n }, (_, i) => m[i]![n]! / m[i]![i]!);
}

/**
 * A linear forecaster as a graph: forecast = x·F, σ = RMS of the one-step residuals x·R, and the
 * 95% bounds forecast ∓ σ·band.
 */
export function forecastGraph(
  name: string,
  f: LinearForecaster,
  doc: string,
  { input = 'history', history = HISTORY, horizon = HORIZON }: { input?: string; history?: number; horizon?: number } = {},
): Uint8Array {
  const g = new Graph(name);
  const x = g.input(input, ['batch', history]);
  const forecast = g.op('MatMul', [x, g.floats('forecast_map', f.forecast, [history, horizon])], {}, 'forecast');
  const residuals = g.op('MatMul', [x, g.floats('residual_map', f.residuals, [history, f.residualCount])]);
  const sigma = g.op('Sqrt', [g.op('ReduceMean', [g.op('Mul', [residuals, residuals])], { axes: [1], keepdims: 1 })]);
  const band = g.op('Mul', [sigma, g.floats('band', f.band, [1, horizon])]);
  g.op('Sub', [forecast, band], {}, 'lower');
  g.op('Add', [forecast, band], {}, 'upper');
  for (const out of ['forecast', 'lower', 'upper']) g.output(out, ['batch', horizon]);
  return g.toBytes(doc);
}

const io = {
  inputs: [{ name: 'history', shape: ['batch', HISTORY], meaning: `the last ${HISTORY} points, oldest first (period ${PERIOD})` }],
  outputs: ['forecast', 'lower', 'upper'].map((name) => ({
    name,
    shape: ['batch', HORIZON],
    meaning: name === 'forecast' ? 'the next 12 points' : `${name} bound of the 95% interval`,
  })),
};

function heldOutMase(run: (history: Float64Array) => ArrayLike<number>) {
  const pairs = trainingPairs(SEED + 1, 100);
  let model = 0;
  let naive = 0;
  for (const { history, future } of pairs) {
    model += mase(run(history), future, history);
    naive += mase(
      Array.from({ length: HORIZON }, (_, h) => history[HISTORY - PERIOD + (h % PERIOD)]!),
      future,
      history,
    );
  }
  return { mase: model / pairs.length, seasonalNaiveMase: naive / pairs.length };
}

export function buildHoltWinters(params = fitHoltWinters()): BuiltModel {
  const f = holtWintersForecaster(params);
  return {
    name: 'forecast-holt-winters',
    task: 'FORECAST',
    bytes: forecastGraph(
      'forecast_holt_winters',
      f,
      `Additive Holt-Winters (alpha=${params.alpha}, beta=${params.beta}, gamma=${params.gamma}, m=${PERIOD}) as a linear map, with 95% intervals.`,
    ),
    metadata: {
      description:
        "Additive Holt–Winters as a linear map from the last 48 points to the next 12, with 95% prediction intervals from the history's one-step residuals.",
      history: HISTORY,
      horizon: HORIZON,
      period: PERIOD,
      params: { alpha: params.alpha, beta: params.beta, gamma: params.gamma },
      ...io,
      training: { seed: SEED, series: 200, fit: 'grid search minimising 12-step MASE', dataDigest: dataDigest(trainingPairs(SEED, 200)) },
      metrics: heldOutMase((h) => holtWinters(h, params).forecast),
    },
  };
}

export function buildAr(phi = fitAr()): BuiltModel {
  const f = arForecaster(phi);
  return {
    name: 'forecast-ar',
    task: 'FORECAST',
    bytes: forecastGraph('forecast_ar', f, `Ridge AR(${AR_ORDER}) on first differences with drift, as a linear map, with 95% intervals.`),
    metadata: {
      description: `Ridge-fitted AR(${AR_ORDER}) on first differences with drift, as a linear map from the last 48 points to the next 12, with 95% intervals.`,
      history: HISTORY,
      horizon: HORIZON,
      order: AR_ORDER,
      coefficients: Array.from(phi),
      ...io,
      training: { seed: SEED, series: 200, fit: `ridge regression (lambda ${RIDGE})`, dataDigest: dataDigest(trainingPairs(SEED, 200)) },
      metrics: heldOutMase((h) => arDifferences(h, phi).forecast),
    },
  };
}
