// chart-recommender: an MLP over result-shape features, trained on labels from the rule table.
import { createHash } from 'node:crypto';
import { Graph } from '../onnx/graph.js';
import { CHART_FEATURES, CHART_TYPES, chartFeatures, type ResultShape } from '../features/chart.js';
import { chartProbabilities, chartRule } from '../reference/chart.js';
import { createLayers, emitLayers, train, type Layer } from '../training/mlp.js';
import { rng } from '../../lib/random.js';
import type { BuiltModel } from './types.js';

const SEED = 23;

/** Random result shapes, covering every rule and the boundaries between them. */
export function randomShapes(seed: number, count: number): ResultShape[] {
  const u = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(u() * xs.length)]!;
  return Array.from({ length: count }, () => {
    const categories = pick([0, 0, 1, 1, 1, 2, 3]);
    const cardinality = categories ? Math.max(2, Math.round(10 ** (u() * (u() < 0.5 ? 1.2 : 3)))) : 0;
    const hasTime = u() < 0.35;
    return {
      hasTime,
      monotonicTime: hasTime && u() < 0.8,
      categories,
      numericDimensions: u() < 0.2 ? 1 : 0,
      measures: pick([0, 1, 1, 1, 2, 2, 3, 4]),
      cardinality,
      partOfWhole: u() < 0.5,
      rows: Math.round(10 ** (u() * 6)),
    };
  });
}

export interface TrainedChart {
  layers: Layer[];
  heldOutAgreement: number;
  digest: string;
}

export function agreement(layers: Layer[], shapes: ResultShape[]): number {
  let same = 0;
  for (const s of shapes) {
    const p = chartProbabilities(layers, chartFeatures(s));
    if (CHART_TYPES[p.indexOf(Math.max(...p))] === chartRule(s)) same++;
  }
  return same / shapes.length;
}

export function trainChart({ samples = 12_000, epochs = 25 } = {}): TrainedChart {
  const shapes = randomShapes(SEED, samples);
  const inputs = shapes.map(chartFeatures);
  const labels = shapes.map((s) => CHART_TYPES.indexOf(chartRule(s)));
  const layers = createLayers([CHART_FEATURES, 32, 32, CHART_TYPES.length], ['relu', 'relu', 'linear'], SEED);
  train(layers, inputs, { labels }, { epochs, batchSize: 64, learningRate: 3e-3, seed: SEED, loss: 'softmax' });
  const digest = createHash('sha256')
    .update(Buffer.from(Float64Array.from(inputs.flatMap((x) => Array.from(x))).buffer))
    .digest('hex');
  return { layers, heldOutAgreement: agreement(layers, randomShapes(SEED + 1, 4000)), digest };
}

export function buildChart(trained = trainChart()): BuiltModel {
  const g = new Graph('chart_recommender');
  const x = g.input('features', ['batch', CHART_FEATURES]);
  g.op('Softmax', [emitLayers(g, trained.layers, x, 'layer')], { axis: 1 }, 'probabilities');
  g.output('probabilities', ['batch', CHART_TYPES.length]);
  return {
    name: 'chart-recommender',
    task: 'CHART',
    bytes: g.toBytes(
      `MLP (${CHART_FEATURES}-32-32-${CHART_TYPES.length}) over result-shape features; softmax over ${CHART_TYPES.join(', ')}.`,
    ),
    metadata: {
      description: 'Chart type for a query result, from its shape (time, categories, measures, cardinality, part-of-whole).',
      classes: CHART_TYPES,
      features: [
        'hasTime',
        'monotonicTime',
        'categories',
        'numericDimensions',
        'measures',
        'log10(cardinality+1)',
        'min(cardinality,100)/10',
        'partOfWhole',
        'log10(rows+1)',
      ],
      inputs: [{ name: 'features', shape: ['batch', CHART_FEATURES], meaning: 'see features' }],
      outputs: [
        { name: 'probabilities', shape: ['batch', CHART_TYPES.length], meaning: 'probability of each class, in the order of classes' },
      ],
      training: { seed: SEED, samples: 12_000, labels: 'rule table (models/reference/chart.ts)', dataDigest: trained.digest },
      metrics: { heldOutAgreement: trained.heldOutAgreement },
    },
  };
}
