// A robust seasonal-trend decomposition (in the spirit of STL, with Fourier seasons so a period
// need not be a whole number of steps — 365.25 days): value = trend + season + residual.
//
// Each pass smooths the trend by locally linear regression (tricube kernel) of the deseasonalised
// values, then fits the seasons by weighted least squares on Fourier terms of every period, in
// windows of a few cycles so a season may drift over decades. Between passes the points get
// bisquare robustness weights from their residuals, so a spike or an outage bends neither the
// trend nor the season: it stays in the residual, where the anomaly model finds it.
import { bisquareWeights, robustSigma } from './robust.js';

export interface Decomposition {
  trend: Float64Array;
  /** Sum of the seasonal components (zero when there is no period). */
  season: Float64Array;
  residual: Float64Array;
  /** trend + season: what each point would be without noise or anomalies. */
  expected: Float64Array;
  /** Robust standard deviation of the residuals (1.4826 × MAD). */
  scale: number;
  /** Robustness weight of each point in the last pass (0 for outliers). */
  weights: Float64Array;
  /** The season at any position — past the end, the latest fit carried forward (for forecasts). */
  seasonAt(position: number): number;
}

export interface DecomposeOptions {
  /** Periods in steps, longest first (see `detectPeriods`); none for a series without season. */
  periods?: readonly number[];
  /** Each point's position in steps (calendar positions leave gaps for missing points). @default the indices */
  positions?: ArrayLike<number>;
  /** Trend smoother width in steps. @default 2 × the longest period, at least 7; 7 without a period */
  trendWidth?: number;
  /** Robustness passes. @default 4 */
  passes?: number;
  /** How many cycles of the longest period each local seasonal fit sees. @default 10 */
  seasonCycles?: number;
}

/** Harmonics fitted per period: every one a whole-step period can show, at most 10. */
export function harmonicsOf(period: number): number {
  return Math.max(1, Math.min(10, Math.floor(period / 2)));
}

/** Fourier columns of one position, for every period; a sine that is zero at every whole step is left out. */
function fourierRow(t: number, periods: readonly number[], out: number[]): number[] {
  out.length = 0;
  for (const p of periods) {
    for (let k = 1; k <= harmonicsOf(p); k++) {
      const angle = (2 * Math.PI * k * t) / p;
      out.push(Math.cos(angle));
      if (2 * k !== p) out.push(Math.sin(angle));
    }
  }
  return out;
}

/** Solves the symmetric positive semi-definite system `a x = b` (Gaussian elimination, ridge for stability). */
export function solveSymmetric(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const m = a.map((row, i) => Float64Array.from([...row, b[i]!]));
  let trace = 0;
  for (let i = 0; i < n; i++) trace += m[i]![i]!;
  const ridge = 1e-10 * (trace / Math.max(1, n) || 1);
  for (let i = 0; i < n; i++) m[i]![i]! += ridge;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    if (Math.abs(p) < 1e-300) continue;
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / p;
      if (f === 0) continue;
      for (let k = col; k <= n; k++) m[r]![k]! -= f * m[col]![k]!;
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i]![n]!;
    for (let k = i + 1; k < n; k++) s -= m[i]![k]! * x[k]!;
    const p = m[i]![i]!;
    x[i] = Math.abs(p) < 1e-300 ? 0 : s / p;
  }
  return x;
}

/**
 * Locally linear regression of `y` on `positions` with a tricube kernel of half-width `half`
 * steps and per-point weights: the trend smoother. Near the ends the window is one-sided and the
 * local line extrapolates, instead of bending toward the interior as a moving average would.
 */
export function localLinear(
  y: ArrayLike<number>,
  positions: ArrayLike<number>,
  half: number,
  weights?: ArrayLike<number>,
  /** Filled, when given, with each point's leverage: the share of its own value in its fit. */
  leverage?: Float64Array,
): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  // Plain typed arrays in the hot loop (this runs n × window times per pass).
  const ys = Float64Array.from(y);
  const ts = Float64Array.from(positions);
  const ws = weights ? Float64Array.from(weights) : new Float64Array(n).fill(1);
  const reach = half + 1;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const t = ts[i]!;
    while (ts[lo]! < t - half) lo++;
    while (hi + 1 < n && ts[hi + 1]! <= t + half) hi++;
    let sw = 0;
    let st = 0;
    let stt = 0;
    let sy = 0;
    let sty = 0;
    for (let j = lo; j <= hi; j++) {
      const d = ts[j]! - t;
      const u = (d < 0 ? -d : d) / reach;
      const c = 1 - u * u * u;
      const w = c * c * c * ws[j]!;
      if (w <= 0) continue;
      const wd = w * d;
      sw += w;
      st += wd;
      stt += wd * d;
      sy += w * ys[j]!;
      sty += wd * ys[j]!;
    }
    const det = sw * stt - st * st;
    const line = Math.abs(det) > 1e-12 * sw * sw;
    // The local line's value at d = 0; a lone point (or one with no weight) keeps its neighbours' mean.
    out[i] = sw === 0 ? ys[i]! : line ? (stt * sy - st * sty) / det : sy / sw;
    if (leverage) leverage[i] = sw === 0 ? 1 : ws[i]! * (line ? stt / det : 1 / sw);
  }
  return out;
}

