// Population stability index between a reference sample and a recent one, on equal-frequency
// bins of the reference, with a small epsilon for empty bins (as Evidently computes it).

export const PSI_EPSILON = 1e-4;
export const DEFAULT_BINS = 10;

/** Interior cut points splitting the sorted reference into `bins` groups of (nearly) equal size. */
export function equalFrequencyEdges(reference: ArrayLike<number>, bins = DEFAULT_BINS): number[] {
  const sorted = Float64Array.from(reference).sort();
  if (sorted.length === 0) throw new Error('an empty reference has no bins');
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const edge = sorted[Math.floor((i * sorted.length) / bins)]!;
    if (edges.length === 0 || edge > edges.at(-1)!) edges.push(edge);
  }
  return edges;
}

/** Share of `values` in each bin: (-∞, e0), [e0, e1), ..., [e_last, ∞). */
export function binShares(values: ArrayLike<number>, edges: number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v < edges[mid]!) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]!++;
  }
  return counts.map((c) => c / Math.max(1, values.length));
}

/** PSI = Σ (actual − expected) · ln(actual / expected), empty shares replaced by `epsilon`. */
export function psi(expected: number[], actual: number[], epsilon = PSI_EPSILON): number {
  let total = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i]!, epsilon);
    const a = Math.max(actual[i]!, epsilon);
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

export interface FeatureReference {
  edges: number[];
  shares: number[];
  size: number;
}

export function referenceOf(sample: ArrayLike<number>, bins = DEFAULT_BINS): FeatureReference {
  const edges = equalFrequencyEdges(sample, bins);
  return { edges, shares: binShares(sample, edges), size: sample.length };
}

export function psiAgainst(reference: FeatureReference, recent: ArrayLike<number>): number {
  return psi(reference.shares, binShares(recent, reference.edges));
}
