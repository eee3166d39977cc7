// Synthetic series for training and for the quality tests: trend + seasonality + noise, with
// anomalies injected where a test needs to know exactly where they are.
import { gaussian, rng } from '../../lib/random.js';

export interface SeriesSpec {
  length: number;
  period: number;
  level?: number;
  trend?: number;
  amplitude?: number;
  noise?: number;
}

export function seasonalSeries(
  seed: number,
  { length, period, level = 100, trend = 0.2, amplitude = 10, noise = 1 }: SeriesSpec,
): Float64Array {
  const normal = gaussian(rng(seed));
  const phase = rng(seed + 1)() * 2 * Math.PI;
  const out = new Float64Array(length);
  for (let t = 0; t < length; t++) {
    out[t] =
      level +
      trend * t +
      amplitude * Math.sin((2 * Math.PI * t) / period + phase) +
      0.3 * amplitude * Math.sin((4 * Math.PI * t) / period) +
      noise * normal();
  }
  return out;
}

/** Random series shapes for training: levels, trends, amplitudes and noise vary per series. */
export function trainingSeries(seed: number, count: number, length: number, period: number): Float64Array[] {
  const u = rng(seed);
  return Array.from({ length: count }, (_, i) =>
    seasonalSeries(seed * 1000 + i, {
      length,
      period,
      level: 20 + u() * 500,
      trend: (u() - 0.3) * 2,
      amplitude: 1 + u() * 40,
      noise: 0.5 + u() * 4,
    }),
  );
}

export type AnomalyKind = 'spike' | 'levelShift' | 'dropout';

/** Injects anomalies at known places; returns the labels (true where an anomaly starts). */
export function injectAnomalies(
  series: Float64Array,
  seed: number,
  kind: AnomalyKind,
  count: number,
  { minGap = 30, start = 30 } = {},
): boolean[] {
  const u = rng(seed);
  const labels = new Array<boolean>(series.length).fill(false);
  // Sizes relative to the series' own spread (seasonality included), as outliers in business data are.
  const sd = spread(series);
  const positions: number[] = [];
  while (positions.length < count) {
    const p = start + Math.floor(u() * (series.length - start - 5));
    if (positions.every((q) => Math.abs(q - p) >= minGap)) positions.push(p);
  }
  for (const p of positions) {
    labels[p] = true;
    const sign = u() < 0.5 ? -1 : 1;
    if (kind === 'spike') series[p]! += sign * (4 + 2 * u()) * sd;
    else if (kind === 'levelShift') for (let t = p; t < series.length; t++) series[t]! += sign * 3 * sd;
    else series[p] = 0;
  }
  return labels;
}

/** 1.4826 × the median absolute deviation from the median: a robust standard deviation. */
export function spread(series: ArrayLike<number>): number {
  const values = Array.from(series).sort((a, b) => a - b);
  const med = values[values.length >> 1]!;
  const dev = values.map((v) => Math.abs(v - med)).sort((a, b) => a - b);
  return 1.4826 * dev[dev.length >> 1]! || 1;
}
