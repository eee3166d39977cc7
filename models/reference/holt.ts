// Holt's linear method with a damped trend (ETS(A,Ad,N)) on a deseasonalised history, in plain
// TypeScript: the recursion, its prediction-interval multipliers, and the choice among a few
// variants — trend, damped trend, level only — by their errors 12 steps ahead within the history
// itself (a persistent trend, as CO2's, keeps its trend; weather settles to its season). With fixed
// α, β, φ every forecast and residual is linear in the history, which is what the ONNX graph of
// forecast-holt-winters version 2 computes (see ./forecast.ts's linearise).
import { dampedSums, holtBand, type HoltParams } from '../features/holtPath.js';
import { linearise, type LinearForecaster } from './forecast.js';

export { holtBand, type HoltParams };

/** The root mean square of one-step residuals: the σ a variant's band is scaled by (ReduceMean of squares, Sqrt, in the graphs). */
const rms = (residuals: readonly number[]) => Math.sqrt(residuals.reduce((a, r) => a + r * r, 0) / residuals.length);

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
  const forecast = Array.from(dampedSums(phi, horizon), (damped) => level + damped * trend);
  return { forecast, residuals, level, trend };
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
  const sigma = rms(residuals);
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

/**
 * Version 3's graph as matrices: the level and trend each variant ends a history in, and its
 * one-step residuals, are linear in the history ([history × variants] and [history × variants ·
 * residualCount], variant-major).
 */
export interface VariantSmoothers {
  variants: HoltParams[];
  level: Float64Array;
  trend: Float64Array;
  residuals: Float64Array;
  residualCount: number;
}

export function variantSmoothers(params: Pick<HoltParams, 'alpha' | 'beta'>, history: number): VariantSmoothers {
  const variants = crossValidatedVariants(params);
  const maps = variants.map((v) =>
    linearise(history, 2, (x) => {
      const { level, trend, residuals } = holt(x, v, 0);
      return { forecast: [level, trend], residuals };
    }),
  );
  const residualCount = maps[0]!.residualCount;
  const level = new Float64Array(history * variants.length);
  const trend = new Float64Array(history * variants.length);
  const residuals = new Float64Array(history * variants.length * residualCount);
  maps.forEach((m, c) => {
    for (let j = 0; j < history; j++) {
      level[j * variants.length + c] = m.forecast[j * 2]!;
      trend[j * variants.length + c] = m.forecast[j * 2 + 1]!;
      for (let k = 0; k < residualCount; k++)
        residuals[j * variants.length * residualCount + c * residualCount + k] = m.residuals[j * residualCount + k]!;
    }
  });
  return { variants, level, trend, residuals, residualCount };
}

/** What version 3's graph computes for one history, by the recursions: each variant's final level and trend, and the RMS of its one-step residuals. */
export function variantStates(variants: readonly HoltParams[], x: ArrayLike<number>) {
  return variants.map((v) => {
    const { level, trend, residuals } = holt(x, v, 0);
    return { level, trend, sigma: rms(residuals) };
  });
}
