// Quality measures on generated series with known anomalies (used by the quality tests and the
// metrics written beside each artefact).
import { trailingWindows } from '../features/series.js';
import { SeasonalDetection } from '../features/seasonalDetection.js';
import { seasonalAnomalyScores } from '../reference/seasonalAnomaly.js';
import { rng } from '../../lib/random.js';
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

export interface SeasonalDetectorQuality {
  spikes: { precision: number; recall: number; f1: number };
  /** Share of points without an injected anomaly that were flagged. */
  normalFlagRate: number;
  levelShifts: { found: number; injected: number; meanLocationError: number };
}

/**
 * The seasonal detector (decomposition, the model's math by its reference, the selection) on
 * generated monthly series with trend, season and noise σ: spikes of 5–8 σ at known places (zero
 * tolerance: the flag must be on the very point), and one level shift of 6 σ per series.
 */
export function evaluateSeasonalDetector({ series = 20, length = 240, seed = 4000 } = {}): SeasonalDetectorQuality {
  const run = (values: Float64Array, timestamps: string[]) => {
    const detection = new SeasonalDetection(values, timestamps);
    let rows = detection.rows;
    while (rows) rows = detection.next(seasonalAnomalyScores(rows.residuals, rows.level, rows.scale));
    return detection.flags();
  };
  const stamps = Array.from({ length }, (_, m) => new Date(Date.UTC(2000, m, 1)).toISOString().slice(0, 10));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let normal = 0;
  const shiftErrors: number[] = [];
  for (let s = 0; s < series; s++) {
    const noise = 1 + (s % 4);
    const u = rng(seed + s);
    const x = seasonalSeries(seed + s, {
      length,
      period: 12,
      level: 200 + 50 * (s % 5),
      trend: 0.3 * ((s % 3) - 1),
      amplitude: 5 + 3 * (s % 7),
      noise,
    });
    const spikes = new Set<number>();
    while (spikes.size < 6) {
      const p = 15 + Math.floor(u() * (length - 30));
      if ([...spikes].every((q) => Math.abs(q - p) > 10)) spikes.add(p);
    }
    const spiked = Float64Array.from(x);
    for (const p of spikes) spiked[p]! += (u() < 0.5 ? -1 : 1) * (5 + 3 * u()) * noise;
    const flagged = new Set(
      run(spiked, stamps)
        .filter((f) => f.type === 'SPIKE')
        .map((f) => f.index),
    );
    for (const p of spikes)
      if (flagged.has(p)) tp++;
      else fn++;
    const wrong = [...flagged].filter((p) => !spikes.has(p)).length;
    fp += wrong;
    normal += wrong;
    const at = 40 + Math.floor(u() * (length - 80));
    const shifted = Float64Array.from(x, (v, i) => v + (i >= at ? 6 * noise : 0));
    const found = run(shifted, stamps).filter((f) => f.type === 'LEVEL_SHIFT');
    const nearest = found.map((f) => Math.abs(f.index - at)).sort((a, b) => a - b)[0];
    if (nearest !== undefined && nearest <= 12) shiftErrors.push(nearest);
  }
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  return {
    spikes: { precision, recall, f1: (2 * precision * recall) / Math.max(1e-12, precision + recall) },
    normalFlagRate: normal / (series * (length - 6)),
    levelShifts: {
      found: shiftErrors.length,
      injected: series,
      meanLocationError: shiftErrors.reduce((a, b) => a + b, 0) / Math.max(1, shiftErrors.length),
    },
  };
}
