// The shape of a query result as version 1 of the chart classifier sees it (shared by its training
// and its inference). Version 2 reads the query and the column profiles: ./chartShape.ts.

import { CHART_TYPES, type ChartType } from '../../lib/charts/vegaLite.js';

export { CHART_TYPES, type ChartType };

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
