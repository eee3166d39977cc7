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
  /** Each point's leverage in the final fit: the weight of its own value in its trend plus that in its season. */
  leverage: Float64Array;
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
  /** How many whole cycles of the longest period each local seasonal fit sees. @default 10 */
  seasonCycles?: number;
}

/** Harmonics fitted per period: every one a whole-step period can show, at most 10. */
export function harmonicsOf(period: number): number {
  return Math.max(1, Math.min(10, Math.floor(period / 2)));
}

/** Fourier columns per position for `periods`: how many, and a sine that is zero at every whole step left out. */
function fourierWidth(periods: readonly number[]): number {
  let width = 0;
  for (const p of periods) for (let k = 1; k <= harmonicsOf(p); k++) width += 2 * k === p ? 1 : 2;
  return width;
}

/** Writes the Fourier columns of one position, for every period, into `out` (fourierWidth(periods) of them). */
function fourierRow(t: number, periods: readonly number[], out: Float64Array): Float64Array {
  let j = 0;
  for (const p of periods) {
    // Harmonic k from k − 1 by the angle-addition formulas: two trigonometric calls per period.
    const angle = (2 * Math.PI * t) / p;
    const c1 = Math.cos(angle);
    const s1 = Math.sin(angle);
    let c = c1;
    let s = s1;
    const harmonics = harmonicsOf(p);
    for (let k = 1; k <= harmonics; k++) {
      out[j++] = c;
      if (2 * k !== p) out[j++] = s;
      const next = c * c1 - s * s1;
      s = s * c1 + c * s1;
      c = next;
    }
  }
  return out;
}

/**
 * Solves in place the augmented system `m` (n rows of n + 1, row-major, the last column the
 * right-hand side) of a symmetric positive semi-definite matrix: a small ridge, Gaussian
 * elimination with partial pivoting, a zero where a pivot vanishes (a column the data cannot tell).
 */
export function solveAugmented(m: Float64Array, n: number): Float64Array {
  const w = n + 1;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += m[i * w + i]!;
  const ridge = 1e-10 * (trace / Math.max(1, n) || 1);
  for (let i = 0; i < n; i++) m[i * w + i]! += ridge;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * w + col]!) > Math.abs(m[pivot * w + col]!)) pivot = r;
    if (pivot !== col)
      for (let k = col; k < w; k++) {
        const t = m[col * w + k]!;
        m[col * w + k] = m[pivot * w + k]!;
        m[pivot * w + k] = t;
      }
    const p = m[col * w + col]!;
    if (Math.abs(p) < 1e-300) continue;
    for (let r = col + 1; r < n; r++) {
      const f = m[r * w + col]! / p;
      if (f === 0) continue;
      for (let k = col; k < w; k++) m[r * w + k]! -= f * m[col * w + k]!;
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i * w + n]!;
    for (let k = i + 1; k < n; k++) s -= m[i * w + k]! * x[k]!;
    const p = m[i * w + i]!;
    x[i] = Math.abs(p) < 1e-300 ? 0 : s / p;
  }
  return x;
}

/** Points between the trend fits of a smoother `half` steps wide (STL's jump: a tenth of the half-width). */
export const jumpOf = (half: number) => Math.max(1, Math.floor(half / 10));

/**
 * Locally linear regression of `y` on `positions` with a tricube kernel of half-width `half`
 * steps and per-point weights: the trend smoother. Near the ends the window is one-sided and the
 * local line extrapolates, instead of bending toward the interior as a moving average would.
 * As STL does, the fit is made at every `jump`-th point (and the last) and drawn linearly in
 * between: the curve is smooth on the scale of its window, and a wide window over a long series
 * costs n · window / jump instead of n · window.
 */
