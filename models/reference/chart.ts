// Chart choice over the shape of a result: an explicit rule table in the spirit of Draco and
// CompassQL (the labels the classifier learns) and the classifier's math. The feature encoding
// lives in ../features/chart.ts, shared with inference.
import type { ChartType, ResultShape } from '../features/chart.js';
import { forward, softmax, type Layer } from '../training/mlp.js';

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

export function chartProbabilities(layers: Layer[], features: ArrayLike<number>): Float64Array {
  return softmax(forward(layers, features).at(-1)!);
}
