// Accuracy figures of the registry's two statistics: how closely sticky traffic splits match
// their weights over 10,000 keys, and PSI against the hand-computed value and on resampled vs
// shifted data.   npm run bench:registry
import { psi, psiAgainst, referenceOf } from '../lib/registry/psi.js';
import { pickByWeights } from '../lib/registry/selection.js';

console.log('traffic split over 10,000 sticky keys (share of keys per version vs its weight):');
for (const weights of [
  [90, 10],
  [50, 50],
  [70, 20, 10],
  [1, 99],
]) {
  const versions = weights.map((weight, i) => ({ versionId: `v${i + 1}`, version: i + 1, weight }));
  const counts = new Map<string, number>();
  for (let k = 0; k < 10_000; k++) {
    const v = pickByWeights(versions, 'anomaly-autoencoder', `dataset-${k}`)!;
    counts.set(v.versionId, (counts.get(v.versionId) ?? 0) + 1);
  }
  const shares = versions.map((v) => (counts.get(v.versionId) ?? 0) / 100);
  const worst = Math.max(...versions.map((v, i) => Math.abs(shares[i]! - v.weight)));
  console.log(
    `  ${weights.join('/').padEnd(9)} → ${shares.map((s) => s.toFixed(2)).join('/')}  (largest deviation ${worst.toFixed(2)} points; target ±2)`,
  );
}

const handComputed = 0.228218; // Σ (a−e)·ln(a/e), e = ¼ each, a = .1 .2 .3 .4
const computed = psi([0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4]);
console.log(
  `PSI, 4 bins: computed ${computed.toFixed(6)}, by hand ${handComputed.toFixed(6)}, difference ${Math.abs(computed - handComputed).toExponential(1)}`,
);

let seed = 1;
const uniform = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
const reference = referenceOf(Array.from({ length: 5000 }, normal));
const trials = 200;
for (const [label, shift] of [
  ['resample of the reference', 0],
  ['mean shifted by 0.5 sd', 0.5],
  ['mean shifted by 1 sd', 1],
] as const) {
  const values = Array.from({ length: trials }, () =>
    psiAgainst(
      reference,
      Array.from({ length: 1000 }, () => normal() + shift),
    ),
  ).sort((a, b) => a - b);
  const flagged = values.filter((v) => v > 0.2).length / trials;
  console.log(
    `PSI, 10 equal-frequency bins, ${label}: median ${values[trials / 2]!.toFixed(3)}, flagged (> 0.2) in ${(flagged * 100).toFixed(0)}% of ${trials} windows of 1,000`,
  );
}
