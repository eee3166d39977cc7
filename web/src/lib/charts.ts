// ECharts options from data the gateway answered: a query result drawn as the chart type asked
// for, and an analysed series with its anomalies marked and its forecast band. Pure functions, so
// the pictures are tested without a browser; the chart component only hands them to ECharts.
import type { EChartsOption, SeriesOption } from 'echarts';

export const CHART_KINDS = ['line', 'bar', 'pie', 'scatter', 'heatmap', 'number', 'table'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export interface TabularResult {
  columns: ReadonlyArray<{ name: string; type: string }>;
  rows: ReadonlyArray<ReadonlyArray<unknown>>;
}

/** How many leading columns are keys (dimensions and the time bucket); the rest are measures. */
export interface ResultShape {
  keys: number;
  /** Index of the time bucket among the columns, if the query had one. */
  time: number | null;
}

const MAX_SERIES = 20;
const TEMPORAL = new Set(['DATE', 'TIMESTAMP']);

/**
 * The type a result is drawn as until someone picks another: a number for one value, a line over
 * time, a scatter of two measures without keys, a heatmap over two categories, else bars.
 */
export function defaultChartKind(result: TabularResult, shape: ResultShape): ChartKind {
  const measures = result.columns.length - shape.keys;
  if (shape.keys === 0 && result.rows.length === 1 && measures === 1) return 'number';
  if (shape.time !== null || (shape.keys > 0 && TEMPORAL.has(result.columns[0]!.type))) return 'line';
  if (shape.keys === 0 && measures >= 2) return 'scatter';
  if (shape.keys === 2 && measures >= 1) return 'heatmap';
  return 'bar';
}

const label = (v: unknown) => (v === null || v === undefined ? '∅' : String(v));
const num = (v: unknown) => (typeof v === 'number' ? v : v === null || v === undefined ? null : Number(v));

function byCategory(result: TabularResult, shape: ResultShape, kind: 'line' | 'bar'): EChartsOption {
  const x = shape.time ?? 0;
  const group = shape.keys >= 2 ? (x === 0 ? 1 : 0) : null;
  const measures = result.columns.slice(shape.keys).map((c, i) => ({ name: c.name, index: shape.keys + i }));
  const categories = [...new Set(result.rows.map((r) => label(r[x])))];
  const position = new Map(categories.map((c, i) => [c, i]));
  const series: SeriesOption[] = [];
  const groups = group === null ? [null] : [...new Set(result.rows.map((r) => label(r[group])))].slice(0, MAX_SERIES);
  for (const g of groups) {
    for (const m of measures) {
      const data: Array<number | null> = new Array(categories.length).fill(null);
      for (const r of result.rows) if (g === null || label(r[group!]) === g) data[position.get(label(r[x]))!] = num(r[m.index]);
      const name = g === null ? m.name : measures.length > 1 ? `${g} · ${m.name}` : g;
      series.push({ type: kind, name, data, ...(kind === 'line' ? { showSymbol: categories.length <= 60 } : {}) });
      if (series.length >= MAX_SERIES) break;
    }
  }
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 56, right: 24, top: 40, bottom: 48 },
    xAxis: { type: 'category', data: categories, name: result.columns[x]?.name, nameLocation: 'middle', nameGap: 30 },
    yAxis: { type: 'value' },
    series,
  };
}