export function localLinear(
  y: ArrayLike<number>,
  positions: ArrayLike<number>,
  half: number,
  weights?: ArrayLike<number>,
  /** Filled, when given, with each point's leverage: the share of its own value in its fit. */
  leverage?: Float64Array,
  jump = 1,
): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  // Plain typed arrays in the hot loop (this runs n / jump × window times per pass).
  const ys = Float64Array.from(y);
  const ts = Float64Array.from(positions);
  const ws = weights ? Float64Array.from(weights) : new Float64Array(n).fill(1);
  let lo = 0;
  let hi = 0;
  const fit = (i: number) => {
    const t = ts[i]!;
    while (ts[lo]! < t - half) lo++;
    while (hi + 1 < n && ts[hi + 1]! <= t + half) hi++;
    if (!fitOver(i, lo, hi, half + 1)) {
      // Every point within reach has no weight (a spike and the neighbours it pulled, in a narrow
      // window): the fit reaches out, doubling, to the nearest points that have.
      for (let wide = Math.max(2 * half, 2) || 2; ; wide *= 2) {
        let a = lo;
        let b = hi;
        while (a > 0 && ts[a - 1]! >= t - wide) a--;
        while (b + 1 < n && ts[b + 1]! <= t + wide) b++;
        if (fitOver(i, a, b, wide + 1) || (a === 0 && b === n - 1)) break;
      }
    }
  };
  /** The fit at point i from points a…b with a kernel of `reach`; false when none of them has weight. */
  const fitOver = (i: number, a: number, b: number, reach: number): boolean => {
    const t = ts[i]!;
    let sw = 0;
    let st = 0;
    let stt = 0;
    let sy = 0;
    let sty = 0;
    for (let j = a; j <= b; j++) {
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
    if (sw === 0) {
      // No weight at all: the point keeps its own value (a series whose every point is an outlier).
      out[i] = ys[i]!;
      if (leverage) leverage[i] = 1;
      return false;
    }
    // The local line's value at d = 0; points on one spot keep their weighted mean.
    out[i] = line ? (stt * sy - st * sty) / det : sy / sw;
    if (leverage) leverage[i] = ws[i]! * (line ? stt / det : 1 / sw);
    return true;
  };
  const step = Math.max(1, Math.floor(jump));
  let previous = -1;
  for (let i = 0; i < n; i += step) {
    fit(i);
    if (previous >= 0) fillBetween(previous, i);
    previous = i;
  }
  if (previous !== n - 1 && n > 0) {
    fit(n - 1);
    if (previous >= 0) fillBetween(previous, n - 1);
  }
  return out;

  /** Points strictly between two fitted ones, on the line between them (by position). */
  function fillBetween(from: number, to: number) {
    const span = ts[to]! - ts[from]!;
    for (let k = from + 1; k < to; k++) {
      const lambda = span > 0 ? (ts[k]! - ts[from]!) / span : 0;
      out[k] = (1 - lambda) * out[from]! + lambda * out[to]!;
      if (leverage) leverage[k] = (1 - lambda) * leverage[from]! + lambda * leverage[to]!;
    }
  }
}

/** The normal equations of a weighted least-squares season fit: X'WX (upper triangle) and X'Wy. */
interface Normal {
  xtx: Float64Array;
  xty: Float64Array;
  points: number;
}

const emptyNormal = (width: number): Normal => ({ xtx: new Float64Array(width * width), xty: new Float64Array(width), points: 0 });

/** Adds points `from`…`to` − 1 to `into` (Fourier columns of every period and an intercept). */
function accumulate(
  into: Normal,
  y: ArrayLike<number>,
  positions: ArrayLike<number>,
  weights: ArrayLike<number>,
  periods: readonly number[],
  from: number,
  to: number,
): Normal {
  const width = into.xty.length;
  const row = new Float64Array(width);
  row[width - 1] = 1;
  const { xtx, xty } = into;
  into.points += to - from;
  for (let i = from; i < to; i++) {
    const w = weights[i]!;
    if (w <= 0) continue;
    fourierRow(positions[i]!, periods, row);
    const wy = w * y[i]!;
    for (let a = 0; a < width; a++) {
      const ra = row[a]!;
      const wa = w * ra;
      xty[a]! += wy * ra;
      const offset = a * width;
      for (let b = a; b < width; b++) xtx[offset + b]! += wa * row[b]!;
    }
  }
  return into;
}

/** `into` += `part`. */
function addNormal(into: Normal, part: Normal): Normal {
  for (let k = 0; k < into.xtx.length; k++) into.xtx[k]! += part.xtx[k]!;
  for (let k = 0; k < into.xty.length; k++) into.xty[k]! += part.xty[k]!;
  into.points += part.points;
  return into;
}

