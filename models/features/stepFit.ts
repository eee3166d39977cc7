// The least-squares step a level window is tested for: level = a + b·τ + δ·[τ ≥ 0] over
// τ = −12 … 11, fitted to the window the seasonal anomaly model reads. δ is a fixed linear
// combination of the window (the model multiplies by these weights); its standard error per unit
// of noise turns it into a z-score, and back into the size of a step found.
import { LEVEL_WIDTH } from './residualWindows.js';

/**
 * The weights that turn a level window into its step estimate: the last row of (XᵀX)⁻¹Xᵀ for
 * X = [1, τ, τ ≥ 0] with τ = −12 … 11, and their norm (the estimate's standard error per scale).
 */
export function stepWeights(width = LEVEL_WIDTH): { weights: Float64Array; norm: number } {
  const half = width / 2;
  const rows = Array.from({ length: width }, (_, k) => [1, k - half, k >= half ? 1 : 0]);
  const xtx = [0, 1, 2].map((a) => [0, 1, 2].map((b) => rows.reduce((s, r) => s + r[a]! * r[b]!, 0)));
  const inv = invert3(xtx);
  const weights = Float64Array.from(rows, (r) => inv[2]!.reduce((s, v, k) => s + v * r[k]!, 0));
  return { weights, norm: Math.sqrt(weights.reduce((s, w) => s + w * w, 0)) };
}

function invert3(m: number[][]): number[][] {
  const cof = (r1: number, r2: number, c1: number, c2: number) => m[r1]![c1]! * m[r2]![c2]! - m[r1]![c2]! * m[r2]![c1]!;
  const det = m[0]![0]! * cof(1, 2, 1, 2) - m[0]![1]! * cof(1, 2, 0, 2) + m[0]![2]! * cof(1, 2, 0, 1);
  return [
    [cof(1, 2, 1, 2) / det, -cof(0, 2, 1, 2) / det, cof(0, 1, 1, 2) / det],
    [-cof(1, 2, 0, 2) / det, cof(0, 2, 0, 2) / det, -cof(0, 1, 0, 2) / det],
    [cof(1, 2, 0, 1) / det, -cof(0, 2, 0, 1) / det, cof(0, 1, 0, 1) / det],
  ];
}

/** Standard error of the fitted step per unit of residual scale. */
export function stepStandardError(): number {
  return stepWeights().norm;
}

/** Points on each side a step is judged over: twice the window it was found in. */
export const PERSIST_REACH = LEVEL_WIDTH;
/** Share of a step that must still be there past its window. */
export const PERSIST_SHARE = 0.25;
/** Points a side needs before persistence is judged (fewer, near an end: the step stands). */
const PERSIST_MIN_SIDE = 6;

/**
 * Whether a step of `size` found at `index` of `level` (deseasonalised, spikes clipped) is a new
 * level rather than an excursion that returns: the same least-squares step, a + b·τ + δ·[τ ≥ 0],
 * fitted to the 24 points before it and to the points 12 … 23 after it — past the window it was
 * found in — must keep at least a quarter of it, in the same direction. A cold week in daily
 * temperatures shows as a step within ±12 days and is gone two weeks on (under a fifth of it is
 * left, or the other way); a new level holds, even where the series moves on afterwards (a crash
 * partly recovered). Too near an end to tell, it stands.
 */
export function persists(level: ArrayLike<number>, index: number, size: number, reach = PERSIST_REACH): boolean {
  const skip = LEVEL_WIDTH / 2;
  const from = Math.max(0, index - reach);
  const to = Math.min(level.length, index + reach);
  if (index - from < PERSIST_MIN_SIDE || to - (index + skip) < PERSIST_MIN_SIDE) return true;
  // Normal equations of [1, τ, τ ≥ 0] over the points used.
  const m = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const v = [0, 0, 0];
  for (let i = from; i < to; i++) {
    if (i >= index && i < index + skip) continue;
    const row = [1, i - index, i >= index ? 1 : 0];
    for (let a = 0; a < 3; a++) {
      v[a]! += row[a]! * level[i]!;
      for (let b = 0; b < 3; b++) m[a]![b]! += row[a]! * row[b]!;
    }
  }
  const inv = invert3(m);
  const far = inv[2]!.reduce((s, w, k) => s + w * v[k]!, 0);
  return Math.sign(far) === Math.sign(size) && Math.abs(far) >= PERSIST_SHARE * Math.abs(size);
}
