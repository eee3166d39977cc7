import { describe, expect, it } from 'vitest';
import { gaussian, rng } from '../../../lib/random.js';
import type { SeriesByValue } from '../../../lib/datasets/reader.js';
import { DRIVER_WINDOW, explainAnomalies, MAX_EXPLAINED, type DriverSource } from './drivers.js';
import { decompose } from '../../../models/features/decompose.js';
import { SeasonalDetection } from '../../../models/features/seasonalDetection.js';
import { seasonalAnomalyScores } from '../../../models/reference/seasonalAnomaly.js';
import { isoDate, vegaCsv } from '../../../models/training/publicSeries.js';

const months = Array.from({ length: 96 }, (_, m) => new Date(Date.UTC(2016, m, 1)).toISOString().slice(0, 10));

/** Sub-series per region and per product (seasonal, noisy), with `extra` added where it says. */
function source(extra: (region: string, product: string, t: number) => number): { source: DriverSource; reads: string[] } {
  const noise = gaussian(rng(11));
  const cells: Array<{ region: string; product: string; x: number[] }> = [];
  for (const region of ['North', 'South', 'East'])
    for (const product of ['a', 'b'])
      cells.push({
        region,
        product,
        x: months.map((_, t) => 100 + 20 * Math.sin((2 * Math.PI * t) / 12) + 3 * noise() + extra(region, product, t)),
      });
  const reads: string[] = [];
  return {
    reads,
    source: {
      dimensions: ['region', 'product'],
      timestamps: months,
      periods: [12],
      read: async (dimension, from, to) => {
        reads.push(`${dimension} ${from} ${to}`);
        const lo = months.indexOf(from);
        const hi = months.indexOf(to);
        const byValue: SeriesByValue['byValue'] = new Map();
        for (const c of cells) {
          const key = dimension === 'region' ? c.region : c.product;
          const series = byValue.get(key) ?? new Map<string, number>();
          for (let t = lo; t <= hi; t++) series.set(months[t]!, (series.get(months[t]!) ?? 0) + c.x[t]!);
          byValue.set(key, series);
        }
        return { timestamps: months.slice(lo, hi + 1), byValue };
      },
    },
  };
}

describe('explainAnomalies', () => {
  it('traces a spike to the value that made it, ahead of a column that spreads it evenly', async () => {
    const { source: s } = source((region, product, t) => (t === 50 && region === 'East' ? 120 : 0));
    const drivers = (await explainAnomalies([{ index: 50, type: 'SPIKE', residual: 120, score: 9 }], s)).get(50)!;
    expect(drivers[0]).toMatchObject({ column: 'region', value: 'East' });
    expect(drivers[0]!.contribution).toBeGreaterThan(0.8);
    expect(drivers[0]!.actual - drivers[0]!.expected).toBeGreaterThan(90);
    // Each column's shares add up to at most 1; the list runs largest first.
    const byColumn = (c: string) => drivers.filter((d) => d.column === c).reduce((a, d) => a + d.contribution, 0);
    expect(byColumn('region')).toBeLessThanOrEqual(1 + 1e-9);
    expect(byColumn('product')).toBeLessThanOrEqual(1 + 1e-9);
    expect(drivers.map((d) => d.contribution)).toEqual([...drivers.map((d) => d.contribution)].sort((a, b) => b - a));
  });

  it('explains a dip by the values that fell, and a level shift by what stepped', async () => {
    const { source: s } = source((region, product, t) => (t === 30 && product === 'b' ? -90 : t >= 70 && region === 'North' ? 60 : 0));
    const found = await explainAnomalies(
      [
        { index: 30, type: 'SPIKE', residual: -90, score: 8 },
        { index: 70, type: 'LEVEL_SHIFT', residual: 60, score: 6 },
      ],
      s,
    );
    expect(found.get(30)![0]).toMatchObject({ column: 'product', value: 'b' });
    expect(found.get(70)![0]).toMatchObject({ column: 'region', value: 'North' });
  });

  it('reads each column once for anomalies close together, and explains the strongest MAX_EXPLAINED', async () => {
    const { source: s, reads } = source(() => 0);
    await explainAnomalies(
      [40, 44, 48].map((index) => ({ index, type: 'SPIKE' as const, residual: 1, score: 5 })),
      s,
    );
    expect(reads).toHaveLength(2);
    const many = Array.from({ length: 30 }, (_, i) => ({ index: 2 * i, type: 'SPIKE' as const, residual: 1, score: i }));
    expect((await explainAnomalies(many, s)).size).toBe(MAX_EXPLAINED);
  });

  it('explains nothing without dimensions', async () => {
    const { source: s } = source(() => 0);
    expect((await explainAnomalies([{ index: 5, type: 'SPIKE', residual: 1, score: 5 }], { ...s, dimensions: [] })).size).toBe(0);
  });
});

describe('explainAnomalies on series without a season', () => {
  it('traces a fall in share prices by symbol to the one symbol that fell, its sub-series followed as closely as the total', async () => {
    // Monthly prices of five stocks, 2000–2010 (vega-datasets); MSFT's March 2003 entry 150 lower.
    const rows = vegaCsv('stocks.csv').map((r) => ({ month: isoDate(r.date!), symbol: r.symbol!, price: Number(r.price) }));
    const stamps = [...new Set(rows.map((r) => r.month))].sort();
    const at = stamps.indexOf('2003-03-01');
    const priceOf = (r: (typeof rows)[number]) => r.price + (r.symbol === 'MSFT' && r.month === stamps[at] ? -150 : 0);
    const total = stamps.map((m) => rows.filter((r) => r.month === m).reduce((a, r) => a + priceOf(r), 0));
    const detection = new SeasonalDetection(total, stamps);
    let pending = detection.rows;
    while (pending) pending = detection.next(seasonalAnomalyScores(pending.residuals, pending.level, pending.scale));
    const flag = detection.flags().find((f) => f.index === at)!;
    expect(flag).toMatchObject({ type: 'SPIKE' });
    expect(detection.trendWidth).toBeDefined();
    const found = await explainAnomalies([flag], {
      dimensions: ['symbol'],
      timestamps: stamps,
      periods: detection.periods,
      trendWidth: detection.trendWidth,
      read: async (_dimension, from, to) => {
        const byValue: SeriesByValue['byValue'] = new Map();
        for (const r of rows) {
          if (r.month < from || r.month > to) continue;
          const series = byValue.get(r.symbol) ?? new Map<string, number>();
          series.set(r.month, priceOf(r));
          byValue.set(r.symbol, series);
        }
        return { timestamps: stamps.filter((m) => m >= from && m <= to), byValue };
      },
    });
    const drivers = found.get(at)!;
    expect(drivers[0]).toMatchObject({ column: 'symbol', value: 'MSFT' });
    expect(drivers[0]!.contribution).toBeGreaterThan(0.9);
    expect(drivers[0]!.actual - drivers[0]!.expected).toBeLessThan(-140);
    // Its expected value is that of its own window decomposed as the total was: the total's
    // width, over the points as they come.
    const lo = Math.max(0, at - DRIVER_WINDOW);
    const window = stamps.slice(lo, Math.min(stamps.length, at + DRIVER_WINDOW + 1)).map((m) => {
      const r = rows.find((x) => x.symbol === 'MSFT' && x.month === m);
      return r ? priceOf(r) : 0;
    });
    const own = decompose(window, { trendWidth: detection.trendWidth });
    expect(drivers[0]!.expected).toBeCloseTo(own.expected[at - lo]!, 6);
    expect(decompose(window).expected[at - lo]).not.toBeCloseTo(own.expected[at - lo]!, 1);
  });
});
