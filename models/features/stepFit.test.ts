import { describe, expect, it } from 'vitest';
import { gaussian, rng } from '../../lib/random.js';
import { persists, stepStandardError } from './stepFit.js';

describe('persists', () => {
  const noise = gaussian(rng(11));
  const flat = () => Float64Array.from({ length: 200 }, () => 0.5 * noise());

  it('keeps a new level that holds', () => {
    const x = flat().map((v, i) => v + (i >= 100 ? 6 : 0));
    expect(persists(x, 100, 6)).toBe(true);
  });

  it('refuses an excursion that returns within the window (a cold week is not a new level)', () => {
    const x = flat().map((v, i) => v + (i >= 100 && i < 108 ? -6 : 0));
    expect(persists(x, 100, -6)).toBe(false);
  });

  it('refuses a step whose wider fit points the other way, and lets one near an end stand', () => {
    const x = flat().map((v, i) => v + (i >= 100 ? 6 : 0));
    expect(persists(x, 100, -6)).toBe(false);
    const end = flat().map((v, i) => v + (i >= 190 ? 6 : 0));
    expect(persists(end, 190, 6)).toBe(true);
  });

  it('has a standard error per unit of noise below one (24 points)', () => {
    expect(stepStandardError()).toBeGreaterThan(0.3);
    expect(stepStandardError()).toBeLessThan(1);
  });
});