/** The seasons' coefficients from normal equations (the intercept absorbs the local level and is not returned). */
function solveNormal(normal: Normal): Float64Array {
  const width = normal.xty.length;
  const m = new Float64Array(width * (width + 1));
  for (let a = 0; a < width; a++) {
    for (let b = a; b < width; b++) {
      const v = normal.xtx[a * width + b]!;
      m[a * (width + 1) + b] = v;
      m[b * (width + 1) + a] = v;
    }
    m[a * (width + 1) + width] = normal.xty[a]!;
  }
  return solveAugmented(m, width).subarray(0, width - 1);
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
  const parameters = fourierWidth(periods) + 1;
  const longest = periods[0]!;
  const first = positions[0]!;
  const span = positions[n - 1]! - first;
  const row = new Float64Array(parameters - 1);
  const evaluate = (coef: Float64Array, t: number) => {
    fourierRow(t, periods, row);
    let s = 0;
    for (let k = 0; k < coef.length; k++) s += coef[k]! * row[k]!;
    return s;
  };
  if (span <= cycles * longest) {
    const coef = solveNormal(accumulate(emptyNormal(parameters), y, positions, weights, periods, 0, n));
    for (let i = 0; i < n; i++) season[i] = evaluate(coef, positions[i]!);
    leverage?.fill(Math.min(1, parameters / n));
    return { season, at: (t) => evaluate(coef, t) };
  }
  // One fit per cycle-long block, over the `cycles` cycles around its centre (positions from
  // c − cycles/2 periods, up to cycles periods on; clipped windows slide inside the series). The
  // windows overlap by all but one cycle, so each half-cycle chunk's normal equations are summed
  // once and every window adds up its chunks: the cost is one pass over the points, not `cycles`.
  const blocks = Math.ceil(span / longest);
  const last = positions[n - 1]!;
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
  const half = longest / 2;
  const chunkCount = Math.ceil(span / half) + 1;
  const chunks: Normal[] = [];
  for (let c = 0, from = 0; c < chunkCount; c++) {
    const to = c === chunkCount - 1 ? n : indexAt(first + (c + 1) * half);
    chunks.push(accumulate(emptyNormal(parameters), y, positions, weights, periods, from, to));
    from = to;
  }
  const perWindow = 2 * cycles;
  const lastStart = (last - first) / half - perWindow;
  let tail: { coef: Float64Array; points: number } | null = null;
  const seen: number[] = [];
  const fits = Array.from({ length: blocks }, (_, b) => {
    const start = Math.max(0, 2 * b + 1 - cycles);
    if (start > lastStart) {
      // Past the last whole window: the last `cycles` periods, whole chunks or not (one fit for all).
      if (!tail) {
        const normal = accumulate(emptyNormal(parameters), y, positions, weights, periods, indexAt(last - cycles * longest), n);
        tail = { coef: solveNormal(normal), points: normal.points };
      }
      seen.push(tail.points);
      return tail.coef;
    }
    const normal = emptyNormal(parameters);
    for (let c = start; c < Math.min(chunkCount, start + perWindow); c++) addNormal(normal, chunks[c]!);
    seen.push(normal.points);
    return solveNormal(normal);
  });
  for (let i = 0; i < n; i++) {
    const t = positions[i]!;
    const at = (t - first) / longest - 0.5;
    const b = Math.max(0, Math.min(blocks - 1, Math.floor(at)));
    const next = Math.min(blocks - 1, b + 1);
    const lambda = next === b ? 0 : Math.max(0, Math.min(1, at - b));
    // One row of Fourier columns, both fits' coefficients blended: a linear blend of two fits.
    fourierRow(t, periods, row);
    const here = fits[b]!;
    const there = fits[next]!;
    let value = 0;
    for (let k = 0; k < row.length; k++) value += ((1 - lambda) * here[k]! + lambda * there[k]!) * row[k]!;
    season[i] = value;
    if (leverage) leverage[i] = Math.min(1, parameters / seen[b]!);
  }
  const latest = fits[blocks - 1]!;
  return { season, at: (t) => evaluate(latest, t) };
}

/** The trend width without cross-validation: two cycles of the longest period, at least 7 steps. */
export const defaultTrendWidth = (longest: number) => (longest ? Math.max(7, 2 * longest) : 7);

