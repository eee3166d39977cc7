// Insights on real public data, through the product: series from the vega-datasets package are
// loaded into datasets through the gateway (ingestCsv), anomalies are injected here at known
// points, and every analysis is queued with runAnalysis and run by the analysis worker on the
// registry's models (seeded as `npm start` seeds them) — then scored against what was injected.
//
//  1. spikes: precision, recall and F1 at zero tolerance (the flag must be on the injected point);
//     flags on the unmodified series (the data's own anomalies, reported apart as a share of its
//     points); version 1 of the anomaly model on the same series, by moving `production` back;
//  2. level shifts: share located, and the location error;
//  3. drivers: a one-point surge in one value of a categorical column — is that value the top driver?
//  4. forecasts by backtest (several origins): MASE against the in-sample seasonal-naive error, the
//     same for seasonal naive itself, and the coverage of the 95% intervals; versions 3, 2 and 1;
//  5. chart suggestions against the rule table on query shapes over the loaded datasets;
//  6. worker throughput: 100 queued analyses one at a time against 16 at once sharing batches.
// Noise level σ (for sizing what is injected) is measured here, independently of the product:
// the robust spread of x_t − (x_{t−m} + x_{t+m}) / 2 over √1.5, m the calendar season (or 1).
//   npm run bench:insights            (BENCH_TRIALS=3 by default; BENCH_SECTIONS picks sections;
//                                      BENCH_SERIES=holdout: the series never tuned on)
import { rng } from '../lib/random.js';
import { robustSigma } from '../models/features/robust.js';
import { chartRuleV2 } from '../models/reference/chartRules.js';
import { co2Series, isoDate, vegaCsv, vegaJson } from '../models/training/publicSeries.js';
import { InferenceEngine } from '../models/runtime/engine.js';
import { readArtifacts } from '../models/artifacts.js';
import { seedModels } from '../prisma/seed.js';
import { createAnalysisWorker } from '../subgraphs/insights/worker/worker.js';
import { graphql, scratchDatabase, startStack, type BenchStack } from './support.js';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 3);
/** BENCH_SECTIONS=spikes,shifts,drivers,forecasts,charts,throughput (all by default). */
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? 'spikes,shifts,drivers,forecasts,charts,throughput').split(','));
const want = (section: string) => SECTIONS.has(section);

interface Series {
  name: string;
  timestamps: string[];
  values: number[];
  /** Calendar season in steps (1: none). */
  season: number;
}

// ───────────────────────── data ─────────────────────────

function publicSeries(): Series[] {
  const co2 = co2Series();
  const seattle = vegaCsv('seattle-weather.csv');
  const newYork = vegaCsv('weather.csv').filter((r) => r.location === 'New York');
  const unemployment = new Map<string, number>();
  for (const r of vegaJson<Array<{ date: string; count: number }>>('unemployment-across-industries.json')) {
    const month = `${r.date.slice(0, 7)}-01`;
    unemployment.set(month, (unemployment.get(month) ?? 0) + r.count);
  }
  const months = [...unemployment.keys()].sort();
  const sp500 = vegaCsv('sp500.csv');
  // Flights departing per hour, January–March 2001 (a 20,000-flight sample): counts with a daily cycle.
  const perHour = new Map<string, number>();
  for (const f of vegaJson<Array<{ date: string }>>('flights-20k.json')) {
    const hour = `${f.date.slice(0, 10).replace(/\//g, '-')}T${f.date.slice(11, 13)}:00:00Z`;
    perHour.set(hour, (perHour.get(hour) ?? 0) + 1);
  }
  const hours: string[] = [];
  for (let t = Date.parse('2001-01-01T00:00:00Z'); t < Date.parse('2001-04-01T00:00:00Z'); t += 3_600_000)
    hours.push(new Date(t).toISOString().replace('.000', ''));
  const normals = vegaCsv('seattle-weather-hourly-normals.csv');
  return [
    { name: 'CO2 at Mauna Loa (monthly)', timestamps: co2.timestamps, values: co2.values, season: 12 },
    {
      name: 'Seattle max temperature (daily)',
      timestamps: seattle.map((r) => r.date!),
      values: seattle.map((r) => Number(r.temp_max)),
      season: 365,
    },
    {
      name: 'New York max temperature (daily)',
      timestamps: newYork.map((r) => r.date!),
      values: newYork.map((r) => Number(r.temp_max)),
      season: 365,
    },
    { name: 'US unemployment, all industries (monthly)', timestamps: months, values: months.map((m) => unemployment.get(m)!), season: 12 },
    {
      name: 'S&P 500 (monthly, no season)',
      timestamps: sp500.map((r) => isoDate(r.date!)),
      values: sp500.map((r) => Number(r.price)),
      season: 1,
    },
    {
      name: 'Seattle min temperature (daily)',
      timestamps: seattle.map((r) => r.date!),
      values: seattle.map((r) => Number(r.temp_min)),
      season: 365,
    },
    { name: 'Flights per hour (Jan–Mar 2001)', timestamps: hours, values: hours.map((h) => perHour.get(h) ?? 0), season: 24 },
    {
      name: 'Seattle temperature normals (hourly, a year)',
      timestamps: normals.map((r) => `${r.date!}Z`),
      values: normals.map((r) => Number(r.temperature)),
      season: 24,
    },
  ];
}

