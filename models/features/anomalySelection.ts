// From the seasonal anomaly model's per-point scores to flags: spikes by the generalised ESD test
// (Rosner 1983; with median and MAD, as in Twitter's S-H-ESD), which sets the threshold from the
// series' length so that a clean series of any length raises a false flag with probability α;
// level shifts and variance changes where their statistic peaks, in units of its own spread over
// the series (an autocorrelated residual wanders more than white noise, and is judged so).
import { HALF_WINDOW } from './residualWindows.js';
import { robustSigma } from './robust.js';

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** Student's t quantile by the Cornish–Fisher expansion around the normal one (ample for df ≥ 10). */
export function tQuantile(p: number, df: number): number {
  const z = normalQuantile(p);
  const z3 = z ** 3;
  const z5 = z ** 5;
  return (
    z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) + (3 * z ** 7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}

/** The generalised ESD critical value λ_i for the i-th most extreme of n points (1-based). */
export function esdCritical(n: number, i: number, alpha: number): number {
  const m = n - i + 1;
  const t = tQuantile(1 - alpha / (2 * m), Math.max(1, m - 2));
  return ((m - 1) * t) / Math.sqrt((m - 2 + t * t) * m);
}

export interface SpikeOptions {
  /** Chance that a series with no anomaly gets a flag. @default 0.05 */
  alpha?: number;
  /** Most points flagged, as a share of the series. @default 0.05 */
  maxShare?: number;
}

/** Indices of the spikes: the k most extreme scores, k the largest i whose score exceeds λ_i. */
export function selectSpikes(scores: ArrayLike<number>, { alpha = 0.05, maxShare = 0.05 }: SpikeOptions = {}): number[] {
  const n = scores.length;
  if (n < 10) return [];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const most = Math.max(1, Math.floor(n * maxShare));
  let k = 0;
  for (let i = 1; i <= most; i++) if (scores[order[i - 1]!]! > esdCritical(n, i, alpha)) k = i;
  return order.slice(0, k).sort((a, b) => a - b);
}

/** Shift and variance statistics must stand this many of their own robust spreads from zero. */
export const CHANGE_THRESHOLD = 4;

export interface ChangePoint {
  index: number;
  /** The statistic in units of its robust spread over the series (signed). */
  z: number;
}

/**
 * Change points of a per-point statistic: local extremes of |z| (one per ±12 points) above the
 * threshold, away from the series' first and last `edge` points, where a window is mostly mirror.
 */
export function selectChanges(statistic: ArrayLike<number>, { threshold = CHANGE_THRESHOLD, edge = 4 } = {}): ChangePoint[] {
  const n = statistic.length;
  if (n < 2 * edge + 2) return [];
  const spread = robustSigma(statistic) || 1;
  const z = Float64Array.from(statistic, (v) => v / spread);
  const found: ChangePoint[] = [];
  for (let t = edge; t < n - edge; t++) {
    const v = Math.abs(z[t]!);
    if (v <= threshold) continue;
    let peak = true;
    for (let k = Math.max(0, t - HALF_WINDOW); k <= Math.min(n - 1, t + HALF_WINDOW) && peak; k++) {
      if (Math.abs(z[k]!) > v || (Math.abs(z[k]!) === v && k < t)) peak = false;
    }
    if (peak) found.push({ index: t, z: z[t]! });
  }
  return found;
}
