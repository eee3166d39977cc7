// Which seasons a series has. The calendar proposes (a daily series may have weeks and years, a
// monthly one years); the autocorrelation of the detrended series decides: a season shows as a
// high correlation at its lag and a low one at half of it, which a slow wander or persistence
// (a warm week following a warm week) does not produce. A series without readable timestamps
// has its lags searched for the strongest such peak.
import { calendarPeriods, type TimeAxis } from './calendar.js';
import { decompose, jumpOf, localLinear } from './decompose.js';
import { median, robustSigma } from './robust.js';

/** Autocorrelation of `x` at `lag` (the series' own mean and variance). */
export function acf(x: ArrayLike<number>, lag: number): number {
  const n = x.length;
  if (lag <= 0 || lag >= n) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let den = 0;
  for (let i = 0; i < n; i++) den += (x[i]! - mean) ** 2;
  if (den === 0) return 0;
  let num = 0;
  for (let i = lag; i < n; i++) num += (x[i]! - mean) * (x[i - lag]! - mean);
  return num / den;
}

/** A season must correlate at least this much at its lag… */
export const MIN_SEASON_ACF = 0.25;
/** …and this much more than at half its lag. */
export const MIN_SEASON_CONTRAST = 0.25;
/** Cycles a series must span before a season is looked for. */
export const MIN_CYCLES = 2.5;

/** The longest lag searched in a series without a calendar (each lag costs a pass over the series). */
export const MAX_SEARCH_LAG = 1000;

/** Detrended values are clipped to this many robust σ before their autocorrelation is read. */
export const ACF_CLIP = 3;

/**
 * `x` clipped to `ACF_CLIP` robust σ around its median: a few spikes would otherwise fill the
 * autocorrelation's denominator and hide a season (three 6 σ spikes in ten years of monthly
 * unemployment took its yearly season away). A season of one sharp peak a cycle is clipped too,
 * which is why the season is also judged on the values as they are.
 */
export function clipped(x: ArrayLike<number>): Float64Array {
  const m = median(x);
  const c = ACF_CLIP * robustSigma(x);
  return c > 0 ? Float64Array.from(x, (v) => Math.max(m - c, Math.min(m + c, v))) : Float64Array.from(x);
}

/** A long season the calendar proposes is judged on means of this many parts of it (a year of days on about monthly means). */
export const SEASON_PARTS = 12;

/** Means of consecutive blocks of `size` points (a last partial block left out). */
function blockMeans(x: ArrayLike<number>, size: number): Float64Array {
  const out = new Float64Array(Math.floor(x.length / size));
  for (let b = 0; b < out.length; b++) {
    let sum = 0;
    for (let k = 0; k < size; k++) sum += x[b * size + k]!;
    out[b] = sum / size;
  }
  return out;
}

/**
 * Whether `x` (detrended, earlier seasons removed) shows a season of `period` steps. A long
 * season is judged on block means, SEASON_PARTS to a cycle: a year of daily counts varies more
 * from day to day than over the year, and its autocorrelation at 365 days is low though the year
 * is plain in monthly means.
 */
export function showsSeason(raw: ArrayLike<number>, period: number): boolean {
  const size = Math.max(1, Math.floor(period / SEASON_PARTS));
  const lag = Math.round(period / size);
  const half = Math.round(period / size / 2);
  const shows = (x: ArrayLike<number>) => correlatesAt(x, lag, half);
  const read = (x: ArrayLike<number>) => (size > 1 ? blockMeans(x, size) : x);
  // Clipped, a few spikes cannot hide a season; as they are, a season that is one sharp peak a
  // cycle (December's sales) is not clipped away.
  return shows(read(clipped(raw))) || shows(read(raw));
}

/** A season's mark in the autocorrelation: high at its lag, and clearly higher than at half of it. */
function correlatesAt(x: ArrayLike<number>, lag: number, half: number): boolean {
  const at = acf(x, lag);
  return at >= MIN_SEASON_ACF && at - acf(x, half) >= MIN_SEASON_CONTRAST;
}

/** The periods of the series, longest first; [] when it has no season (or is too short to tell). */
export function detectPeriods(values: ArrayLike<number>, axis: TimeAxis): number[] {
  const n = values.length;
  const span = n ? axis.positions[n - 1]! + 1 : 0;
  const candidates = calendarPeriods(axis.unit).filter((p) => span >= MIN_CYCLES * p && p >= 2);
  if (axis.unit === 'none' || axis.unit === 'other') return searchPeriod(values, axis.positions);
  // Shortest first: a longer candidate that is a multiple of a shorter season (168 hours, 7 × 24)
  // correlates at its lag through the shorter one alone, so it is judged with that season removed.
  const accepted: number[] = [];
  for (const p of [...candidates].sort((a, b) => a - b)) {
    // Remove the trend (over two cycles, so this season survives) and the seasons already found.
    const known = accepted.length ? decompose(values, { periods: accepted, positions: axis.positions, trendWidth: 2 * p }) : null;
    const base = known
      ? known.trend.map((t, i) => t + known.season[i]!)
      : localLinear(values, axis.positions, p, undefined, undefined, jumpOf(p));
    if (
      showsSeason(
        Float64Array.from(values, (v, i) => v - base[i]!),
        p,
      )
    )
      accepted.push(p);
  }
  return accepted.sort((a, b) => b - a);
}

/** The strongest seasonal lag of a series without a calendar, or none. */
function searchPeriod(values: ArrayLike<number>, positions: ArrayLike<number>): number[] {
  const n = values.length;
  const maxLag = Math.min(MAX_SEARCH_LAG, Math.floor(n / MIN_CYCLES));
  if (maxLag < 2) return [];
  const half = Math.max(10, n / 8);
  const trend = localLinear(values, positions, half, undefined, undefined, jumpOf(half));
  // Clipped only: searched blind over every lag, two outliers far above the rest would correlate at
  // the lag between them.
  const d = clipped(Float64Array.from(values, (v, i) => v - trend[i]!));
  const r = Array.from({ length: maxLag + 2 }, (_, lag) => acf(d, lag));
  let best = 0;
  for (let lag = 2; lag <= maxLag; lag++) {
    const peak = r[lag]! >= r[lag - 1]! && r[lag]! >= r[lag + 1]!;
    // Point by point: block means of a slow wander correlate at whatever lag is tried.
    if (peak && correlatesAt(d, lag, Math.round(lag / 2)) && (best === 0 || r[lag]! > r[best]!)) best = lag;
  }
  return best ? [best] : [];
}
