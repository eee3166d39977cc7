// Why an anomaly happened: which values of the dataset's categorical columns account for the
// deviation of an aggregated series from its expected value (QuickSight's contributing dimensions,
// Power BI's "explain the increase"). The series is a sum over rows, so each value of a column
// has its own sub-series, and the sub-series add up to the total. Around each anomaly every
// sub-series is decomposed like the total (same seasons, locally); a value's deviation is its own
// actual minus its own expected value at that point, and its contribution is its share of all
// values' deviations in the anomaly's direction — within its column, so every column's shares
// add up to 1, and a value that explains the whole deviation stands out across columns.
import { decompositionPositions, timeAxis } from '../../../models/features/calendar.js';
import { decompose, defaultTrendWidth } from '../../../models/features/decompose.js';
import { median } from '../../../models/features/robust.js';
import type { AnomalyType } from '../../../models/features/seasonalDetection.js';
import type { SeriesByValue } from '../../../lib/datasets/reader.js';

export interface AnomalyDriver {
  column: string;
  value: string;
  /** Share of the deviation, 0..1. */
  contribution: number;
  /** The value's sub-series at the anomaly. */
  actual: number;
  expected: number;
}

/** Points on each side of an anomaly its sub-series are decomposed over. */
export const DRIVER_WINDOW = 42;
/** Anomalies explained per analysis, strongest first. */
export const MAX_EXPLAINED = 20;
/** Drivers kept per anomaly; smaller shares than MIN_SHARE are left out. */
export const MAX_DRIVERS = 5;
export const MIN_SHARE = 0.05;
/** Points on each side a level shift's before and after are compared over. */
const SHIFT_SIDE = 6;

export interface Explainable {
  index: number;
  type: AnomalyType;
  residual: number;
  score: number;
}

export interface DriverSource {
  /** The dataset's categorical columns to explain by. */
  dimensions: string[];
  /** The total series' timestamps (drivers need a time column). */
  timestamps: string[];
  /** Its seasons (only those short enough to show inside the window are used). */
  periods: number[];
  /** Its cross-validated trend width (seasonalDetection.ts): each sub-series is followed as closely as the total was. */
  trendWidth?: number;
  /** The sub-series of one column between two of the series' timestamps. */
  read(dimension: string, from: string, to: string): Promise<SeriesByValue>;
}

/** A value's deviation at `at` (an index into `x`) from what its own history expects. */
function deviation(x: Float64Array, at: number, type: AnomalyType, periods: number[], positions: Float64Array, trendWidth?: number) {
  if (type === 'LEVEL_SHIFT') {
    const before = median(x.subarray(Math.max(0, at - SHIFT_SIDE), at));
    const after = median(x.subarray(at, Math.min(x.length, at + SHIFT_SIDE)));
    return { actual: after, expected: Number.isNaN(before) ? after : before };
  }
  const d = decompose(x, { periods, positions, trendWidth });
  return { actual: x[at]!, expected: d.expected[at]! };
}

/** Shares of the deviation in the anomaly's direction, per value of one column. */
function shares(
  column: string,
  deviations: Array<{ value: string; actual: number; expected: number }>,
  direction: number,
): AnomalyDriver[] {
  const positive = deviations.map((d) => Math.max(0, direction * (d.actual - d.expected)));
  const total = positive.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return [];
  return deviations.map((d, i) => ({ column, value: d.value, contribution: positive[i]! / total, actual: d.actual, expected: d.expected }));
}

/**
 * The drivers of each anomaly (the MAX_EXPLAINED strongest), by index. Anomalies close together
 * share one read of each column's sub-series.
 */
export async function explainAnomalies(anomalies: Explainable[], source: DriverSource): Promise<Map<number, AnomalyDriver[]>> {
  const out = new Map<number, AnomalyDriver[]>();
  if (source.dimensions.length === 0 || anomalies.length === 0) return out;
  const chosen = [...anomalies].sort((a, b) => b.score - a.score).slice(0, MAX_EXPLAINED);
  const n = source.timestamps.length;
  const spans: Array<{ lo: number; hi: number; members: Explainable[] }> = [];
  for (const a of [...chosen].sort((x, y) => x.index - y.index)) {
    const lo = Math.max(0, a.index - DRIVER_WINDOW);
    const hi = Math.min(n - 1, a.index + DRIVER_WINDOW);
    const last = spans.at(-1);
    if (last && lo <= last.hi) {
      last.hi = hi;
      last.members.push(a);
    } else spans.push({ lo, hi, members: [a] });
  }
  for (const span of spans) {
    const stamps = source.timestamps.slice(span.lo, span.hi + 1);
    const periods = source.periods.filter((p) => 2.5 * p <= stamps.length);
    // As the detection did (on the series' seasons, whether or not they fit in the window).
    const positions = decompositionPositions(timeAxis(stamps, stamps.length), source.periods);
    // The total's width — but no wider than the seasons kept here allow: a year dropped from an
    // 85-day window leaves its two-year trend a straight line.
    const width =
      source.trendWidth !== undefined && periods.length < source.periods.length
        ? Math.min(source.trendWidth, defaultTrendWidth(Math.max(0, ...periods)))
        : source.trendWidth;
    const found = new Map<number, AnomalyDriver[]>(span.members.map((a) => [a.index, []]));
    for (const column of source.dimensions) {
      const { byValue } = await source.read(column, stamps[0]!, stamps.at(-1)!);
      const aligned = [...byValue].map(([value, points]) => ({ value, x: Float64Array.from(stamps, (t) => points.get(t) ?? 0) }));
      for (const a of span.members) {
        const at = a.index - span.lo;
        const deviations = aligned.map(({ value, x }) => ({ value, ...deviation(x, at, a.type, periods, positions, width) }));
        found.get(a.index)!.push(...shares(column, deviations, Math.sign(a.residual) || 1));
      }
    }
    for (const [index, drivers] of found) {
      out.set(
        index,
        drivers
          .filter((d) => d.contribution >= MIN_SHARE)
          .sort((a, b) => b.contribution - a.contribution || a.column.localeCompare(b.column) || a.value.localeCompare(b.value))
          .slice(0, MAX_DRIVERS),
      );
    }
  }
  return out;
}
