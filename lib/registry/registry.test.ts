import { describe, expect, it } from 'vitest';
import { assessHealth, DEFAULT_HEALTH_RULE } from './health.js';
import { binShares, equalFrequencyEdges, psi, psiAgainst, referenceOf } from './psi.js';
import { bucketOf, pickByWeights, servingVersion } from './selection.js';
import { decodeOnnxBase64, referencesFrom } from './registration.js';

describe('psi', () => {
  it('equals the hand-computed value', () => {
    // Σ (a − e)·ln(a/e) for e = ¼ each, a = .1 .2 .3 .4
    const expected =
      (0.1 - 0.25) * Math.log(0.1 / 0.25) +
      (0.2 - 0.25) * Math.log(0.2 / 0.25) +
      (0.3 - 0.25) * Math.log(0.3 / 0.25) +
      (0.4 - 0.25) * Math.log(0.4 / 0.25);
    expect(psi([0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4])).toBeCloseTo(0.228218, 5);
    expect(psi([0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4])).toBeCloseTo(expected, 12);
    // An empty bin counts as epsilon (1e-4), as in Evidently, instead of dividing by zero.
    expect(psi([0.5, 0.5], [1, 0])).toBeCloseTo((1 - 0.5) * Math.log(1 / 0.5) + (1e-4 - 0.5) * Math.log(1e-4 / 0.5), 10);
  });

  it('bins the reference by equal frequency', () => {
    const sample = Array.from({ length: 1000 }, (_, i) => i);
    const edges = equalFrequencyEdges(sample, 10);
    expect(edges).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(binShares(sample, edges)).toEqual(new Array(10).fill(0.1));
  });

  it('flags a shifted distribution and not a resample of the reference', () => {
    let seed = 5;
    const uniform = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const reference = referenceOf(Array.from({ length: 5000 }, normal));
    const resample = Array.from({ length: 1000 }, normal);
    const shifted = Array.from({ length: 1000 }, () => normal() + 0.8);
    expect(psiAgainst(reference, resample)).toBeLessThan(0.1);
    expect(psiAgainst(reference, shifted)).toBeGreaterThan(0.2);
  });
});

describe('traffic split', () => {
  for (const weights of [
    [90, 10],
    [50, 30, 20],
    [1, 99],
  ]) {
    it(`matches ${weights.join('/')} within ±2% over 10,000 keys, and is sticky`, () => {
      const versions = weights.map((weight, i) => ({ versionId: `v${i + 1}`, version: i + 1, weight }));
      const counts = new Map<string, number>();
      for (let k = 0; k < 10_000; k++) {
        const chosen = pickByWeights(versions, 'anomaly', `user-${k}`)!;
        counts.set(chosen.versionId, (counts.get(chosen.versionId) ?? 0) + 1);
      }
      versions.forEach((v) => expect(Math.abs((counts.get(v.versionId) ?? 0) / 100 - v.weight), v.versionId).toBeLessThanOrEqual(2));
      expect(pickByWeights(versions, 'anomaly', 'user-42')).toBe(pickByWeights(versions, 'anomaly', 'user-42'));
    });
  }

  it('spreads buckets over the whole range', () => {
    const buckets = Array.from({ length: 1000 }, (_, k) => bucketOf('m', String(k)));
    expect(Math.min(...buckets)).toBeLessThan(100);
    expect(Math.max(...buckets)).toBeGreaterThan(9900);
    expect(pickByWeights([], 'm', 'k')).toBeNull();
  });
});

describe('serving version', () => {
  const v = (version: number, weight = 0) => ({ versionId: `v${version}`, version, weight, sha256: `sha${version}` });
  it('serves the split, else production, and never merely the newest', () => {
    expect(servingVersion([v(1, 100)], v(3), 'm', 'k')).toMatchObject({ versionId: 'v1', reason: 'split' });
    expect(servingVersion([], v(1), 'm', 'k')).toEqual({ versionId: 'v1', version: 1, sha256: 'sha1', reason: 'production' });
    // A version nobody put in the split or under `production` serves no one.
    expect(servingVersion([], null, 'm', 'k')).toBeNull();
    expect(servingVersion([v(2, 0)], null, 'm', 'k')).toBeNull();
  });
});

describe('health', () => {
  const rule = { ...DEFAULT_HEALTH_RULE, maxErrorRate: 0.1, maxP95Ms: 100, window: 50, minCalls: 10 };
  it('judges error rate and p95 latency over the latest calls only', () => {
    const ok = Array.from({ length: 50 }, () => ({ ok: true, latencyMs: 10 }));
    expect(assessHealth(ok, rule)).toMatchObject({ healthy: true, calls: 50, errorRate: 0 });
    const failing = [...Array.from({ length: 8 }, () => ({ ok: false, latencyMs: 10 })), ...ok];
    expect(assessHealth(failing, rule)).toMatchObject({ healthy: false, errorRate: 8 / 50 });
    expect(assessHealth(failing, rule).reason).toMatch(/error rate 16.0% > 10.0% over the last 50 calls/);
    const slow = Array.from({ length: 50 }, (_, i) => ({ ok: true, latencyMs: i < 5 ? 500 : 10 }));
    expect(assessHealth(slow, rule)).toMatchObject({ healthy: false, p95Ms: 500 });
    expect(assessHealth(failing.slice(0, 5), rule).healthy).toBe(true); // too few calls to judge
  });
});

describe('registration input', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return (err as { extensions: { code: string; field?: string } }).extensions;
    }
    return null;
  };
  it('refuses empty and malformed base64, and bad reference samples', () => {
    expect(code(() => decodeOnnxBase64(''))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'onnxBase64' });
    expect(code(() => decodeOnnxBase64('not base64!'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'onnxBase64' });
    expect(code(() => decodeOnnxBase64('abc'))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(Array.from(decodeOnnxBase64('AQID'))).toEqual([1, 2, 3]);
    expect(code(() => referencesFrom({ x: [1, 2] }))).toMatchObject({ field: 'reference.x' });
    expect(referencesFrom({ x: Array.from({ length: 100 }, (_, i) => i) })!.x!.edges).toHaveLength(9);
  });
});
