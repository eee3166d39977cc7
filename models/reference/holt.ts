// Holt's linear method with a damped trend (ETS(A,Ad,N)) on a deseasonalised history, in plain
// TypeScript: the recursion, its prediction-interval multipliers, and the choice among a few
// variants — trend, damped trend, level only — by their errors 12 steps ahead within the history
// itself (a persistent trend, as CO2's, keeps its trend; weather settles to its season). With fixed
// α, β, φ every forecast and residual is linear in the history, which is what the ONNX graph of
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

/** How far ahead the variants are compared within the history, and over how many origins. */
export const SELECTION_LEAD = 12;
export const SELECTION_ORIGINS = 24;

/** The variants one fitted α, β gives: undamped trend, damped trend (φ 0.9), level only. */
export function holtVariants({ alpha, beta }: Pick<HoltParams, 'alpha' | 'beta'>): HoltParams[] {
  return [
    { alpha, beta, phi: 1 },
    { alpha, beta, phi: 0.9 },
    { alpha, beta: 0, phi: 0 },
  ];
}

/**
 * The variant's errors SELECTION_LEAD steps ahead from each origin t in the last
 * SELECTION_ORIGINS before the end allows, fitted on x[0..t] only: x[t+12] − forecast.
 */
export function holtBacktest(x: ArrayLike<number>, params: HoltParams): number[] {
  const n = x.length;
  const errors: number[] = [];
  for (let t = n - SELECTION_LEAD - SELECTION_ORIGINS; t < n - SELECTION_LEAD; t++) {
    const history = Array.from({ length: t + 1 }, (_, i) => x[i]!);
    errors.push(x[t + SELECTION_LEAD]! - holt(history, params, SELECTION_LEAD).forecast[SELECTION_LEAD - 1]!);
  }
  return errors;
}

export interface SelectingForecaster {
  variants: HoltParams[];
  /** Per variant: the forecast and one-step residual maps and the band. */
  forecasters: LinearForecaster[];
  /** Per variant: [history × SELECTION_ORIGINS], the backtest errors as a map. */
  backtests: Float64Array[];
}

export function selectingForecaster(params: Pick<HoltParams, 'alpha' | 'beta'>, history: number, horizon: number): SelectingForecaster {
  const variants = holtVariants(params);
  return {
    variants,
    forecasters: variants.map((v) => holtForecaster(v, history, horizon)),
    backtests: variants.map((v) => {
      const map = new Float64Array(history * SELECTION_ORIGINS);
      for (let j = 0; j < history; j++) {
        const e = new Float64Array(history);
        e[j] = 1;
        holtBacktest(e, v).forEach((r, k) => (map[j * SELECTION_ORIGINS + k] = r));
      }
      return map;
    }),
  };
}

/** What the ONNX graph computes for one history: the chosen variant (the smallest backtest error, the first on a tie) and its forecast. */
export function applySelecting(f: SelectingForecaster, x: ArrayLike<number>, horizon: number) {
  const errors = f.variants.map((v) => holtBacktest(x, v).reduce((a, r) => a + r * r, 0));
  const choice = errors.indexOf(Math.min(...errors));
  const { forecast, residuals } = holt(x, f.variants[choice]!, horizon);
  const sigma = Math.sqrt(residuals.reduce((a, r) => a + r * r, 0) / residuals.length);
  const band = f.forecasters[choice]!.band;
  return {
    choice,
    errors,
    forecast,
    lower: forecast.map((v, h) => v - sigma * band[h]!),
    upper: forecast.map((v, h) => v + sigma * band[h]!),
  };
}

/**
 * The variants of forecast-holt-winters version 3, chosen among per series by the errors of its
 * own past origins (not within one 48-point history): version 2's three, and two that take the
 * last value as the level — as it is (the random walk's forecast, which a share price or an
 * employment curve past its turning point is hard to beat) and with a damped drift (the recent
 * steps' average, fading).
 */
export function crossValidatedVariants({ alpha, beta }: Pick<HoltParams, 'alpha' | 'beta'>): HoltParams[] {
  return [...holtVariants({ alpha, beta }), { alpha: 1, beta: 0, phi: 0 }, { alpha: 1, beta, phi: 0.9 }];
}

export interface VariantForecasters {
  variants: HoltParams[];
  forecasters: LinearForecaster[];
}

export function variantForecasters(params: Pick<HoltParams, 'alpha' | 'beta'>, history: number, horizon: number): VariantForecasters {
  const variants = crossValidatedVariants(params);
  return { variants, forecasters: variants.map((v) => holtForecaster(v, history, horizon)) };
}

/** What version 3's graph computes for one history: every variant's forecast and 95% half-width (σ of its one-step residuals × its band). */
export function applyVariants(f: VariantForecasters, x: ArrayLike<number>, horizon: number) {
  return f.variants.map((v, c) => {
    const { forecast, residuals } = holt(x, v, horizon);
    const sigma = Math.sqrt(residuals.reduce((a, r) => a + r * r, 0) / residuals.length);
    const band = f.forecasters[c]!.band;
    return { forecast, half: forecast.map((_, h) => sigma * band[h]!) };
  });
}
