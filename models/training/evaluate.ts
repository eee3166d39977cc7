// Quality measures on generated series with known anomalies (used by the quality tests and the
// metrics written beside each artefact).
import { trailingWindows } from '../features/series.js';
import { injectAnomalies, seasonalSeries, type AnomalyKind } from './series.js';

export interface Detection {
  precision: number;
  recall: number;
  f1: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

/**
 * Scores generated series (seasonal, trending, noisy) with `count` injected anomalies each and
 * counts detections: a flagged point within `tolerance` points after an anomaly's start is a hit.
 */
export function evaluateDetector(
  score: (windows: Float32Array) => ArrayLike<number>,
  {
    width,
    threshold,
    kind,
    series = 30,
    length = 400,
    count = 6,
    seed = 1000,
    tolerance = 0,
  }: {
    width: number;
    threshold: number;
    kind: AnomalyKind;
    series?: number;
    length?: number;
    count?: number;
    seed?: number;
    tolerance?: number;
  },
): Detection {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let s = 0; s < series; s++) {
    const x = seasonalSeries(seed + s, {
      length,
      period: 12,
      level: 200 + 50 * (s % 5),
      trend: 0.3 * ((s % 3) - 1),
      amplitude: 5 + 3 * (s % 7),
      noise: 1 + (s % 4),
    });
    const labels = injectAnomalies(x, seed * 7 + s, kind, count, { minGap: 40, start: width + 5 });
    const scores = score(trailingWindows(x, width));
    const flagged = new Set<number>();
    for (let r = 0; r < scores.length; r++) if (scores[r]! > threshold) flagged.add(r + width - 1);
    const starts = labels.flatMap((l, t) => (l ? [t] : []));
    const matched = new Set<number>();
    for (const start of starts) {
      const hit = [...flagged].find((t) => t >= start && t <= start + tolerance);
      if (hit === undefined) fn++;
      else {
        tp++;
        for (let t = start; t <= start + tolerance; t++) matched.add(t);
      }
    }
    fp += [...flagged].filter((t) => !matched.has(t)).length;
  }
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  return {
    precision,
    recall,
    f1: (2 * precision * recall) / Math.max(1e-12, precision + recall),
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
  };
}