/** The option for `kind`, or null for kinds drawn without a chart (`table`, `number`). */
export function chartOption(kind: ChartKind, result: TabularResult, shape: ResultShape): EChartsOption | null {
  const measure = shape.keys < result.columns.length ? shape.keys : null;
  switch (kind) {
    case 'line':
    case 'bar':
      return measure === null ? null : byCategory(result, shape, kind);
    case 'pie':
      if (measure === null) return null;
      return {
        tooltip: { trigger: 'item' },
        legend: { type: 'scroll', top: 0 },
        series: [
          {
            type: 'pie',
            radius: ['35%', '65%'],
            top: 24,
            data: result.rows.slice(0, 50).map((r) => ({ name: label(r[0]), value: num(r[measure]) ?? 0 })),
          },
        ],
      };
    case 'scatter': {
      const [xi, yi] = result.columns.length - shape.keys >= 2 ? [shape.keys, shape.keys + 1] : [0, measure];
      if (yi === null || yi === undefined) return null;
      return {
        tooltip: { trigger: 'item' },
        grid: { left: 56, right: 24, top: 24, bottom: 48 },
        xAxis: { type: 'value', name: result.columns[xi]!.name, nameLocation: 'middle', nameGap: 30, scale: true },
        yAxis: { type: 'value', name: result.columns[yi]!.name, scale: true },
        series: [{ type: 'scatter', data: result.rows.map((r) => [num(r[xi]), num(r[yi])]) }],
      };
    }
    case 'heatmap': {
      if (shape.keys < 2 || measure === null) return null;
      const xs = [...new Set(result.rows.map((r) => label(r[0])))];
      const ys = [...new Set(result.rows.map((r) => label(r[1])))];
      const values = result.rows.map((r) => num(r[measure]) ?? 0);
      return {
        tooltip: { position: 'top' },
        grid: { left: 96, right: 24, top: 24, bottom: 80 },
        xAxis: { type: 'category', data: xs },
        yAxis: { type: 'category', data: ys },
        visualMap: {
          min: Math.min(...values),
          max: Math.max(...values),
          calculable: true,
          orient: 'horizontal',
          left: 'center',
          bottom: 0,
        },
        series: [{ type: 'heatmap', data: result.rows.map((r) => [xs.indexOf(label(r[0])), ys.indexOf(label(r[1])), num(r[measure])]) }],
      };
    }
    case 'number':
    case 'table':
      return null;
  }
}

/** A timestamp as short as it can be said: a midnight-UTC time is a date (`2025-03-02`). */
export const shortTime = (t: string) => t.replace(/T00:00:00(?:\.000)?Z$/, '');

export interface SeriesPoint {
  timestamp: string | null;
  value: number;
}
export interface AnomalyPoint {
  index: number;
  value: number;
  score: number;
}
export interface ForecastPoint {
  timestamp: string | null;
  value: number;
  lower: number;
  upper: number;
}

/**
 * An analysed series: the values as a line, each anomaly as a marked point at its position, and
 * the forecast as a line inside its interval band (drawn as the lower bound plus a stacked area
 * of upper − lower).
 */
export function analysisOption(
  series: ReadonlyArray<SeriesPoint>,
  anomalies: ReadonlyArray<AnomalyPoint>,
  forecast: ReadonlyArray<ForecastPoint>,
  names: { value: string; anomalies: string; forecast: string; interval: string },
  kind: 'line' | 'bar' = 'line',
): EChartsOption {
  const x = [
    ...series.map((p, i) => (p.timestamp ? shortTime(p.timestamp) : String(i))),
    ...forecast.map((p, i) => (p.timestamp ? shortTime(p.timestamp) : String(series.length + i))),
  ];
  const pad = (values: Array<number | null>, before: number) => [...new Array<null>(before).fill(null), ...values];
  const last = series.at(-1);
  // The forecast line starts at the last observed point so the two lines meet.
  const forecastLine = forecast.length && last ? pad([last.value, ...forecast.map((p) => p.value)], series.length - 1) : [];
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 64, right: 24, top: 40, bottom: 48 },
    xAxis: { type: 'category', data: x, boundaryGap: kind === 'bar' },
    yAxis: { type: 'value', scale: true },
    series: [
      { type: kind, name: names.value, data: series.map((p) => p.value), showSymbol: false },
      {
        type: 'scatter',
        name: names.anomalies,
        data: anomalies.map((a) => [a.index, a.value]),
        symbolSize: 14,
        itemStyle: { color: '#c0262d', borderColor: '#fff', borderWidth: 2 },
        z: 5,
      },
      ...(forecast.length
        ? ([
            { type: 'line', name: names.forecast, data: forecastLine, lineStyle: { type: 'dashed' }, showSymbol: false },
            {
              type: 'line',
              name: names.interval,
              data: pad(
                forecast.map((p) => p.lower),
                series.length,
              ),
              stack: 'band',
              lineStyle: { opacity: 0 },
              showSymbol: false,
              tooltip: { show: false },
            },
            {
              type: 'line',
              name: names.interval,
              data: pad(
                forecast.map((p) => p.upper - p.lower),
                series.length,
              ),
              stack: 'band',
              lineStyle: { opacity: 0 },
              areaStyle: { color: 'rgba(31, 78, 140, 0.18)' },
              showSymbol: false,
              tooltip: { show: false },
            },
          ] satisfies SeriesOption[])
        : []),
    ],
  };
}
