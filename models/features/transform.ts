// Whether a series is analysed on its own scale or on a log scale, decided by the data: Tukey's
// spread-versus-level plot. The series is cut into about ten blocks; in each, the level (median of
// a robust trend) and the spread (robust σ of what an additive decomposition leaves) are read, and
// log(spread) is regressed on log(level). A slope b says spread ∝ level^b, and the power 1 − b
// stabilises the variance: b near 0 wants the series as it is, b near 1 its logarithm (noise and
// seasons that grow with the level, as counts and prices often have). The log is chosen when the
// series is positive, the slope is nearer 1 than 0, and it is clear of zero (its t statistic over
// MIN_SLOPE_T) — a series whose level barely moves cannot tell, and stays as it is.
//
// On a log scale a residual is a ratio, a season multiplies, and an interval is asymmetric once
// put back; the decomposition, the anomaly scores and the forecaster are otherwise unchanged.
import { decompose } from './decompose.js';
import { median, robustSigma } from './robust.js';

export type Transform = 'none' | 'log';

/** Fewer blocks than this cannot show a relation; the series stays as it is. */
export const MIN_BLOCKS = 6;
/** Points per block, at least (a robust spread of fewer is mostly noise). */
export const MIN_BLOCK = 12;
/** The slope of log spread on log level must stand this many standard errors above zero. */
export const MIN_SLOPE_T = 2;

export interface TransformChoice {
  transform: Transform;
  /** Slope of log spread on log level (NaN when not measured). */
  slope: number;
  /** Its t statistic. */
  t: number;
}

/** The spread-versus-level slope of `values` (decomposed additively with `periods`) and the choice it implies. */
export function chooseTransform(
  values: ArrayLike<number>,
  options: { periods?: readonly number[]; positions?: ArrayLike<number> } = {},
): TransformChoice {
  const n = values.length;
  const none: TransformChoice = { transform: 'none', slope: NaN, t: NaN };
  for (let i = 0; i < n; i++) if (!(values[i]! > 0) || !Number.isFinite(values[i]!)) return none;
  const size = Math.max(MIN_BLOCK, Math.floor(n / 10));
  const blocks = Math.floor(n / size);
  if (blocks < MIN_BLOCKS) return none;
  const d = decompose(values, { periods: options.periods ?? [], positions: options.positions });
  const xs: number[] = [];
  const ys: number[] = [];
  for (let b = 0; b < blocks; b++) {
    // The last block takes the remainder.
    const from = b * size;
    const to = b === blocks - 1 ? n : from + size;
    const level = median(d.trend.subarray(from, to));
    // The noise's spread: what the additive fit leaves (a season that grows with the level leaves
    // its misfit here too).
    const spread = robustSigma(d.residual.subarray(from, to));
    if (!(level > 0) || !(spread > 0)) return none;
    xs.push(Math.log(level));
    ys.push(Math.log(spread));
  }
  const mx = xs.reduce((a, v) => a + v, 0) / blocks;
  const my = ys.reduce((a, v) => a + v, 0) / blocks;
  let sxx = 0;
  let sxy = 0;
  for (let b = 0; b < blocks; b++) {
    sxx += (xs[b]! - mx) ** 2;
    sxy += (xs[b]! - mx) * (ys[b]! - my);
  }
  if (!(sxx > 0)) return none;
  const slope = sxy / sxx;
  let sse = 0;
  for (let b = 0; b < blocks; b++) sse += (ys[b]! - my - slope * (xs[b]! - mx)) ** 2;
  const se = Math.sqrt(sse / (blocks - 2) / sxx);
  const t = se > 0 ? slope / se : slope > 0 ? Infinity : 0;
  return { transform: slope > 0.5 && t > MIN_SLOPE_T ? 'log' : 'none', slope, t };
}

/** `values` on the chosen scale. */
export function applyTransform(values: ArrayLike<number>, transform: Transform): Float64Array {
  return transform === 'log' ? Float64Array.from(values, Math.log) : Float64Array.from(values);
}

/** A value of the chosen scale back on the series' own (the log's back-transform is the median, not the mean). */
export function invertTransform(value: number, transform: Transform): number {
  return transform === 'log' ? Math.exp(value) : value;
}
