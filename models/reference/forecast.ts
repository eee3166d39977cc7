// Forecasters whose forecast is a linear map of the history: additive Holt–Winters with fixed
// (fitted) smoothing parameters, and a ridge-fitted autoregression on first differences. Both are
// written as matrices (history → horizon, history → one-step residuals) plus per-step interval
// multipliers, which is exactly what the ONNX graphs compute.
import { Z95 } from '../features/holtPath.js';

export { Z95 };

export const HISTORY = 48;
export const HORIZON = 12;
export const PERIOD = 12;

export interface LinearForecaster {
  /** [history × horizon], row-major. */
  forecast: Float64Array;
  /** [history × residualCount]: one-step-ahead in-sample residuals. */
  residuals: Float64Array;
  residualCount: number;
  /** Per horizon step: Z95 × the standard-deviation multiplier of the h-step error. */
  band: Float64Array;
}

export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
}

/** Additive Holt–Winters on one history: the forecast and the one-step residuals. */
export function holtWinters(x: ArrayLike<number>, { alpha, beta, gamma }: HoltWintersParams, period = PERIOD, horizon = HORIZON) {
  const mean = (from: number) => {
    let s = 0;
    for (let i = from; i < from + period; i++) s += x[i]!;
    return s / period;
  };
  let level = mean(0);
  let trend = (mean(period) - mean(0)) / period;
  const season = Array.from({ length: period }, (_, i) => x[i]! - level);
  const residuals: number[] = [];
  for (let t = period; t < x.length; t++) {
    const s = season[t % period]!;
    residuals.push(x[t]! - (level + trend + s));
    const nextLevel = alpha * (x[t]! - s) + (1 - alpha) * (level + trend);
    trend = beta * (nextLevel - level) + (1 - beta) * trend;
    season[t % period] = gamma * (x[t]! - nextLevel) + (1 - gamma) * s;
    level = nextLevel;
  }
  const forecast = Array.from({ length: horizon }, (_, h) => level + (h + 1) * trend + season[(x.length + h) % period]!);
  return { forecast, residuals };
}

/** Turns a linear procedure into matrices by applying it to the unit vectors (history × horizon, history × residuals). */
export function linearise(history: number, horizon: number, run: (x: Float64Array) => { forecast: number[]; residuals: number[] }) {
  const residualCount = run(new Float64Array(history)).residuals.length;
  const forecast = new Float64Array(history * horizon);
  const residuals = new Float64Array(history * residualCount);
  for (let j = 0; j < history; j++) {
    const e = new Float64Array(history);
    e[j] = 1;
    const out = run(e);
    out.forecast.forEach((v, h) => (forecast[j * horizon + h] = v));
    out.residuals.forEach((v, r) => (residuals[j * residualCount + r] = v));
  }
  return { forecast, residuals, residualCount };
}

export function holtWintersForecaster(params: HoltWintersParams, history = HISTORY, horizon = HORIZON, period = PERIOD): LinearForecaster {
  const { alpha, beta, gamma } = params;
  // Var(h) = σ²[1 + Σ_{j<h} (α(1 + jβ) + γ·[j mod m = 0])²]  (additive ETS(A,A,A))
  const band = Float64Array.from({ length: horizon }, (_, h) => {
    let v = 1;
    for (let j = 1; j <= h; j++) v += (alpha * (1 + j * beta) + (j % period === 0 ? gamma : 0)) ** 2;
    return Z95 * Math.sqrt(v);
  });
  return { ...linearise(history, horizon, (x) => holtWinters(x, params, period, horizon)), band };
}

/** AR(p) on first differences with drift: the forecast integrates the predicted differences. */
export function arDifferences(x: ArrayLike<number>, phi: ArrayLike<number>, horizon = HORIZON) {
  const p = phi.length;
  const d = Array.from({ length: x.length - 1 }, (_, t) => x[t + 1]! - x[t]!);
  const drift = d.reduce((a, b) => a + b, 0) / d.length;
  const c = d.map((v) => v - drift);
  const residuals: number[] = [];
  for (let t = p; t < c.length; t++) {
    let pred = 0;
    for (let i = 0; i < p; i++) pred += phi[i]! * c[t - 1 - i]!;
    residuals.push(c[t]! - pred);
  }
  const future = [...c];
  const forecast: number[] = [];
  let last = x[x.length - 1]!;
  for (let h = 0; h < horizon; h++) {
    let pred = 0;
    for (let i = 0; i < p; i++) pred += phi[i]! * future[future.length - 1 - i]!;
    future.push(pred);
    last += pred + drift;
    forecast.push(last);
  }
  return { forecast, residuals };
}

export function arForecaster(phi: ArrayLike<number>, history = HISTORY, horizon = HORIZON): LinearForecaster {
  // ψ-weights of the differences, summed into the integrated series' error.
  const psi = [1];
  for (let j = 1; j < horizon; j++) {
    let s = 0;
    for (let i = 1; i <= Math.min(j, phi.length); i++) s += phi[i - 1]! * psi[j - i]!;
    psi.push(s);
  }
  const band = Float64Array.from({ length: horizon }, (_, h) => {
    let v = 0;
    for (let j = 0; j <= h; j++) {
      let cumulative = 0;
      for (let k = 0; k <= j; k++) cumulative += psi[k]!;
      v += cumulative ** 2;
    }
    return Z95 * Math.sqrt(v);
  });
  return { ...linearise(history, horizon, (x) => arDifferences(x, phi, horizon)), band };
}

/** What the ONNX graph computes, in float64: forecast, lower and upper bounds for each history row. */
export function applyForecaster(f: LinearForecaster, histories: ArrayLike<number>, history = HISTORY, horizon = HORIZON) {
  const rows = histories.length / history;
  const out = {
    forecast: new Float64Array(rows * horizon),
    lower: new Float64Array(rows * horizon),
    upper: new Float64Array(rows * horizon),
  };
  for (let r = 0; r < rows; r++) {
    let ss = 0;
    for (let k = 0; k < f.residualCount; k++) {
      let v = 0;
      for (let j = 0; j < history; j++) v += histories[r * history + j]! * f.residuals[j * f.residualCount + k]!;
      ss += v * v;
    }
    const sigma = Math.sqrt(ss / f.residualCount);
    for (let h = 0; h < horizon; h++) {
      let v = 0;
      for (let j = 0; j < history; j++) v += histories[r * history + j]! * f.forecast[j * horizon + h]!;
      out.forecast[r * horizon + h] = v;
      out.lower[r * horizon + h] = v - sigma * f.band[h]!;
      out.upper[r * horizon + h] = v + sigma * f.band[h]!;
    }
  }
  return out;
}
