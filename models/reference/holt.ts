// Holt's linear method with a damped trend (ETS(A,Ad,N)) on a deseasonalised history, in plain
// TypeScript: the recursion, and its prediction-interval multipliers. With fixed α, β, φ the
// forecast and the one-step residuals are linear in the history, which is what the ONNX graph of
// forecast-holt-winters version 2 computes (see ./forecast.ts's linearise).
import { linearise, Z95, type LinearForecaster } from './forecast.js';

export interface HoltParams {
  alpha: number;
  beta: number;
  /** Trend damping (1: none). */
  phi: number;
}

/** Points of the history that set the initial level and trend (by least squares). */
export const HOLT_WARMUP = 12;

/** Forecast `horizon` steps from `x`, and the one-step residuals after the warm-up. */
export function holt(x: ArrayLike<number>, { alpha, beta, phi }: HoltParams, horizon: number) {
  const k = Math.min(HOLT_WARMUP, x.length);
  let mt = 0;
  let my = 0;
  for (let t = 0; t < k; t++) {
    mt += t / k;
    my += x[t]! / k;
  }
  let stt = 0;
  let sty = 0;
  for (let t = 0; t < k; t++) {
    stt += (t - mt) ** 2;
    sty += (t - mt) * (x[t]! - my);
  }
  let trend = stt ? sty / stt : 0;
  let level = my - trend * mt; // at t = 0
  const residuals: number[] = [];
  for (let t = 1; t < x.length; t++) {
    const predicted = level + phi * trend;
    if (t >= k) residuals.push(x[t]! - predicted);
    const next = alpha * x[t]! + (1 - alpha) * predicted;
    trend = beta * (next - level) + (1 - beta) * phi * trend;
    level = next;
  }
  const forecast: number[] = [];
  let damped = 0;
  for (let h = 1; h <= horizon; h++) {
    damped += phi ** h;
    forecast.push(level + damped * trend);
  }
  return { forecast, residuals };
}

/** Z95 × √(1 + Σ_{j<h} c_j²), c_j = α(1 + β(φ + … + φ^j)): the ETS(A,Ad,N) interval half-width per σ. */
export function holtBand({ alpha, beta, phi }: HoltParams, horizon: number): Float64Array {
  const band = new Float64Array(horizon);
  let variance = 1;
  let damped = 0;
  for (let h = 1; h <= horizon; h++) {
    band[h - 1] = Z95 * Math.sqrt(variance);
    damped += phi ** h;
    variance += (alpha * (1 + beta * damped)) ** 2;
  }
  return band;
}

/** The damped Holt method as a linear map of the history (what the ONNX graph multiplies by). */
export function holtForecaster(params: HoltParams, history: number, horizon: number): LinearForecaster {
  return { ...linearise(history, horizon, (x) => holt(x, params, horizon)), band: holtBand(params, horizon) };
}
