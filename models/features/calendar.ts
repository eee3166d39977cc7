// Where each point of a series sits in time, in units of its own step: a monthly series counts
// calendar months (so a missing month leaves a gap instead of shifting every season after it), a
// daily one days. Shared by the decomposition, period detection and the forecast's season.

export type StepUnit = 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year' | 'other' | 'none';

export interface TimeAxis {
  unit: StepUnit;
  /** Each point's position in steps from the first (0, 1, 2, … with gaps where points are missing). */
  positions: Float64Array;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Milliseconds since the epoch of an ISO date or timestamp; NaN when unreadable. */
const instant = (t: string) => Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : t);

/** The unit a median step of `ms` milliseconds stands for. */
export function unitOf(ms: number): StepUnit {
  const near = (target: number, tolerance: number) => Math.abs(ms - target) <= tolerance;
  if (near(HOUR, 60_000)) return 'hour';
  if (near(DAY, HOUR)) return 'day';
  if (near(7 * DAY, HOUR)) return 'week';
  if (ms >= 27 * DAY && ms <= 32 * DAY) return 'month';
  if (ms >= 88 * DAY && ms <= 93 * DAY) return 'quarter';
  if (ms >= 364 * DAY && ms <= 367 * DAY) return 'year';
  return 'other';
}

/**
 * The time axis of a series: its step unit and each point's position. Without timestamps (or
 * with unreadable or unordered ones) positions are the indices and the unit is `none`.
 */
/**
 * The positions a series is decomposed on: its calendar positions where it has seasons (they place
 * them), else its points as they come (a market's trading days, not the weekends between them,
 * where a narrow trend window would find a Monday alone).
 */
export function decompositionPositions(axis: TimeAxis, periods: readonly number[]): Float64Array {
  return periods.length ? axis.positions : Float64Array.from(axis.positions, (_, i) => i);
}

export function timeAxis(timestamps: readonly string[] | null, length: number): TimeAxis {
  const indices = () => Float64Array.from({ length }, (_, i) => i);
  if (!timestamps || timestamps.length !== length || length < 2) return { unit: 'none', positions: indices() };
  const ms = timestamps.map(instant);
  if (ms.some((v, i) => Number.isNaN(v) || (i > 0 && v <= ms[i - 1]!))) return { unit: 'none', positions: indices() };
  const steps = ms
    .slice(1)
    .map((v, i) => v - ms[i]!)
    .sort((a, b) => a - b);
  // The lower median: a missing point makes a step longer, never shorter.
  const step = steps[(steps.length - 1) >> 1]!;
  const unit = unitOf(step);
  if (unit === 'month' || unit === 'quarter' || unit === 'year') {
    const months = ms.map((v) => {
      const d = new Date(v);
      return d.getUTCFullYear() * 12 + d.getUTCMonth();
    });
    const per = unit === 'month' ? 1 : unit === 'quarter' ? 3 : 12;
    return { unit, positions: Float64Array.from(months, (m) => Math.round((m - months[0]!) / per)) };
  }
  if (unit === 'other') return { unit, positions: Float64Array.from(ms, (v) => (v - ms[0]!) / step) };
  const size = unit === 'hour' ? HOUR : unit === 'day' ? DAY : 7 * DAY;
  return { unit, positions: Float64Array.from(ms, (v) => Math.round((v - ms[0]!) / size)) };
}

/**
 * The seasons a calendar suggests for a step unit, longest first: a day has weeks and years, a
 * month has years. Whether the data has them is for the autocorrelation to say.
 */
export function calendarPeriods(unit: StepUnit): number[] {
  switch (unit) {
    case 'hour':
      return [168, 24];
    case 'day':
      return [365.25, 7];
    case 'week':
      return [365.25 / 7];
    case 'month':
      return [12];
    case 'quarter':
      return [4];
    case 'year':
    case 'other':
    case 'none':
      return [];
  }
}
