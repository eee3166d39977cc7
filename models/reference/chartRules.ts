// The chart rule table chart-recommender version 2 learns, in the spirit of Draco's and
// CompassQL's design rules: what a result's shape calls for. First match wins.
import type { ChartShape, ChartType } from '../features/chartShape.js';

/** Categories a pie may hold before its slices stop being comparable. */
export const PIE_MAX = 6;
/** Series one line chart may draw before it turns into spaghetti. */
export const LINES_MAX = 10;
/** Bars (or heatmap rows) one chart may hold. */
export const BARS_MAX = 50;
/** Categories with two measures above which each is better a point than a pair of bars. */
export const PAIRS_AS_POINTS = 20;

export function chartRuleV2(s: ChartShape): ChartType {
  if (s.measures === 0) return s.numericDimensions >= 2 ? 'scatter' : 'table';
  // One aggregate over everything: a number.
  if (!s.time && s.categories === 0 && s.numericDimensions === 0) return s.measures === 1 ? 'number' : 'table';
  if (s.time) {
    if (s.numericDimensions > 0) return 'table';
    if (s.categories === 0) return 'line';
    if (s.categories === 1 && s.measures === 1)
      return s.cardinality <= LINES_MAX ? 'line' : s.cardinality <= BARS_MAX ? 'heatmap' : 'table';
    return 'table';
  }
  // Two numeric columns: a scatter.
  if (s.numericDimensions > 0) return s.categories === 0 ? 'scatter' : 'table';
  if (s.categories === 1) {
    if (s.measures === 1) {
      if (s.additive && s.cardinality <= PIE_MAX) return 'pie';
      return s.cardinality <= BARS_MAX ? 'bar' : 'table';
    }
    return s.cardinality > PAIRS_AS_POINTS ? 'scatter' : 'bar';
  }
  if (s.categories === 2 && s.measures === 1) return s.cardinality <= BARS_MAX && s.cardinality2 <= BARS_MAX ? 'heatmap' : 'table';
  return 'table';
}
