// The seasonal anomaly model's math in plain TypeScript (float64), over the rows of
// ../features/residualWindows.ts — one row per point of a decomposed series:
//  - spike: how far the point's residual is from the median of its 7 neighbours, in scales
//    (a run of four or more moves the median, so a sustained excursion is no spike);
//  - shift: the step at the point in the least-squares fit level = a + b·τ + δ·[τ ≥ 0] over the
//    24 points around it, over its standard error at that scale (a z-score, signed);
//  - variance: log of the ratio of residual MADs after and before the point (13 points each).
import { HALF_WINDOW, LEVEL_WIDTH, RESIDUAL_WIDTH, SPIKE_HALF } from '../features/residualWindows.js';
import { median } from '../features/robust.js';
import { stepWeights } from '../features/stepFit.js';

/** Added to both MADs of the variance ratio, in scales, so an exactly flat stretch is not infinitely calm. */
export const VARIANCE_FLOOR = 0.05;

const mad = (xs: number[]) => {
  const m = median(xs);
  return median(xs.map((v) => Math.abs(v - m)));
};

export interface SeasonalScores {
  spike: Float64Array;
  shift: Float64Array;
  variance: Float64Array;
}

/** Scores each row (see the file comment); `scale` holds one value per row. */
export function seasonalAnomalyScores(residuals: ArrayLike<number>, level: ArrayLike<number>, scale: ArrayLike<number>): SeasonalScores {
  const rows = scale.length;
  const { weights, norm } = stepWeights();
  const out = { spike: new Float64Array(rows), shift: new Float64Array(rows), variance: new Float64Array(rows) };
  for (let r = 0; r < rows; r++) {
    const s = scale[r]!;
    const w = Array.from({ length: RESIDUAL_WIDTH }, (_, k) => residuals[r * RESIDUAL_WIDTH + k]!);
    const centre = w[HALF_WINDOW]!;
    out.spike[r] = Math.abs(centre - median(w.slice(HALF_WINDOW - SPIKE_HALF, HALF_WINDOW + SPIKE_HALF + 1))) / s;
    let step = 0;
    for (let k = 0; k < LEVEL_WIDTH; k++) step += weights[k]! * level[r * LEVEL_WIDTH + k]!;
    out.shift[r] = step / (s * norm);
    const before = mad(w.slice(0, HALF_WINDOW + 1));
    const after = mad(w.slice(HALF_WINDOW));
    out.variance[r] = Math.log((after + VARIANCE_FLOOR * s) / (before + VARIANCE_FLOOR * s));
  }
  return out;
}
