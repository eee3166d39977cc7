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
