// anomaly-robust-z, version 2: robust scores of a seasonal decomposition's residuals. Version 1
// scored raw trailing windows, where a trend and a season hide a spike several times the noise;
// this one scores what is left once the workers have removed them (models/features/decompose.ts),
// with three outputs per point — spike, level shift, variance change — as an ONNX graph of
// medians (TopK), a least-squares step (MatMul) and MAD ratios.
import { Graph } from '../onnx/graph.js';
import { column, rowMedian } from '../onnx/ops.js';
import { HALF_WINDOW, LEVEL_WIDTH, RESIDUAL_WIDTH, SPIKE_HALF } from '../features/residualWindows.js';
import { stepWeights } from '../features/stepFit.js';
import { VARIANCE_FLOOR } from '../reference/seasonalAnomaly.js';
import { evaluateSeasonalDetector } from '../training/evaluate.js';
import type { BuiltModel } from './types.js';

/** Columns `from`…`to − 1` of each row. */
function columns(g: Graph, x: string, from: number, to: number, name: string): string {
  return g.op('Slice', [x, g.ints(`${name}_from`, [from], [1]), g.ints(`${name}_to`, [to], [1]), g.ints(`${name}_axis`, [1], [1])]);
}

/** Median absolute deviation of each row of [batch, width] (odd width). */
function rowMad(g: Graph, x: string, width: number, name: string): string {
  const centre = rowMedian(g, x, width, `${name}_median`);
  const deviation = g.op('Abs', [g.op('Sub', [x, g.op('Unsqueeze', [centre, g.ints(`${name}_axes`, [1], [1])])])]);
  return rowMedian(g, deviation, width, `${name}_mad`);
}

export function buildSeasonalAnomaly(): BuiltModel {
  const g = new Graph('anomaly_seasonal');
  const residuals = g.input('residuals', ['batch', RESIDUAL_WIDTH]);
  const level = g.input('level', ['batch', LEVEL_WIDTH]);
  const scaleColumn = g.input('scale', ['batch', 1]);
  const scale = g.op('Squeeze', [scaleColumn, g.ints('scale_axes', [1], [1])]);

  // spike: |r_t − median(r_{t−3} … r_{t+3})| / scale
  const centre = column(g, residuals, HALF_WINDOW, 'centre_index');
  const local = columns(g, residuals, HALF_WINDOW - SPIKE_HALF, HALF_WINDOW + SPIKE_HALF + 1, 'local');
  const localMedian = rowMedian(g, local, 2 * SPIKE_HALF + 1, 'local_median');
  g.op('Div', [g.op('Abs', [g.op('Sub', [centre, localMedian])]), scale], {}, 'spike');

  // shift: the least-squares step of the level window over its standard error
  const { weights, norm } = stepWeights();
  const step = g.op('MatMul', [level, g.floats('step_weights', weights, [LEVEL_WIDTH, 1])]);
  const stepFlat = g.op('Squeeze', [step, g.ints('step_axes', [1], [1])]);
  g.op('Div', [stepFlat, g.op('Mul', [scale, g.floats('step_norm', [norm], [])])], {}, 'shift');

  // variance: log(MAD after / MAD before), each half including the point
  const half = HALF_WINDOW + 1;
  const floor = g.op('Mul', [scale, g.floats('variance_floor', [VARIANCE_FLOOR], [])]);
  const before = g.op('Add', [rowMad(g, columns(g, residuals, 0, half, 'before'), half, 'before'), floor]);
  const after = g.op('Add', [rowMad(g, columns(g, residuals, HALF_WINDOW, RESIDUAL_WIDTH, 'after'), half, 'after'), floor]);
  g.op('Log', [g.op('Div', [after, before])], {}, 'variance');

  for (const out of ['spike', 'shift', 'variance']) g.output(out, ['batch']);
  return {
    name: 'anomaly-robust-z',
    version: 2,
    task: 'ANOMALY',
    bytes: g.toBytes(
      'Robust scores of seasonal-decomposition residuals: spike (|r - local median| / scale), level shift (least-squares step z), variance change (log MAD ratio).',
    ),
    metadata: {
      description:
        'Scores each point of a series after its trend and seasons are removed (the workers decompose it): spike, level shift and variance change. Flags are chosen by the generalised ESD test (spikes) and peaks of the shift and variance statistics.',
      window: RESIDUAL_WIDTH,
      inputs: [
        { name: 'residuals', shape: ['batch', RESIDUAL_WIDTH], meaning: 'residuals t-12 … t+12 (mirrored past either end)' },
        {
          name: 'level',
          shape: ['batch', LEVEL_WIDTH],
          meaning: 'deseasonalised values t-12 … t+11, spikes clipped, relative to the trend at t',
        },
        { name: 'scale', shape: ['batch', 1], meaning: "the series' robust residual scale (1.4826 MAD)" },
      ],
      outputs: [
        { name: 'spike', shape: ['batch'], meaning: 'distance of the residual from its neighbours, in scales' },
        { name: 'shift', shape: ['batch'], meaning: 'z-score of a step in the level at t (signed)' },
        { name: 'variance', shape: ['batch'], meaning: 'log ratio of residual spreads after and before t' },
      ],
      training: null,
      metrics: evaluateSeasonalDetector(),
    },
  };
}
