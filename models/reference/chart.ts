// Chart choice over the shape of a result: an explicit rule table in the spirit of Draco and
// CompassQL (the labels the classifier learns), the feature encoding, and the classifier's math.
import { forward, softmax, type Layer } from '../training/mlp.js';

export const CHART_TYPES = ['line', 'bar', 'pie', 'scatter', 'number', 'heatmap', 'table'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

export interface ResultShape {
  /** A date/timestamp dimension (or time bucket) is present. */
  hasTime: boolean;
  /** The time values are ordered and evenly spaced (a series, not e.g. weekday names). */
  monotonicTime: boolean;
  /** Categorical (text/boolean) dimensions. */
  categories: number;
  /** Numeric dimensions. */
  numericDimensions: number;
  measures: number;
  /** Distinct values of the (first) categorical dimension; 0 when there is none. */
  cardinality: number;
  /** The measure adds up to a meaningful whole (SUM or COUNT of a non-negative quantity). */
  partOfWhole: boolean;
  rows: number;
}

/** The rule table, first match wins. */
export function chartRule(s: ResultShape): ChartType {
  if (s.measures === 0) return 'table';
  if (s.hasTime) return s.monotonicTime ? 'line' : s.categories === 0 ? 'bar' : 'table';
  if (s.categories === 0 && s.numericDimensions > 0) return 'scatter';
  if (s.categories === 0 && s.measures >= 2) return 'scatter';
  if (s.categories === 0) return 'number';
  if (s.categories === 1 && s.measures === 1 && s.partOfWhole && s.cardinality < 7) return 'pie';
  if (s.categories === 1 && s.cardinality <= 50) return 'bar';
  if (s.categories === 2 && s.measures === 1) return 'heatmap';
  return 'table';
}

export const CHART_FEATURES = 9;

export function chartFeatures(s: ResultShape): Float64Array {
  return Float64Array.from([
    s.hasTime ? 1 : 0,
    s.hasTime && s.monotonicTime ? 1 : 0,
    Math.min(s.categories, 4),
    Math.min(s.numericDimensions, 4),
    Math.min(s.measures, 6),
    Math.log10(s.cardinality + 1),
    Math.min(s.cardinality, 100) / 10,
    s.partOfWhole ? 1 : 0,
    Math.log10(s.rows + 1),
  ]);
}

export function chartProbabilities(layers: Layer[], features: ArrayLike<number>): Float64Array {
  return softmax(forward(layers, features).at(-1)!);
}
