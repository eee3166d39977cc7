// Every model: the ONNX graph computes what its TypeScript reference computes, the build is
// deterministic, the artefacts pass onnx.checker, and the quality targets hold on generated data.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAutoencoder, trainAutoencoder, type TrainedAutoencoder } from './builders/autoencoder.js';
import { buildChart, randomShapes, trainChart, type TrainedChart } from './builders/chart.js';
import { buildAr, buildHoltWinters, fitAr, fitHoltWinters, mase } from './builders/forecast.js';
import { buildRobustZ } from './builders/robustZ.js';
import { writeArtifacts } from './build.js';
import { autoencoderScores, AE_WINDOW } from './reference/autoencoder.js';
import { CHART_FEATURES, CHART_TYPES, chartFeatures } from './features/chart.js';
import { chartProbabilities, chartRule } from './reference/chart.js';
import { applyForecaster, arForecaster, HISTORY, HORIZON, holtWinters, holtWintersForecaster, PERIOD } from './reference/forecast.js';
import { ROBUST_Z_WINDOW, robustZ } from './reference/robustZ.js';
import { InferenceEngine, type ModelHandle } from './runtime/engine.js';
import { evaluateDetector } from './training/evaluate.js';
import { trailingWindows } from './features/series.js';
import { seasonalSeries } from './training/series.js';
import { rng } from '../lib/random.js';

let engine: InferenceEngine;
let ae: TrainedAutoencoder;
let chart: TrainedChart;
const hwParams = fitHoltWinters();
const phi = fitAr();
const models: Record<string, ModelHandle> = {};

beforeAll(async () => {
  engine = new InferenceEngine({ device: 'cpu', workers: 2 });
  ae = trainAutoencoder();
  chart = trainChart();
  models.robustZ = await engine.load('anomaly-robust-z', buildRobustZ().bytes);
  models.ae = await engine.load('anomaly-autoencoder', buildAutoencoder(ae).bytes);
  models.hw = await engine.load('forecast-holt-winters', buildHoltWinters(hwParams).bytes);
  models.ar = await engine.load('forecast-ar', buildAr(phi).bytes);
  models.chart = await engine.load('chart-recommender', buildChart(chart).bytes);
}, 120_000);
afterAll(() => engine?.close());

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};
const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => maxAbs(a, b) / Math.max(1, ...Array.from(b, Math.abs));

