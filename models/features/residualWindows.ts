// What the seasonal anomaly model sees for each point of a series, once it is decomposed: the
// residuals around the point, the deseasonalised values around it (relative to the trend at the
// point) and the series' residual scale. Shared by the builder, the reference and the workers.
//
// The level is cleaned of spikes before a step is fitted to it: each deseasonalised value is
// clipped to within a few scales of the median of its 7 neighbours. A spike stands out from its
// neighbours' median and is clipped; a step does not (next to a step, most neighbours are on the
// point's own side), so it passes whole — where clipping the decomposition's residuals would cut
// the step itself, which a robust trend leaves partly in the residuals.
import type { Decomposition } from './decompose.js';
import { median, robustSigma } from './robust.js';

/** Points on each side of the scored point. */
export const HALF_WINDOW = 12;
/** Residuals around the point: t−12 … t+12. */
export const RESIDUAL_WIDTH = 2 * HALF_WINDOW + 1;
/** Deseasonalised level around the point: t−12 … t+11 (a new level starting at t is a step between the halves). */
export const LEVEL_WIDTH = 2 * HALF_WINDOW;
/** Points on each side whose median centres a spike's residual (a run of 4 or more moves it: a run is no spike). */
export const SPIKE_HALF = 3;
/** Deseasonalised values are clipped to this many scales from their neighbours' median. */
export const LEVEL_CLIP = 3;

/** `x[i]` with indices past either end reflected back into the series (…, x1, x0, x1, …). */
function reflected(x: ArrayLike<number>, i: number): number {
  const n = x.length;
  if (n === 1) return x[0]!;
  const period = 2 * (n - 1);
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - j;
  return x[j]!;
}

export interface ResidualRows {
  residuals: Float32Array;
  level: Float32Array;
  scale: Float32Array;
  rows: number;
}

/** The median of `x[i]` and its SPIKE_HALF neighbours each side (reflected at the ends). */
function neighboursMedian(x: ArrayLike<number>, i: number): number {
  return median(Array.from({ length: 2 * SPIKE_HALF + 1 }, (_, k) => reflected(x, i - SPIKE_HALF + k)));
}

/** The residual scale rows are read in: the decomposition's, or a sliver of the level for a series with no noise at all. */
const rowScale = (d: Decomposition) => (d.scale > 0 ? d.scale : Math.max(1e-9, Math.abs(d.expected[0] ?? 1) * 1e-9));

/** The deseasonalised values (trend + residual), each clipped to `LEVEL_CLIP` scales of its 7 neighbours' median. */
export function clippedLevel(d: Decomposition): Float64Array {
  const scale = rowScale(d);
  const deseasonalised = Float64Array.from(d.trend, (t, i) => t + d.residual[i]!);
  return Float64Array.from(deseasonalised, (v, i) => {
    const around = neighboursMedian(deseasonalised, i);
    return Math.max(around - LEVEL_CLIP * scale, Math.min(around + LEVEL_CLIP * scale, v));
  });
}

/** The robust spread of a residual's distance from its 7 neighbours' median, per unit of white noise. */
export const SPIKE_SPREAD_WHITE = 0.818;

/**
 * The scale spikes are judged in: the decomposition's, or — where the residuals swing against
 * each other (a narrow trend shares each point's noise with its neighbours) — the spread of the
 * spike statistic itself, put in units of white noise. Judged in the residuals' own scale, those
 * swings would pass for spikes.
 */
export function spikeScale(d: Decomposition): number {
  const n = d.residual.length;
  const distances = Float64Array.from({ length: n }, (_, t) => d.residual[t]! - neighboursMedian(d.residual, t));
  return Math.max(rowScale(d), robustSigma(distances) / SPIKE_SPREAD_WHITE);
}

/** One row per point of the decomposed series, in the layout of the model's inputs (`level`: its clippedLevel, when already known). */
export function residualRows(d: Decomposition, level = clippedLevel(d)): ResidualRows {
  const n = d.residual.length;
  const scale = spikeScale(d);
  const out: ResidualRows = {
    residuals: new Float32Array(n * RESIDUAL_WIDTH),
    level: new Float32Array(n * LEVEL_WIDTH),
    scale: new Float32Array(n).fill(scale),
    rows: n,
  };
  for (let t = 0; t < n; t++) {
    // Float32 loses little here: windows are centred on the point's own expected level.
    const base = d.trend[t]!;
    for (let k = 0; k < RESIDUAL_WIDTH; k++) out.residuals[t * RESIDUAL_WIDTH + k] = reflected(d.residual, t - HALF_WINDOW + k);
    for (let k = 0; k < LEVEL_WIDTH; k++) out.level[t * LEVEL_WIDTH + k] = reflected(level, t - HALF_WINDOW + k) - base;
  }
  return out;
}
