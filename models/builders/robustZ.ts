// anomaly-robust-z: the rolling median / MAD score as an ONNX graph. Medians come from a full
// descending TopK along the window and a Gather of its middle element (odd window width).
import { Graph } from '../onnx/graph.js';
import { column, robustCentre } from '../onnx/ops.js';
import { EPSILON, MAD_SCALE, ROBUST_Z_WINDOW } from '../reference/robustZ.js';
import type { BuiltModel } from './types.js';

export function buildRobustZ(width = ROBUST_Z_WINDOW): BuiltModel {
  if (width % 2 === 0) throw new Error('the robust z window must be odd');
  const g = new Graph('anomaly_robust_z');
  const x = g.input('window', ['batch', width]);
  const { centred, scale } = robustCentre(g, x, width, { madScale: MAD_SCALE, epsilon: EPSILON });
  // |x_last − median| = |centred_last|
  g.op('Div', [g.op('Abs', [column(g, centred, width - 1, 'last')]), scale], {}, 'score');
  g.output('score', ['batch']);
  return {
    name: 'anomaly-robust-z',
    task: 'ANOMALY',
    bytes: g.toBytes('Robust z-score of the last point of each window: |x - median| / (1.4826 MAD + eps).'),
    metadata: {
      description: 'Rolling median / MAD anomaly score of the last point of each trailing window.',
      window: width,
      threshold: 3.5,
      inputs: [{ name: 'window', shape: ['batch', width], meaning: 'trailing window, oldest first; the last value is scored' }],
      outputs: [{ name: 'score', shape: ['batch'], meaning: 'robust z-score; above 3.5 is anomalous' }],
      training: null,
      metrics: {},
    },
  };
}
