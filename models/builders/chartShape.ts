// chart-recommender, version 2: an MLP over the query's shape (models/features/chartShape.ts),
// trained on the labels of the rule table (models/reference/chartRules.ts). Version 1 read a
// result-shape vector the workers filled with constants; this one reads what the query and the
// column profile say: time and how many time values, categorical and numeric dimensions and their
// cardinalities, how many measures and whether they add up, how many rows.
import { createHash } from 'node:crypto';
import { Graph } from '../onnx/graph.js';
import { CHART_SHAPE_FEATURES, CHART_TYPES, chartShapeFeatures, type ChartShape } from '../features/chartShape.js';
import { chartRuleV2 } from '../reference/chartRules.js';
import { chartProbabilities } from '../reference/chart.js';
import { createLayers, emitLayers, train, type Layer } from '../training/mlp.js';
import { rng } from '../../lib/random.js';
import type { BuiltModel } from './types.js';

const SEED = 29;
const SAMPLES = 16_000;
const EPOCHS = 30;
/** Cardinalities where the rules draw a line, and their neighbours: sampled often, so the model learns the lines. */
const EDGES = [1, 2, 5, 6, 7, 9, 10, 11, 19, 20, 21, 49, 50, 51];

/** Random query shapes covering every rule and the boundaries between them. */
export function randomChartShapes(seed: number, count: number): ChartShape[] {
  const u = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(u() * xs.length)]!;
  const cardinality = () => (u() < 0.5 ? pick(EDGES) : Math.max(1, Math.round(10 ** (u() * 3.3))));
  return Array.from({ length: count }, () => {
    const time = u() < 0.4;
    const categories = pick([0, 0, 1, 1, 1, 1, 2, 2, 3]);
    const numericDimensions = pick([0, 0, 0, 0, 0, 1, 1, 2]);
    const measures = pick([0, 1, 1, 1, 1, 2, 2, 3, 5]);
    const c1 = categories ? cardinality() : 0;
    const c2 = categories > 1 ? cardinality() : 0;
    const timePoints = time ? Math.max(1, Math.round(10 ** (u() * 3.5))) : 0;
    const grouped = time || categories > 0 || numericDimensions > 0;
    const product = (time ? timePoints : 1) * (c1 || 1) * (c2 || 1) * (numericDimensions ? Math.round(10 ** (u() * 3)) : 1);
    return {
      time,
      timePoints,
      categories,
      numericDimensions,
      measures,
      additive: measures > 0 && u() < 0.6,
      cardinality: c1,
      cardinality2: c2,
      rows: grouped ? Math.max(1, Math.min(product, Math.round(10 ** (u() * 6)))) : measures ? 1 : Math.round(10 ** (u() * 6)),
    };
  });
}

export interface TrainedChartShape {
  layers: Layer[];
  heldOutAgreement: number;
  digest: string;
}

/** Share of shapes where the network's most probable type is the rule table's. */
export function shapeAgreement(layers: Layer[], shapes: ChartShape[]): number {
  let same = 0;
  for (const s of shapes) {
    const p = chartProbabilities(layers, chartShapeFeatures(s));
    if (CHART_TYPES[p.indexOf(Math.max(...p))] === chartRuleV2(s)) same++;
  }
  return same / shapes.length;
}

export function trainChartShape({ samples = SAMPLES, epochs = EPOCHS } = {}): TrainedChartShape {
  const shapes = randomChartShapes(SEED, samples);
  const inputs = shapes.map((s) => Float64Array.from(chartShapeFeatures(s)));
  const labels = shapes.map((s) => CHART_TYPES.indexOf(chartRuleV2(s)));
  const layers = createLayers([CHART_SHAPE_FEATURES, 32, 32, CHART_TYPES.length], ['relu', 'relu', 'linear'], SEED);
  train(layers, inputs, { labels }, { epochs, batchSize: 64, learningRate: 3e-3, seed: SEED, loss: 'softmax' });
  const digest = createHash('sha256')
    .update(Buffer.from(Float64Array.from(inputs.flatMap((x) => Array.from(x))).buffer))
    .digest('hex');
  return { layers, heldOutAgreement: shapeAgreement(layers, randomChartShapes(SEED + 1, 4000)), digest };
}

export function buildChartShape(trained = trainChartShape()): BuiltModel {
  const g = new Graph('chart_recommender_shape');
  const x = g.input('features', ['batch', CHART_SHAPE_FEATURES]);
  g.op('Softmax', [emitLayers(g, trained.layers, x, 'layer')], { axis: 1 }, 'probabilities');
  g.output('probabilities', ['batch', CHART_TYPES.length]);
  return {
    name: 'chart-recommender',
    version: 2,
    task: 'CHART',
    bytes: g.toBytes(
      `MLP (${CHART_SHAPE_FEATURES}-32-32-${CHART_TYPES.length}) over query-shape features; softmax over ${CHART_TYPES.join(', ')}.`,
    ),
    metadata: {
      description:
        "Chart type for a dataset query, from its shape and the version's column profile (time, categories and their cardinalities, numeric dimensions, measures, additivity, rows).",
      classes: CHART_TYPES,
      features: [
        'time',
        'log10(timePoints+1)',
        'min(categories,3)',
        'min(numericDimensions,2)',
        'min(measures,5)',
        'additive',
        'log10(cardinality+1)',
        'min(cardinality,60)/10',
        'log10(cardinality2+1)',
        'min(cardinality2,60)/10',
        'log10(rows+1)',
        'rows<=1',
      ],
      inputs: [{ name: 'features', shape: ['batch', CHART_SHAPE_FEATURES], meaning: 'see features' }],
      outputs: [
        { name: 'probabilities', shape: ['batch', CHART_TYPES.length], meaning: 'probability of each class, in the order of classes' },
      ],
      training: {
        seed: SEED,
        samples: SAMPLES,
        epochs: EPOCHS,
        labels: 'rule table (models/reference/chartRules.ts)',
        dataDigest: trained.digest,
      },
      metrics: { heldOutAgreement: trained.heldOutAgreement },
    },
  };
}
