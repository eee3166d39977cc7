import { describe, expect, it } from 'vitest';
import { gaussian, rng } from '../../lib/random.js';
import { esdCritical, normalQuantile, selectChanges, selectSpikes, tQuantile } from './anomalySelection.js';

describe('quantiles', () => {
  it('matches the tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042, 2);
    expect(tQuantile(0.995, 50)).toBeCloseTo(2.678, 2);
  });

  it("gives Rosner's generalised ESD critical values (NIST's example: n = 54, α = 0.05)", () => {
    expect(esdCritical(54, 1, 0.05)).toBeCloseTo(3.159, 2);
    expect(esdCritical(54, 10, 0.05)).toBeCloseTo(3.087, 2);
  });
});

describe('selectSpikes', () => {
  it('flags nothing in Gaussian noise and exactly the points far out', () => {
    const noise = gaussian(rng(9));
    const scores = Array.from({ length: 1000 }, () => Math.abs(noise()));
    expect(selectSpikes(scores)).toEqual([]);
    scores[100] = 7;
    scores[500] = 5.5;
    scores[900] = 9;
    expect(selectSpikes(scores)).toEqual([100, 500, 900]);
  });

  it('flags at most maxShare of the points, and nothing in a series of fewer than 10', () => {
    expect(
      selectSpikes(
        Array.from({ length: 100 }, () => 50),
        { maxShare: 0.05 },
      ),
    ).toHaveLength(5);
    expect(selectSpikes([100, 0, 0])).toEqual([]);
  });
});

describe('selectChanges', () => {
  it('finds the peak of a change statistic, once, in units of its own spread', () => {
    const noise = gaussian(rng(5));
    // A step's statistic rises to a sharp peak at the step and falls away from it.
    const stat = Array.from({ length: 200 }, (_, t) => noise() + 14 * Math.max(0, 1 - Math.abs(t - 120) / 8));
    expect(selectChanges(stat).map((c) => c.index)).toEqual([120]);
    expect(selectChanges(stat)[0]!.z).toBeGreaterThan(10);
    // Noise alone, however wide, changes nothing: it is judged in units of its own spread.
    expect(selectChanges(Array.from({ length: 500 }, () => 30 * noise()))).toEqual([]);
  });
});
