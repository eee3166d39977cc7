// Graph pieces several models share.
import type { Graph } from './graph.js';

/** The median of each row of [batch, width] (odd width): full descending TopK, middle element. */
export function rowMedian(g: Graph, x: string, width: number, name: string): string {
  if (width % 2 === 0) throw new Error('rowMedian needs an odd width');
  const k = g.ints(`${name}_k`, [width], [1]);
  const middle = g.ints(`${name}_middle`, [(width - 1) / 2], []);
  const [sorted] = g.node('TopK', [x, k], { attrs: { axis: 1, largest: 1, sorted: 1 }, count: 2 });
  return g.op('Gather', [sorted!, middle], { axis: 1 });
}

/** [batch] → [batch, 1], to broadcast a per-row value over the row. */
export function asColumn(g: Graph, x: string): string {
  return g.op('Unsqueeze', [x, g.ints(`${x}_axis`, [1], [1])]);
}

/** Element `index` of each row: [batch, width] → [batch]. */
export function column(g: Graph, x: string, index: number, name: string): string {
  return g.op('Gather', [x, g.ints(name, [index], [])], { axis: 1 });
}

/**
 * Each row centred on its median and the robust scale (1.4826 · MAD + ε) to divide it by:
 * the normalisation both anomaly models share.
 */
export function robustCentre(g: Graph, x: string, width: number, { madScale, epsilon }: { madScale: number; epsilon: number }) {
  const median = rowMedian(g, x, width, 'median');
  const centred = g.op('Sub', [x, asColumn(g, median)]);
  const mad = rowMedian(g, g.op('Abs', [centred]), width, 'mad');
  const scale = g.op('Add', [g.op('Mul', [mad, g.floats('mad_scale', [madScale], [])]), g.floats('epsilon', [epsilon], [])]);
  return { median, centred, scale };
}
