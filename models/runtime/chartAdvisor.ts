// Chart suggestions: the registry's chart-recommender reads a dataset query's shape (from the query
// and the version's column profile, no data) and names a chart type; the suggestion carries a
// Vega-Lite spec for it and for the runners-up.
//
// Who runs the model: whoever needs a chart, through this shared code and their own engine. The
// insights subgraph answers `suggestChart` and charts analyses; the templates subgraph charts a
// report's CHART sections while rendering it. A report's sections are one JSON value rendered in
// one subgraph — the gateway cannot plan a federated call inside it, and a call from subgraph to
// subgraph per section would make every report depend on the insights service being up — so the
// templates subgraph runs the same code on the same registry versions, and the suggestion is
// cached with the rest of the report.
import { vegaLiteSpec, type ChartRoles, type ChartType } from '../../lib/charts/vegaLite.js';
import type { DatasetQuery } from '../../lib/datasets/query.js';
import { CHART_FEATURES, chartFeatures } from '../features/chart.js';
import {
  CHART_SHAPE_FEATURES,
  CHART_TYPES,
  chartShapeFeatures,
  chartShapeOf,
  type ChartShape,
  type ProfiledColumn,
} from '../features/chartShape.js';
import type { ServedModels } from './servedModels.js';

export const CHART_MODEL = 'chart-recommender';

export interface ChartChoice {
  type: ChartType;
  probability: number;
  spec: Record<string, unknown>;
}

export interface ChartSuggestion extends ChartChoice {
  /** The next two most probable types. */
  alternatives: ChartChoice[];
  /** The shape the model read. */
  features: ChartShape;
  modelVersionId: string;
}

/** The model's input for a shape, in the layout of the served version (version 1 read fewer features). */
function inputFor(width: number, shape: ChartShape): Float32Array {
  if (width === CHART_SHAPE_FEATURES) return chartShapeFeatures(shape);
  if (width === CHART_FEATURES) {
    return Float32Array.from(
      chartFeatures({
        hasTime: shape.time,
        monotonicTime: shape.time,
        categories: shape.categories,
        numericDimensions: shape.numericDimensions,
        measures: shape.measures,
        cardinality: shape.cardinality,
        partOfWhole: shape.additive,
        rows: shape.rows,
      }),
    );
  }
  throw new Error(`${CHART_MODEL}: a version reading ${width} features is not one this server knows how to feed`);
}

export interface ChartRequest {
  query: DatasetQuery;
  columns: readonly ProfiledColumn[];
  /** The version's row count. */
  rowCount: number;
  /** Keeps one dataset on one version of a split. */
  stickyKey: string;
  /** The spec's data: inline rows (a report) or the name a client binds the rows to. */
  data: { values: Array<Record<string, unknown>> } | { name: string };
}

/** The chart for a query's result, with its spec and the runners-up. */
export async function suggestChart(served: ServedModels, request: ChartRequest): Promise<ChartSuggestion> {
  const { shape, roles } = chartShapeOf(request.query, request.columns, request.rowCount);
  const model = await served.load(CHART_MODEL, request.stickyKey);
  const width = Number(model.handle.inputs[0]!.shape[1]);
  const { outputs } = await served.infer(model, { [model.handle.inputs[0]!.name]: inputFor(width, shape) }, 1);
  const p = Array.from(outputs.probabilities as Float32Array);
  const ranked = CHART_TYPES.map((type, i) => ({ type, probability: p[i]! })).sort((a, b) => b.probability - a.probability);
  const choice = (c: { type: ChartType; probability: number }, r: ChartRoles = roles): ChartChoice => ({
    ...c,
    spec: vegaLiteSpec(c.type, r, request.data),
  });
  return {
    ...choice(ranked[0]!),
    alternatives: ranked.slice(1, 3).map((c) => choice(c)),
    features: shape,
    modelVersionId: model.versionId,
  };
}