/**
 * Series the product was never tuned on (BENCH_SERIES=holdout): monthly and daily counts with a
 * season, seasonally adjusted employment (no season left), monthly share prices (random walks), a
 * daily index over twenty years, and an annual temperature record.
 */
function holdoutSeries(): Series[] {
  const strikes = vegaCsv('birdstrikes.csv').map((r) => r['Flight Date']!);
  const perDay = new Map<string, number>();
  const perMonth = new Map<string, number>();
  for (const d of strikes) {
    perDay.set(d, (perDay.get(d) ?? 0) + 1);
    perMonth.set(`${d.slice(0, 7)}-01`, (perMonth.get(`${d.slice(0, 7)}-01`) ?? 0) + 1);
  }
  const days: string[] = [];
  for (let t = Date.parse('1990-01-01'); t <= Date.parse('2002-06-30'); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  const strikeMonths = [...perMonth.keys()].sort().filter((m) => m < '2002-07-01');
  const employment = vegaCsv('us-employment.csv');
  const stocks = vegaCsv('stocks.csv');
  const stock = (symbol: string): Series => {
    const rows = stocks.filter((r) => r.symbol === symbol);
    return {
      name: `${symbol} share price (monthly)`,
      timestamps: rows.map((r) => isoDate(r.date!)),
      values: rows.map((r) => Number(r.price)),
      season: 1,
    };
  };
  const daily = vegaCsv('sp500-2000.csv');
  const temperature = vegaCsv('global-temp.csv');
  return [
    { name: 'Bird strikes per month (1990–2002)', timestamps: strikeMonths, values: strikeMonths.map((m) => perMonth.get(m)!), season: 12 },
    { name: 'Bird strikes per day (1990–2002)', timestamps: days, values: days.map((d) => perDay.get(d) ?? 0), season: 365 },
    {
      name: 'US nonfarm employment (monthly, seasonally adjusted)',
      timestamps: employment.map((r) => r.month!),
      values: employment.map((r) => Number(r.nonfarm)),
      season: 1,
    },
    {
      name: 'US construction employment (monthly, seasonally adjusted)',
      timestamps: employment.map((r) => r.month!),
      values: employment.map((r) => Number(r.construction)),
      season: 1,
    },
    stock('AAPL'),
    stock('AMZN'),
    stock('IBM'),
    stock('MSFT'),
    {
      name: 'S&P 500 close (daily, 2000–2020)',
      timestamps: daily.map((r) => r.date!),
      values: daily.map((r) => Number(r.close)),
      season: 1,
    },
    {
      name: 'Global temperature anomaly (yearly, 1880–2023)',
      timestamps: temperature.map((r) => `${r.year}-01-01`),
      values: temperature.map((r) => Number(r.temp)),
      season: 1,
    },
  ];
}

/** The noise level σ the injections are sized by (see the file comment). */
function noiseOf(values: number[], m: number): number {
  const d = values.slice(m, values.length - m).map((v, i) => v - (values[i]! + values[i + 2 * m]!) / 2);
  return robustSigma(d) / Math.sqrt(1.5);
}

/** Rows with a category, for drivers: the value column per category per time. */
interface Segmented {
  name: string;
  columns: [string, string, string];
  rows: Array<[string, string, number]>;
  season: number;
}

function segmentedSets(): Segmented[] {
  const unemployment = vegaJson<Array<{ series: string; date: string; count: number }>>('unemployment-across-industries.json');
  return [
    {
      name: 'US unemployment by industry (14 industries)',
      columns: ['month', 'industry', 'unemployed'],
      rows: unemployment.map((r) => [`${r.date.slice(0, 7)}-01`, r.series, r.count]),
      season: 12,
    },
    {
      name: 'Miles flown per day by origin airport (220 airports, Jan–Mar 2001)',
      columns: ['day', 'origin', 'miles'],
      rows: vegaJson<Array<{ date: string; origin: string; distance: number }>>('flights-20k.json').map((f) => [
        f.date.slice(0, 10).replace(/\//g, '-'),
        f.origin,
        f.distance,
      ]),
      season: 7,
    },
    {
      name: 'Max temperature by city (2 cities, daily)',
      columns: ['day', 'city', 'temp_max'],
      rows: vegaCsv('weather.csv').map((r) => [r.date!, r.location!, Number(r.temp_max)]),
      season: 365,
    },
  ];
}

/** Categorical sets never tuned on (BENCH_SERIES=holdout). */
function holdoutSegmentedSets(): Segmented[] {
  return [
    {
      name: 'Bird strikes per month by phase of flight (7 phases, 1990–2002)',
      columns: ['month', 'phase', 'strikes'],
      rows: vegaCsv('birdstrikes.csv')
        .filter((r) => r['Flight Date']! < '2002-07-01')
        .map((r) => [`${r['Flight Date']!.slice(0, 7)}-01`, r['Phase of flight']!, 1]),
      season: 12,
    },
    {
      name: 'Share prices by symbol (5 stocks, monthly, 2000–2010)',
      columns: ['month', 'symbol', 'price'],
      rows: vegaCsv('stocks.csv').map((r) => [isoDate(r.date!), r.symbol!, Number(r.price)]),
      season: 1,
    },
  ];
}

// ───────────────────────── the product ─────────────────────────

const csvOf = (header: string[], rows: unknown[][]) =>
  [
    header.join(','),
    ...rows.map((r) => r.map((v) => (typeof v === 'string' && /[,"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')),
  ].join('\n');

let serial = 0;
/** A new dataset through the gateway, loaded with inline CSV; answers its id. */
async function dataset(stack: BenchStack, header: string[], rows: unknown[][]): Promise<string> {
  const { createDataset } = await graphql(stack.url, stack.token, 'mutation($n: String!) { createDataset(input: { name: $n }) { id } }', {
    n: `bench ${++serial}`,
  });
  await graphql(stack.url, stack.token, 'mutation($d: ID!, $c: String!) { ingestCsv(datasetId: $d, csv: $c) { number } }', {
    d: createDataset.id,
    c: csvOf(header, rows),
  });
  return createDataset.id;
}

const RESULT = `query($id: ID!) { analysisJob(id: $id) { status error device insights { kind
  anomalies { index type value expected score drivers { column value contribution } } forecast { value lower upper } } } }`;

/** Queues the analyses through the gateway and answers each finished job (read through the gateway). */
async function analyse(stack: BenchStack, inputs: Array<Record<string, unknown>>): Promise<any[]> {
  const ids: string[] = [];
  for (const i of inputs) {
    ids.push(
      (
        await graphql(stack.url, stack.token, 'mutation($i: RunAnalysisInput!) { runAnalysis(input: $i) { id } }', {
          i: { priority: 'URGENT', ...i },
        })
      ).runAnalysis.id,
    );
  }
  await waitFor(stack, ids);
  return Promise.all(ids.map(async (id) => (await graphql(stack.url, stack.token, RESULT, { id })).analysisJob));
}

async function waitFor(stack: BenchStack, ids: string[]): Promise<void> {
  for (;;) {
    const open = await stack.runtime.prisma.analysisJob.count({ where: { id: { in: ids }, status: { in: ['QUEUED', 'RUNNING'] } } });
    if (open === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const anomaliesOf = (job: any) => (job.insights.find((i: any) => i.kind === 'ANOMALY')?.anomalies ?? []) as any[];

async function setProduction(stack: BenchStack, model: string, version: number) {
  await graphql(
    stack.url,
    stack.token,
    'mutation($m: String!, $v: Int!) { setModelAlias(modelName: $m, alias: "production", version: $v) { name } }',
    {
      m: model,
      v: version,
    },
  );
}

// ───────────────────────── 1, 2: anomalies ─────────────────────────

interface SpikeScore {
  tp: number;
  fp: number;
  fn: number;
  /** False positives counting the unmodified series' own flags too. */
  fpRaw: number;
  normalFlags: number;
  normalPoints: number;
  cleanFlags: number;
  points: number;
}

/** An injected amount as the series writes its values: whole numbers in a series of counts (counts stay counts). */
const whole = (s: Series, amount: number) => (s.values.every(Number.isInteger) ? Math.round(amount) : amount);

/**
 * The amount turned the other way where it would take a value out of the series' domain: a price
 * (every value positive) stays positive, a count (none negative) stays a count. A negative price
 * or count is bad data, which any check flags; it would also take the log scale away from a
 * series that has one.
 */
function plausible(s: Series, amount: number, changed: number[]): number {
  const positive = s.values.every((v) => v > 0);
  const nonNegative = s.values.every((v) => v >= 0);
  const outside = (v: number) => (positive ? v <= 0 : nonNegative && v < 0);
  return changed.some((v) => outside(v + amount)) ? -amount : amount;
}

function randomPositions(u: () => number, n: number, count: number, gap: number, margin: number): number[] {
  const out: number[] = [];
  while (out.length < count) {
    const p = margin + Math.floor(u() * (n - 2 * margin));
    if (out.every((q) => Math.abs(q - p) > gap)) out.push(p);
  }
  return out.sort((a, b) => a - b);
}

async function spikes(stack: BenchStack, s: Series, seed: number): Promise<SpikeScore> {
  const n = s.values.length;
  const sigma = noiseOf(s.values, s.season);
  const header = ['t', 'v'];
  const [clean] = await analyse(stack, [
    {
      datasetId: await dataset(
        stack,
        header,
        s.timestamps.map((t, i) => [t, s.values[i]]),
      ),
      column: 'v',
      timeColumn: 't',
      kinds: ['ANOMALY'],
    },
  ]);
  const cleanFlags = new Set(anomaliesOf(clean).map((a) => a.index));
  const score: SpikeScore = { tp: 0, fp: 0, fn: 0, fpRaw: 0, normalFlags: 0, normalPoints: 0, cleanFlags: cleanFlags.size, points: n };
  const trials = [];
  const injected: number[][] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const u = rng(seed * 100 + trial);
    const at = randomPositions(u, n, Math.max(3, Math.round(n / 60)), 12, 13);
    const x = s.values.slice();
    for (const p of at) x[p]! += plausible(s, whole(s, (u() < 0.5 ? -1 : 1) * (5 + 3 * u()) * sigma), [x[p]!]);
    injected.push(at);
    trials.push({
      datasetId: await dataset(
        stack,
        header,
        s.timestamps.map((t, i) => [t, x[i]]),
      ),
      column: 'v',
      timeColumn: 't',
      kinds: ['ANOMALY'],
    });
  }
  (await analyse(stack, trials)).forEach((job, k) => {
    const at = new Set(injected[k]);
    const flagged = anomaliesOf(job);
    const spiked = new Set(flagged.filter((a) => a.type === 'SPIKE').map((a) => a.index));
    for (const p of at) {
      if (spiked.has(p)) score.tp++;
      else score.fn++;
    }
    for (const a of flagged) {
      if (at.has(a.index)) continue;
      score.fpRaw++;
      score.normalFlags++;
      if (!cleanFlags.has(a.index)) score.fp++;
    }
    score.normalPoints += n - at.size;
  });
  return score;
}

async function levelShifts(stack: BenchStack, s: Series, seed: number) {
  const n = s.values.length;
  const sigma = noiseOf(s.values, s.season);
  const inputs = [];
  const at: number[] = [];
  for (let trial = 0; trial < TRIALS + 2; trial++) {
    const u = rng(seed * 1000 + trial);
    const p = Math.floor(n / 5 + u() * ((3 * n) / 5));
    const size = plausible(s, whole(s, (u() < 0.5 ? -1 : 1) * (5 + 3 * u()) * sigma), s.values.slice(p));
    at.push(p);
    inputs.push({
      datasetId: await dataset(
        stack,
        ['t', 'v'],
        s.timestamps.map((t, i) => [t, s.values[i]! + (i >= p ? size : 0)]),
      ),
      column: 'v',
      timeColumn: 't',
      kinds: ['ANOMALY'],
    });
  }
  const errors: number[] = [];
  (await analyse(stack, inputs)).forEach((job, k) => {
    const near = anomaliesOf(job)
      .filter((a) => a.type === 'LEVEL_SHIFT')
      .map((a) => Math.abs(a.index - at[k]!))
      .sort((a, b) => a - b)[0];
    if (near !== undefined && near <= 12) errors.push(near);
  });
  return {
    located: errors.length,
    injected: at.length,
    within2: errors.filter((e) => e <= 2).length,
    meanError: errors.reduce((a, b) => a + b, 0) / Math.max(1, errors.length),
  };
}

// ───────────────────────── 3: drivers ─────────────────────────

async function drivers(stack: BenchStack, set: Segmented, seed: number) {
  const times = [...new Set(set.rows.map((r) => r[0]))].sort();
  const total = times.map((t) => set.rows.filter((r) => r[0] === t).reduce((a, r) => a + r[2], 0));
  const sigma = noiseOf(total, set.season);
  // The ten largest values (past ANALYSIS_MAX_DIMENSION_VALUES, the rest are read together as (other)).
  const totals = new Map<string, number>();
  for (const [, c, v] of set.rows) totals.set(c, (totals.get(c) ?? 0) + Math.abs(v));
  const categories = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || a.localeCompare(b)).slice(0, 10);
  const inputs = [];
  const truth: Array<{ t: number; category: string }> = [];
  for (let trial = 0; trial < 3 * TRIALS + 1; trial++) {
    const u = rng(seed * 7 + trial);
    const t = 13 + Math.floor(u() * (times.length - 26));
    const category = categories[Math.floor(u() * categories.length)]!;
    // Whole numbers in a column of whole numbers (counts stay counts), cents otherwise.
    const whole = set.rows.every((r) => Number.isInteger(r[2]));
    const raw = (u() < 0.5 ? -1 : 1) * (6 + 4 * u()) * sigma;
    const delta = whole ? Math.round(raw) : Math.round(raw * 100) / 100;
    truth.push({ t, category });
    // One more row for that value at that time: a surge (or, negative, a correction) of its own.
    const rows: unknown[][] = [...set.rows, [times[t], category, delta]];
    inputs.push({
      datasetId: await dataset(stack, [...set.columns], rows),
      column: set.columns[2],
      timeColumn: set.columns[0],
      kinds: ['ANOMALY'],
      dimensions: [set.columns[1]],
    });
  }
  let detected = 0;
  let correct = 0;
  (await analyse(stack, inputs)).forEach((job, k) => {
    const flag = anomaliesOf(job).find((a) => a.index === truth[k]!.t);
    if (!flag) return;
    detected++;
    if (flag.drivers[0]?.value === truth[k]!.category) correct++;
  });
  return { injected: truth.length, detected, correct };
}

// ───────────────────────── 4: forecasts ─────────────────────────

function mase(forecast: number[], future: number[], history: number[], m: number): number {
  let scale = 0;
  for (let t = m; t < history.length; t++) scale += Math.abs(history[t]! - history[t - m]!);
  scale /= history.length - m;
  return future.reduce((a, y, h) => a + Math.abs(y - forecast[h]!), 0) / future.length / (scale || 1);
}

type ForecastScore = Awaited<ReturnType<typeof backtest>>;

async function backtest(stack: BenchStack, s: Series, horizon: number, origins: number) {
  const n = s.values.length;
  const step = Math.max(1, Math.floor(horizon / 2));
  const cuts = Array.from({ length: origins }, (_, k) => n - horizon - k * step);
  const inputs = [];
  for (const cut of cuts) {
    inputs.push({
      datasetId: await dataset(
        stack,
        ['t', 'v'],
        s.timestamps.slice(0, cut).map((t, i) => [t, s.values[i]]),
      ),
      column: 'v',
      timeColumn: 't',
      kinds: ['FORECAST'],
      horizon,
    });
  }
  let model = 0;
  let naive = 0;
  let inside = 0;
  let points = 0;
  let answered = 0;
  (await analyse(stack, inputs)).forEach((job, k) => {
    const cut = cuts[k]!;
    const history = s.values.slice(0, cut);
    const future = s.values.slice(cut, cut + horizon);
    const forecast = job.insights.find((i: any) => i.kind === 'FORECAST').forecast as Array<{
      value: number;
      lower: number;
      upper: number;
    }>;
    // A model may decline a history too short for it (version 1 needs 48 points).
    if (forecast.length < horizon) return;
    answered++;
    const m = s.season;
    model += mase(
      forecast.map((p) => p.value),
      future,
      history,
      m,
    );
    naive += mase(
      future.map((_, h) => history[cut - m + (h % m)]!),
      future,
      history,
      m,
    );
    forecast.forEach((p, h) => {
      points++;
      if (future[h]! >= p.lower && future[h]! <= p.upper) inside++;
    });
  });
  return { mase: model / answered, naive: naive / answered, coverage: inside / points, origins: answered, horizon };
}

// ───────────────────────── 5: charts ─────────────────────────

async function chartAgreement(stack: BenchStack, sets: Array<{ id: string; time: string; categories: string[]; numeric: string[] }>) {
  let agree = 0;
  let total = 0;
  const byType = new Map<string, number>();
  for (const d of sets) {
    const measures = (column: string) => [
      [{ column, agg: 'SUM' }],
      [{ column, agg: 'AVG' }],
      [{ column: '*', agg: 'COUNT' }],
      [
        { column, agg: 'SUM' },
        { column, agg: 'MAX' },
      ],
      [],
    ];
    const dimensionSets = [[], ...d.categories.map((c) => [c]), d.categories.slice(0, 2), ...d.numeric.map((c) => [c])].filter(
      (x, i, all) => all.findIndex((y) => JSON.stringify(y) === JSON.stringify(x)) === i,
    );
    for (const dimensions of dimensionSets)
      for (const bucket of [null, 'MONTH', 'YEAR'])
        for (const m of measures(d.numeric.at(-1)!)) {
          if (!dimensions.length && !bucket && !m.length) continue;
          const input = { datasetId: d.id, dimensions, measures: m, ...(bucket ? { timeBucket: { column: d.time, unit: bucket } } : {}) };
          const { suggestChart } = await graphql(
            stack.url,
            stack.token,
            'query($i: DatasetQueryInput!) { suggestChart(input: $i) { type features } }',
            { i: input },
          );
          total++;
          if (suggestChart.type === chartRuleV2(suggestChart.features)) agree++;
          byType.set(suggestChart.type, (byType.get(suggestChart.type) ?? 0) + 1);
        }
  }
  return { agree, total, byType: Object.fromEntries(byType) };
}

// ───────────────────────── 6: throughput ─────────────────────────

async function throughput(stack: BenchStack, datasetId: string, concurrency: number) {
  const engine = new InferenceEngine({ ...stack.runtime.config.onnx, device: 'cpu' });
  const worker = createAnalysisWorker(stack.runtime, { concurrency, engine });
  const ids: string[] = [];
  for (let i = 0; i < 100; i++) {
    ids.push(
      (
        await graphql(stack.url, stack.token, 'mutation($i: RunAnalysisInput!) { runAnalysis(input: $i) { id } }', {
          i: { datasetId, column: 'v', timeColumn: 't', kinds: ['ANOMALY', 'FORECAST'] },
        })
      ).runAnalysis.id,
    );
  }
  const t0 = performance.now();
  worker.start();
  await waitFor(stack, ids);
  const seconds = (performance.now() - t0) / 1000;
  const stats = engine.totalBatchStats();
  await worker.stop();
  await engine.close();
  const failed = await stack.runtime.prisma.analysisJob.count({ where: { id: { in: ids }, status: { not: 'SUCCEEDED' } } });
  return {
    perSecond: 100 / seconds,
    seconds,
    failed,
    requests: stats.requests,
    batches: stats.batches,
    rowsPerBatch: stats.rows / Math.max(1, stats.batches),
  };
}

// ───────────────────────── run ─────────────────────────

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const f2 = (x: number) => x.toFixed(2);
const f1Of = (tp: number, fp: number, fn: number) => {
  const p = tp / Math.max(1, tp + fp);
  const r = tp / Math.max(1, tp + fn);
  return { p, r, f1: (2 * p * r) / Math.max(1e-12, p + r) };
};

const db = await scratchDatabase('rg_bench_insights');
const stack = await startStack(db.url, {
  REDIS_KEY_PREFIX: `rg:bench:insights:${process.pid}:`,
  ANALYSIS_MAX_ACTIVE_PER_USER: '10000',
  RATE_LIMIT_OPERATIONS_PER_MINUTE: '0',
  REQUEST_MAX_BYTES: String(64 * 1024 ** 2),
});
const admin = await stack.runtime.prisma.user.findFirstOrThrow({ where: { role: 'ADMIN' } });
await seedModels(stack.runtime, { id: admin.id, name: admin.username, role: admin.role, kind: 'user' });
const engine = new InferenceEngine({ ...stack.runtime.config.onnx, device: 'cpu' });
const worker = createAnalysisWorker(stack.runtime, { concurrency: 8, engine });
worker.start();
try {
  const holdout = process.env.BENCH_SERIES === 'holdout';
  const series = holdout ? holdoutSeries() : publicSeries();
  console.log(`Insights on public data (vega-datasets), through the gateway and the analysis worker; ${TRIALS} trials per series.\n`);

  if (want('spikes')) {
    console.log(
      '1. Spikes (5–8 σ, one per ~60 points, zero tolerance) — anomaly-robust-z version 2 (seasonal) against version 1 (raw windows)\n',
    );
    console.log(
      "| series | points | σ | clean-series flags | precision | recall | F1 | F1 counting the data's own flags | flags on normal points | v1 F1 |",
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    const v2: Record<string, SpikeScore> = {};
    for (const [k, s] of series.entries()) v2[s.name] = await spikes(stack, s, k + 1);
    await setProduction(stack, 'anomaly-robust-z', 1);
    const v1: Record<string, SpikeScore> = {};
    for (const [k, s] of series.entries()) v1[s.name] = await spikes(stack, s, k + 1);
    await setProduction(stack, 'anomaly-robust-z', 2);
    for (const s of series) {
      const a = v2[s.name]!;
      const { p, r, f1 } = f1Of(a.tp, a.fp, a.fn);
      const raw = f1Of(a.tp, a.fpRaw, a.fn).f1;
      const old = f1Of(v1[s.name]!.tp, v1[s.name]!.fpRaw, v1[s.name]!.fn).f1;
      console.log(
        `| ${s.name} | ${a.points} | ${noiseOf(s.values, s.season).toPrecision(3)} | ${a.cleanFlags} (${pct(a.cleanFlags / a.points)}) | ${f2(p)} | ${f2(r)} | **${f2(f1)}** | ${f2(raw)} | ${pct(a.normalFlags / a.normalPoints)} | ${f2(old)} |`,
      );
    }
  }
  if (want('shifts')) {
    console.log('\n2. Level shifts (5–8 σ, one per series, away from the ends)\n');
    console.log('| series | located (±12) | within ±2 points | mean location error |');
    console.log('|---|---|---|---|');
    for (const [k, s] of series.entries()) {
      const r = await levelShifts(stack, s, k + 1);
      console.log(`| ${s.name} | ${r.located}/${r.injected} | ${r.within2}/${r.located} | ${f2(r.meanError)} |`);
    }
  }
  if (want('drivers')) {
    console.log(
      '\n3. Drivers: a one-point surge or dip (6–10 σ of the total) in one of the ten largest values of the categorical column\n',
    );
    console.log('| dataset | injected | found | top driver correct |');
    console.log('|---|---|---|---|');
    for (const [k, set] of (holdout ? holdoutSegmentedSets() : segmentedSets()).entries()) {
      const r = await drivers(stack, set, k + 1);
      console.log(
        `| ${set.name} | ${r.injected} | ${r.detected} | ${r.correct}/${r.detected} (${pct(r.correct / Math.max(1, r.detected))}) |`,
      );
    }
  }
  if (want('forecasts')) {
    console.log('\n4. Forecasts by backtest (6 origins): MASE against the in-sample seasonal-naive error; 95% interval coverage\n');
    console.log(
      '| series | horizon | v3 MASE | seasonal naive MASE | v3 coverage | v2 MASE | v2 coverage | v1 MASE (origins) | v1 coverage |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    const plan: Array<[Series, number]> = holdout
      ? [
          [series[0]!, 24],
          [series[2]!, 24],
          [series[3]!, 24],
          [series[4]!, 12],
          [series[5]!, 12],
          [series[6]!, 12],
          [series[7]!, 12],
          [series[8]!, 20],
          [series[9]!, 10],
        ]
      : [
          [series[0]!, 24],
          [series[3]!, 24],
          [series[1]!, 60],
          [series[2]!, 60],
          [series[5]!, 60],
          [series[4]!, 12],
          [series[6]!, 48],
          [series[7]!, 48],
        ];
    const byVersion = new Map<number, Array<Awaited<ReturnType<typeof backtest>>>>();
    for (const version of [3, 2, 1]) {
      await setProduction(stack, 'forecast-holt-winters', version);
      const runs: Array<Awaited<ReturnType<typeof backtest>>> = [];
      for (const [s, h] of plan) runs.push(await backtest(stack, s, h, 6));
      byVersion.set(version, runs);
    }
    await setProduction(stack, 'forecast-holt-winters', 3);
    plan.forEach(([s, h], k) => {
      const [a, b, c] = [3, 2, 1].map((v) => byVersion.get(v)![k]!) as [ForecastScore, ForecastScore, ForecastScore];
      console.log(
        `| ${s.name} | ${h} | **${f2(a.mase)}** | ${f2(a.naive)} | ${pct(a.coverage)} | ${f2(b.mase)} | ${pct(b.coverage)} | ${f2(c.mase)} (${c.origins}/6) | ${pct(c.coverage)} |`,
      );
    });
  }
  if (want('charts')) {
    console.log('\n5. Chart suggestions (suggestChart) against the rule table, on query shapes over the loaded datasets\n');
    const sales = await dataset(stack, ['month', 'industry', 'unemployed'], segmentedSets()[0]!.rows);
    const stocks = await dataset(
      stack,
      ['month', 'symbol', 'price'],
      vegaCsv('stocks.csv').map((r) => [isoDate(r.date!), r.symbol!, Number(r.price)]),
    );
    const weather = vegaCsv('seattle-weather.csv');
    const seattle = await dataset(
      stack,
      ['date', 'weather', 'precipitation', 'temp_max'],
      weather.map((r) => [r.date, r.weather, Number(r.precipitation), Number(r.temp_max)]),
    );
    const charts = await chartAgreement(stack, [
      { id: sales, time: 'month', categories: ['industry'], numeric: ['unemployed'] },
      { id: stocks, time: 'month', categories: ['symbol'], numeric: ['price'] },
      { id: seattle, time: 'date', categories: ['weather'], numeric: ['precipitation', 'temp_max'] },
    ]);
    const heldOut = readArtifacts().find((a) => a.name === 'chart-recommender' && a.version === 2)!.metrics as { heldOutAgreement: number };
    console.log('| shapes | agreement | types suggested | held-out synthetic shapes (build) |');
    console.log('|---|---|---|---|');
    console.log(
      `| ${charts.total} | **${pct(charts.agree / charts.total)}** | ${Object.entries(charts.byType)
        .map(([t, c]) => `${t} ${c}`)
        .join(', ')} | ${pct(heldOut.heldOutAgreement)} |`,
    );
  }
  if (want('throughput')) {
    console.log('\n6. Worker throughput: 100 queued analyses (ANOMALY + FORECAST, 240 months of CO2), same machine, same run\n');
    await worker.stop();
    const co2 = series[0]!;
    const throughputSet = await dataset(
      stack,
      ['t', 'v'],
      co2.timestamps.slice(-240).map((t, i) => [t, co2.values[co2.values.length - 240 + i]]),
    );
    const one = await throughput(stack, throughputSet, 1);
    const many = await throughput(stack, throughputSet, 16);
    console.log('| worker | analyses/s | engine requests | batches | rows per batch | failed |');
    console.log('|---|---|---|---|---|---|');
    console.log(
      `| one at a time (concurrency 1) | ${f2(one.perSecond)} | ${one.requests} | ${one.batches} | ${one.rowsPerBatch.toFixed(0)} | ${one.failed} |`,
    );
    console.log(
      `| batched (concurrency 16, shared batches) | ${f2(many.perSecond)} | ${many.requests} | ${many.batches} | ${many.rowsPerBatch.toFixed(0)} | ${many.failed} |`,
    );
    console.log(`\nbatched / one at a time: ${(many.perSecond / one.perSecond).toFixed(2)}x`);
  }
} finally {
  await worker.stop();
  await engine.close();
  await stack.stop();
  await db.drop();
}