/** Decomposes `values` into trend, seasons and residuals, robustly (see the file comment). */
export function decompose(values: ArrayLike<number>, options: DecomposeOptions = {}): Decomposition {
  const n = values.length;
  const x = Float64Array.from(values);
  const positions = options.positions ?? Float64Array.from({ length: n }, (_, i) => i);
  const periods = [...(options.periods ?? [])].sort((a, b) => b - a);
  const longest = periods[0] ?? 0;
  const width = options.trendWidth ?? defaultTrendWidth(longest);
  const half = Math.max(2, width / 2);
  const cycles = Math.max(1, Math.round(options.seasonCycles ?? 10));
  let weights: Float64Array = new Float64Array(n).fill(1);
  let season: Float64Array = new Float64Array(n);
  let fitted: ReturnType<typeof seasonOf> = { season, at: () => 0 };
  // A first trend over at least one whole period averages the season out.
  const first = Math.max(half, longest / 2 + 1);
  let trend: Float64Array = localLinear(x, positions, first, weights, undefined, jumpOf(first));
  const passes = Math.max(1, options.passes ?? 4);
  const jump = jumpOf(half);
  const trendLeverage = new Float64Array(n);
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
      // The last fit also reads each point's leverage (for the scale below).
      trend = localLinear(
        x.map((v, i) => v - season[i]!),
        positions,
        half,
        weights,
        pass === passes - 1 && inner === 1 ? trendLeverage : undefined,
        jump,
      );
    }
    if (pass < passes - 1) weights = bisquareWeights(x.map((v, i) => v - trend[i]! - season[i]!));
  }
  const expected = trend.map((v, i) => v + season[i]!);
  const residual = x.map((v, i) => v - expected[i]!);
  // A fit takes a share of each point's own noise (its leverage): residuals run smaller than the
  // noise, most at the ends. The scale is read from residuals restored to the noise's size, so a
  // clean series is not flagged for noise the fit hid.
  const seasonLeverage = new Float64Array(n);
  seasonOf(
    x.map((v, i) => v - trend[i]!),
    positions,
    weights,
    periods,
    cycles,
    seasonLeverage,
  );
  const leverage = trendLeverage.map((h, i) => h + seasonLeverage[i]!);
  const restored = residual.map((r, i) => r / Math.sqrt(Math.max(0.1, 1 - leverage[i]!)));
  return { trend, season, residual, expected, scale: robustSigma(restored), weights, leverage, seasonAt: fitted.at };
}

/**
 * The trend smoother's width, chosen by cross-validation: each candidate's robust spread of
 * leave-one-out residuals (a point's residual over one minus its leverage: what the fit would
 * have missed had the point been left out). A random walk or a smooth curve (employment figures
 * seasonally adjusted) is followed closely by a narrow window — a wide one leaves its bends in the
 * residuals, as noise that hides spikes; noise around a slow trend is averaged best by a wide one.
 * With seasons the candidates run from SEASONAL_MIN_TREND steps to the default of two cycles: a
 * week of weather is trend, not noise, and the trend follows it where the season alone cannot.
 */
export function chooseTrendWidth(values: ArrayLike<number>, positions?: ArrayLike<number>, periods: readonly number[] = []): number {
  const longest = Math.max(0, ...periods);
  const candidates = longest
    ? [...TREND_WIDTHS.filter((w) => w >= SEASONAL_MIN_TREND && w < defaultTrendWidth(longest)), defaultTrendWidth(longest)]
    : TREND_WIDTHS;
  // The latest points only, in a long series: the width is the series' own nature, and each
  // candidate costs a whole decomposition.
  const from = Math.max(0, values.length - Math.max(CROSS_VALIDATION_POINTS, Math.ceil(3 * longest)));
  const x = Array.prototype.slice.call(values, from) as number[];
  const at = positions ? (Array.prototype.slice.call(positions, from) as number[]) : undefined;
  let best = candidates[0]!;
  let bestSpread = Infinity;
  for (const width of candidates) {
    if (!longest && width > x.length) break;
    const d = decompose(x, { positions: at, periods, trendWidth: width });
    const spread = robustSigma(d.residual.map((r, i) => r / Math.max(0.1, 1 - d.leverage[i]!)));
    if (spread < bestSpread) {
      best = width;
      bestSpread = spread;
    }
  }
  return best;
}

/** Trend widths (in steps, narrowest first) a series is cross-validated over (with seasons, those below two cycles). */
export const TREND_WIDTHS: readonly number[] = [3, 5, 7, 11, 15, 23];
/** Points a width is cross-validated over, at most (the latest; at least three cycles of the longest season). */
export const CROSS_VALIDATION_POINTS = 5000;
/** The narrowest trend a series with seasons is given. */
export const SEASONAL_MIN_TREND = 7;
