// anomaly-autoencoder: a dense autoencoder over sliding windows, trained here with Adam on
// synthetic seasonal series with noise; the score is the reconstruction error of the last point.
import { createHash } from 'node:crypto';
import { Graph } from '../onnx/graph.js';
import { asColumn, column, robustCentre } from '../onnx/ops.js';
import { AE_CLIP, AE_WINDOW, autoencoderScores, normaliseWindow } from '../reference/autoencoder.js';
import { EPSILON, MAD_SCALE } from '../reference/robustZ.js';
import { createLayers, emitLayers, train, type Layer } from '../training/mlp.js';
import { trailingWindows } from '../features/series.js';
import { trainingSeries } from '../training/series.js';
import type { BuiltModel } from './types.js';

const SEED = 7;
const PERIOD = 12;

export interface TrainedAutoencoder {
  layers: Layer[];
  threshold: number;
  loss: number;
  digest: string;
  heldOutP999: number;
}

/** Normal windows from random seasonal series, one array per window. */
function windowsOf(seed: number, count: number): Float64Array[] {
  const rows: Float64Array[] = [];
  for (const series of trainingSeries(seed, count, 120, PERIOD)) {
    const flat = trailingWindows(series, AE_WINDOW);
    for (let r = 0; r < flat.length / AE_WINDOW; r += 2) rows.push(Float64Array.from(flat.subarray(r * AE_WINDOW, (r + 1) * AE_WINDOW)));
  }
  return rows;
}

export function trainAutoencoder({ series = 260, epochs = 8 } = {}): TrainedAutoencoder {
  const windows = windowsOf(SEED, series);
  const inputs = windows.map((w) => normaliseWindow(w).clipped);
  const layers = createLayers([AE_WINDOW, 16, 4, 16, AE_WINDOW], ['tanh', 'tanh', 'tanh', 'linear'], SEED);
  const loss = train(layers, inputs, { values: inputs }, { epochs, batchSize: 64, learningRate: 3e-3, seed: SEED, loss: 'mse' });
  // The threshold sits well above what normal, unseen windows score.
  const heldOut = windowsOf(SEED + 1, 60);
  const scores = [...autoencoderScores(layers, Float64Array.from(heldOut.flatMap((w) => Array.from(w))))].sort((a, b) => a - b);
  const heldOutP999 = scores[Math.floor(scores.length * 0.999)]!;
  const digest = createHash('sha256')
    .update(Buffer.from(Float64Array.from(windows.flatMap((w) => Array.from(w))).buffer))
    .digest('hex');
  return { layers, threshold: Math.max(2.5, 1.5 * heldOutP999), loss, digest, heldOutP999 };
}

export function buildAutoencoder(trained = trainAutoencoder()): BuiltModel {
  const width = AE_WINDOW;
  const g = new Graph('anomaly_autoencoder');
  const x = g.input('window', ['batch', width]);
  const { centred, scale } = robustCentre(g, x, width, { madScale: MAD_SCALE, epsilon: EPSILON });
  const z = g.op('Div', [centred, asColumn(g, scale)]);
  const clipped = g.op('Clip', [z, g.floats('clip_min', [-AE_CLIP], []), g.floats('clip_max', [AE_CLIP], [])]);
  const recon = emitLayers(g, trained.layers, clipped, 'layer');
  g.op('Abs', [g.op('Sub', [column(g, z, width - 1, 'last_z'), column(g, recon, width - 1, 'last_recon')])], {}, 'score');
  g.output('score', ['batch']);
  return {
    name: 'anomaly-autoencoder',
    task: 'ANOMALY',
    bytes: g.toBytes('Dense autoencoder (25-16-4-16-25, tanh) over robustly normalised windows; score = |z_last - reconstruction_last|.'),
    metadata: {
      description: 'Reconstruction error of the last point of each trailing window, in units of the window spread.',
      window: width,
      threshold: trained.threshold,
      inputs: [{ name: 'window', shape: ['batch', width], meaning: 'trailing window, oldest first; the last value is scored' }],
      outputs: [{ name: 'score', shape: ['batch'], meaning: `reconstruction error; above ${trained.threshold.toFixed(3)} is anomalous` }],
      training: {
        seed: SEED,
        period: PERIOD,
        windows: 'trailing, every other one',
        dataDigest: trained.digest,
        optimizer: 'Adam',
        finalLoss: trained.loss,
      },
      metrics: { heldOutP999: trained.heldOutP999 },
    },
  };
}
