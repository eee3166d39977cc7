// One series through the seasonal anomaly model, from values to flags. The model scores rows; this
// decides what to feed it and what its scores mean:
//   1. find the seasons (period.ts), choose the scale (transform.ts: the series or its log),
//      decompose robustly (over a trend width chosen by cross-validation), score every point;
//   2. where the level shifts, take the steps out and decompose and score again — otherwise the
//      points either side of a step would pass for spikes, and the trend would bend toward it;
//      a step must still hold past the window it was found in (stepFit.ts `persists`): an
//      excursion that returns (a cold week) is not a new level, and taking it out as one would
//      offset everything after it;
//   3. flag spikes (generalised ESD), level shifts and variance changes, each with the value it
//      should have had (`expected`) and its residual.
// The scoring is left to the caller (the workers run the registry's model through the inference
// engine; the tests and the build run the plain-TypeScript reference), one pass at a time:
//   let rows = detection.rows; while (rows) rows = detection.next(await score(rows));
import { decompositionPositions, timeAxis } from './calendar.js';
import { chooseTrendWidth, decompose, type Decomposition } from './decompose.js';
import { detectPeriods } from './period.js';
import { clippedLevel, residualRows, type ResidualRows } from './residualWindows.js';
import { selectChanges, selectSpikes } from './anomalySelection.js';
import { persists, stepStandardError } from './stepFit.js';
import { applyTransform, chooseTransform, invertTransform, type Transform } from './transform.js';

export type AnomalyType = 'SPIKE' | 'LEVEL_SHIFT' | 'VARIANCE_CHANGE';

export interface AnomalyFlag {
  index: number;
  type: AnomalyType;
  value: number;
  /** What the point would have been without the anomaly: trend + season (before the step, for a shift). */
  expected: number;
  /** value − expected */
  residual: number;
  /** Spikes: residual distance in scales; changes: |z| of their statistic. */
  score: number;
}

export interface SeasonalScores {
  spike: ArrayLike<number>;
  shift: ArrayLike<number>;
  variance: ArrayLike<number>;
}

/** Fewer points than this are not analysed: the ESD test needs a sample. */
export const MIN_POINTS = 12;

export class SeasonalDetection {
  readonly periods: number[];
  /** The scale the series is analysed on (transform.ts): its own, or its logarithm. */
  readonly transform: Transform;
  /** The rows the model must score next; null once the flags are known. */
  rows: ResidualRows | null;
  private readonly values: Float64Array;
  /** The values on the analysed scale. */
  private readonly scaled: Float64Array;
  private readonly positions: Float64Array;
  /** The trend smoother's width, cross-validated (decompose.ts `chooseTrendWidth`); undefined for a series too short to analyse. */
  readonly trendWidth: number | undefined;
  private decomposition: Decomposition;
  /** The first decomposition's clipped level: what its rows read, and what a step found in them must hold in. */
  private level: Float64Array | null = null;
  private steps: Array<{ index: number; size: number; z: number }> = [];
  private pass = 0;
  private result: AnomalyFlag[] | null = null;

  constructor(values: ArrayLike<number>, timestamps: readonly string[] | null) {
    this.values = Float64Array.from(values);
    const axis = timeAxis(timestamps, this.values.length);
    this.periods = this.values.length >= MIN_POINTS ? detectPeriods(this.values, axis) : [];
    this.positions = decompositionPositions(axis, this.periods);
    this.transform =
      this.values.length >= MIN_POINTS
        ? chooseTransform(this.values, { periods: this.periods, positions: this.positions }).transform
        : 'none';
    this.scaled = applyTransform(this.values, this.transform);
    this.trendWidth = this.values.length >= MIN_POINTS ? chooseTrendWidth(this.scaled, this.positions, this.periods) : undefined;
    this.decomposition = decompose(this.scaled, { periods: this.periods, positions: this.positions, trendWidth: this.trendWidth });
    if (this.values.length >= MIN_POINTS) this.level = clippedLevel(this.decomposition);
    this.rows = this.level ? residualRows(this.decomposition, this.level) : null;
    if (!this.rows) this.result = [];
  }

  /** The residual scale of the decomposition the flags were read from (on the analysed scale). */
  get scale(): number {
    return this.decomposition.scale;
  }

  /** Takes the scores of `rows`; answers the next rows to score, or null when done. */
  next(scores: SeasonalScores): ResidualRows | null {
    if (!this.rows) throw new Error('the detection is finished');
    if (this.pass++ === 0) {
      // The model reads each step in its row's scale (residualWindows.ts `spikeScale`: at least
      // the decomposition's); the step's size is put back in the series' units with the same.
      const stepSe = stepStandardError();
      const scales = this.rows.scale;
      const level = this.level!;
      this.steps = selectChanges(scores.shift)
        .map((c) => ({ index: c.index, z: c.z, size: scores.shift[c.index]! * stepSe * scales[c.index]! }))
        .filter((s) => persists(level, s.index, s.size));
      if (this.steps.length) {
        const adjusted = this.scaled.map((v, i) => v - this.stepAt(i));
        this.decomposition = decompose(adjusted, { periods: this.periods, positions: this.positions, trendWidth: this.trendWidth });
        this.rows = residualRows(this.decomposition);
        return this.rows;
      }
    }
    this.result = this.flagsFrom(scores);
    this.rows = null;
    return null;
  }

  /** The flags, in time order (after `next` has answered null). */
  flags(): AnomalyFlag[] {
    if (!this.result) throw new Error('the detection still needs scores');
    return this.result;
  }

  /** The level added by the steps found up to point `i` (on the analysed scale). */
  private stepAt(i: number, except?: number): number {
    let sum = 0;
    for (const s of this.steps) if (s.index <= i && s.index !== except) sum += s.size;
    return sum;
  }

  private flagsFrom(scores: SeasonalScores): AnomalyFlag[] {
    const d = this.decomposition;
    // `expected` arrives on the analysed scale and is put back on the series' own.
    const flag = (index: number, type: AnomalyType, expected: number, score: number): AnomalyFlag => {
      const back = invertTransform(expected, this.transform);
      return { index, type, value: this.values[index]!, expected: back, residual: this.values[index]! - back, score };
    };
    const flags: AnomalyFlag[] = [
      ...selectSpikes(scores.spike).map((i) => flag(i, 'SPIKE', d.expected[i]! + this.stepAt(i), scores.spike[i]!)),
      ...this.steps.map((s) => flag(s.index, 'LEVEL_SHIFT', d.expected[s.index]! + this.stepAt(s.index, s.index), Math.abs(s.z))),
      ...selectChanges(scores.variance).map((c) =>
        flag(c.index, 'VARIANCE_CHANGE', d.expected[c.index]! + this.stepAt(c.index), Math.abs(c.z)),
      ),
    ];
    return flags.sort((a, b) => a.index - b.index || a.type.localeCompare(b.type));
  }
}