function windowsFrom(seed: number, width: number, series = 8) {
  const parts = Array.from({ length: series }, (_, s) =>
    trailingWindows(seasonalSeries(seed + s, { length: 200, period: 12, level: 50 + 40 * s, amplitude: 3 + s, noise: 1 + s / 2 }), width),
  );
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

describe('ONNX graphs equal their TypeScript references', () => {
  it('anomaly-robust-z (max abs error below 1e-4 relative)', async () => {
    const w = windowsFrom(1, ROBUST_Z_WINDOW);
    const { score } = await engine.runRows(models.robustZ!, 'window', w, ROBUST_Z_WINDOW);
    expect(relErr(score!, robustZ(w))).toBeLessThan(1e-4);
  });

  it('anomaly-autoencoder (max abs error below 1e-4)', async () => {
    const w = windowsFrom(2, AE_WINDOW);
    const { score } = await engine.runRows(models.ae!, 'window', w, AE_WINDOW);
    expect(maxAbs(score!, autoencoderScores(ae.layers, w))).toBeLessThan(1e-4);
  });

  it('forecast-holt-winters and forecast-ar: linear maps equal the recursions; bounds equal the reference', async () => {
    const histories = windowsFrom(3, HISTORY, 4);
    for (const [model, forecaster, recursion] of [
      [models.hw!, holtWintersForecaster(hwParams), (h: Float64Array) => holtWinters(h, hwParams).forecast],
      [models.ar!, arForecaster(phi), null],
    ] as const) {
      const out = await engine.runRows(model, 'history', histories, HISTORY);
      const ref = applyForecaster(forecaster, histories);
      expect(relErr(out.forecast!, ref.forecast)).toBeLessThan(1e-4);
      expect(relErr(out.lower!, ref.lower)).toBeLessThan(1e-4);
      expect(relErr(out.upper!, ref.upper)).toBeLessThan(1e-4);
      expect(Array.from(out.lower!).every((v, i) => v <= out.forecast![i]! && out.forecast![i]! <= out.upper![i]!)).toBe(true);
      if (recursion) {
        const first = Float64Array.from(histories.subarray(0, HISTORY));
        expect(relErr(out.forecast!.subarray(0, HORIZON), recursion(first))).toBeLessThan(1e-4);
      }
    }
  });

  it('chart-recommender (probabilities within 1e-5)', async () => {
    const shapes = randomShapes(99, 500);
    const features = Float32Array.from(shapes.flatMap((s) => Array.from(chartFeatures(s))));
    const { probabilities } = await engine.runRows(models.chart!, 'features', features, CHART_FEATURES);
    const ref = Float64Array.from(shapes.flatMap((s) => Array.from(chartProbabilities(chart.layers, Float32Array.from(chartFeatures(s))))));
    expect(maxAbs(probabilities!, ref)).toBeLessThan(1e-5);
  });
});

describe('quality on generated series', () => {
  it('finds injected spikes with F1 >= 0.9 (both anomaly models); reports level shifts and dropouts', async () => {
    const report: Record<string, unknown> = {};
    for (const [name, model, width, threshold] of [
      ['robust-z', models.robustZ!, ROBUST_Z_WINDOW, 3.5],
      ['autoencoder', models.ae!, AE_WINDOW, ae.threshold],
    ] as const) {
      const scoreWith = async (kind: 'spike' | 'levelShift' | 'dropout', tolerance: number) => {
        // Score through ONNX: collect the windows the evaluator asks for, then run them in one go.
        const asked: Float32Array[] = [];
        evaluateDetector((w) => (asked.push(w), new Float64Array(w.length / width)), { width, threshold, kind, tolerance });
        const scored = await Promise.all(asked.map((w) => engine.runRows(model, 'window', w, width)));
        let i = 0;
        return evaluateDetector(() => scored[i++]!.score!, { width, threshold, kind, tolerance });
      };
      const spikes = await scoreWith('spike', 0);
      report[name] = { spikes, levelShifts: await scoreWith('levelShift', width), dropouts: await scoreWith('dropout', 0) };
      expect(spikes.f1, name).toBeGreaterThanOrEqual(0.9);
    }
    console.log('anomaly detection (precision / recall / F1):', JSON.stringify(report, null, 1));
  });

  it('forecasts seasonal series better than seasonal-naive (MASE ratio < 1)', async () => {
    const u = rng(4242);
    const series = Array.from({ length: 60 }, (_, s) =>
      seasonalSeries(5000 + s, {
        length: HISTORY + HORIZON,
        period: PERIOD,
        level: 50 + 400 * u(),
        trend: u() - 0.3,
        amplitude: 2 + 30 * u(),
        noise: 0.5 + 3 * u(),
      }),
    );
    const histories = Float32Array.from(series.flatMap((s) => Array.from(s.subarray(0, HISTORY))));
    const naive =
      series.reduce(
        (sum, s) =>
          sum +
          mase(
            Array.from({ length: HORIZON }, (_, h) => s[HISTORY - PERIOD + (h % PERIOD)]!),
            s.subarray(HISTORY),
            s.subarray(0, HISTORY),
          ),
        0,
      ) / series.length;
    for (const [name, model] of [
      ['holt-winters', models.hw!],
      ['ar', models.ar!],
    ] as const) {
      const { forecast } = await engine.runRows(model, 'history', histories, HISTORY);
      const m =
        series.reduce(
          (sum, s, i) => sum + mase(forecast!.subarray(i * HORIZON, (i + 1) * HORIZON), s.subarray(HISTORY), s.subarray(0, HISTORY)),
          0,
        ) / series.length;
      console.log(`${name}: MASE ${m.toFixed(3)}, seasonal-naive ${naive.toFixed(3)}, ratio ${(m / naive).toFixed(3)}`);
      expect(m / naive, name).toBeLessThan(1);
    }
  });

  it('the chart recommender agrees with its rule table on >= 95% of held-out shapes', async () => {
    const shapes = randomShapes(777, 3000);
    const { probabilities } = await engine.runRows(
      models.chart!,
      'features',
      Float32Array.from(shapes.flatMap((s) => Array.from(chartFeatures(s)))),
      CHART_FEATURES,
    );
    let agree = 0;
    shapes.forEach((s, i) => {
      const p = Array.from(probabilities!.subarray(i * CHART_TYPES.length, (i + 1) * CHART_TYPES.length));
      if (CHART_TYPES[p.indexOf(Math.max(...p))] === chartRule(s)) agree++;
    });
    console.log(`chart recommender agreement: ${((agree / shapes.length) * 100).toFixed(2)}%`);
    expect(agree / shapes.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe('artefacts', () => {
  it('build deterministically: the same bytes twice', () => {
    const a = mkdtempSync(path.join(tmpdir(), 'models-a-'));
    const b = mkdtempSync(path.join(tmpdir(), 'models-b-'));
    const first = writeArtifacts(undefined, a);
    const second = writeArtifacts(undefined, b);
    expect(second.map((r) => r.sha256)).toEqual(first.map((r) => r.sha256));
    const checker = ['/usr/bin/python3', 'python3'].find((py) => spawnSync(py, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0);
    if (!checker) {
      console.log('onnx.checker skipped: python3-onnx is not installed (apt-get install python3-onnx)');
      return;
    }
    for (const r of first) {
      execFileSync(checker, [
        '-c',
        'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)',
        path.join(a, `${r.name}.onnx`),
      ]);
    }
  }, 300_000);
});