/** Weighted least-squares seasons of `y` (an intercept absorbs the local level and is not returned). */
function fitSeason(
  y: ArrayLike<number>,
  positions: ArrayLike<number>,
  weights: ArrayLike<number>,
  periods: readonly number[],
  from: number,
  to: number,
): Float64Array {
  const row: number[] = [];
  const width = fourierRow(0, periods, row).length + 1;
  const xtx = Array.from({ length: width }, () => new Float64Array(width));
  const xty = new Float64Array(width);
  for (let i = from; i < to; i++) {
    const w = weights[i]!;
    if (w <= 0) continue;
    fourierRow(positions[i]!, periods, row);
    row.push(1);
    for (let a = 0; a < width; a++) {
      const wa = w * row[a]!;
      xty[a]! += wa * y[i]!;
      for (let b = a; b < width; b++) xtx[a]![b]! += wa * row[b]!;
    }
  }
  for (let a = 0; a < width; a++) for (let b = 0; b < a; b++) xtx[a]![b] = xtx[b]![a]!;
  return solveSymmetric(xtx, xty).subarray(0, width - 1);
}

/**
 * The season at each point: one global fit, or fits over windows of `cycles` cycles blended
 * between block centres. `leverage`, when given, gets each point's approximate leverage in its
 * fit (parameters over the points the fit saw).
 */
function seasonOf(
  y: Float64Array,
  positions: ArrayLike<number>,
  weights: Float64Array,
  periods: readonly number[],
  cycles: number,
  leverage?: Float64Array,
): { season: Float64Array; at(position: number): number } {
  const n = y.length;
  const season = new Float64Array(n);
  if (periods.length === 0) return { season, at: () => 0 };
  const parameters = fourierRow(0, periods, []).length + 1;
  const longest = periods[0]!;
  const first = positions[0]!;
  const span = positions[n - 1]! - first;
  const row: number[] = [];
  const evaluate = (coef: Float64Array, t: number) => {
    fourierRow(t, periods, row);
    let s = 0;
    for (let k = 0; k < coef.length; k++) s += coef[k]! * row[k]!;
    return s;
  };
  if (span <= cycles * longest) {
    const coef = fitSeason(y, positions, weights, periods, 0, n);
    for (let i = 0; i < n; i++) season[i] = evaluate(coef, positions[i]!);
    leverage?.fill(Math.min(1, parameters / n));
    return { season, at: (t) => evaluate(coef, t) };
  }
  // One fit per cycle-long block, over the `cycles` cycles around its centre.
  const blocks = Math.ceil(span / longest);
  const centres = Array.from({ length: blocks }, (_, b) => first + (b + 0.5) * longest);
  const indexAt = (t: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (positions[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const seen: number[] = [];
  const fits = centres.map((c) => {
    const from = indexAt(Math.max(first, Math.min(c - (cycles / 2) * longest, positions[n - 1]! - cycles * longest)));
    const to = Math.min(n, indexAt(positions[from]! + cycles * longest) + 1);
    seen.push(to - from);
    return fitSeason(y, positions, weights, periods, from, to);
  });
  for (let i = 0; i < n; i++) {
    const t = positions[i]!;
    const at = (t - first) / longest - 0.5;
    const b = Math.max(0, Math.min(blocks - 1, Math.floor(at)));
    const next = Math.min(blocks - 1, b + 1);
    const lambda = next === b ? 0 : Math.max(0, Math.min(1, at - b));
    season[i] = (1 - lambda) * evaluate(fits[b]!, t) + lambda * evaluate(fits[next]!, t);
    if (leverage) leverage[i] = Math.min(1, parameters / seen[b]!);
  }
  const latest = fits[blocks - 1]!;
  return { season, at: (t) => evaluate(latest, t) };
}

/** Decomposes `values` into trend, seasons and residuals, robustly (see the file comment). */
export function decompose(values: ArrayLike<number>, options: DecomposeOptions = {}): Decomposition {
  const n = values.length;
  const x = Float64Array.from(values);
  const positions = options.positions ?? Float64Array.from({ length: n }, (_, i) => i);
  const periods = [...(options.periods ?? [])].sort((a, b) => b - a);
  const longest = periods[0] ?? 0;
  const width = options.trendWidth ?? (longest ? Math.max(7, 2 * longest) : 7);
  const half = Math.max(2, width / 2);
  const cycles = options.seasonCycles ?? 10;
  let weights: Float64Array = new Float64Array(n).fill(1);
  let season: Float64Array = new Float64Array(n);
  let fitted: ReturnType<typeof seasonOf> = { season, at: () => 0 };
  // A first trend over at least one whole period averages the season out.
  let trend: Float64Array = localLinear(x, positions, Math.max(half, longest / 2 + 1), weights);
  const passes = options.passes ?? 4;
  for (let pass = 0; pass < passes; pass++) {
    for (let inner = 0; inner < 2; inner++) {
      fitted = seasonOf(
        x.map((v, i) => v - trend[i]!),
        positions,
        weights,
        periods,
        cycles,
      );
      season = fitted.season;
      trend = localLinear(
        x.map((v, i) => v - season[i]!),
        positions,
        half,
        weights,
      );
    }
    if (pass < passes - 1) weights = bisquareWeights(x.map((v, i) => v - trend[i]! - season[i]!));
  }
  const expected = trend.map((v, i) => v + season[i]!);
  const residual = x.map((v, i) => v - expected[i]!);
  // A fit takes a share of each point's own noise (its leverage): residuals run smaller than the
  // noise, most at the ends. The scale is read from residuals restored to the noise's size, so a
  // clean series is not flagged for noise the fit hid.
  const trendLeverage = new Float64Array(n);
  const seasonLeverage = new Float64Array(n);
  localLinear(
    x.map((v, i) => v - season[i]!),
    positions,
    half,
    weights,
    trendLeverage,
  );
  seasonOf(
    x.map((v, i) => v - trend[i]!),
    positions,
    weights,
    periods,
    cycles,
    seasonLeverage,
  );
  const restored = residual.map((r, i) => r / Math.sqrt(Math.max(0.1, 1 - trendLeverage[i]! - seasonLeverage[i]!)));
  return { trend, season, residual, expected, scale: robustSigma(restored), weights, seasonAt: fitted.at };
}
