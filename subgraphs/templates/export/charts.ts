// A CHART section drawn as SVG on the server with ECharts (server-side rendering: no DOM, no
// browser), in the chart type its template names, so the printed report shows the chart the
// report page shows. Types ECharts cannot draw from a section's rows print as a table instead.
import type * as Echarts from 'echarts';
import { lazyRequire } from '../../../lib/lazyRequire.js';
import type { ColumnSpec } from '../../../lib/datasets/tables.js';
import { isNumeric } from '../../../lib/datasets/tables.js';

/** ECharts, loaded by the first chart drawn (lazyRequire.ts). */
const echarts = lazyRequire<typeof Echarts>('echarts');

/** The chart types drawn; anything else (`number`, `heatmap`, `table`) prints as a table. */
export const DRAWN_TYPES = ['line', 'area', 'bar', 'pie', 'scatter'] as const;
export type DrawnType = (typeof DRAWN_TYPES)[number];

/** Unquoted, so it survives inside the SVG's style attribute; CJK fonts for Chinese labels. */
export const CHART_FONTS = 'Noto Sans, Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif';

export interface ChartInput {
  /** The template's chart spec: `type`, and optionally the `x` and `y` columns. */
  chart: Record<string, unknown> | undefined;
  columns: ColumnSpec[];
  rows: unknown[][];
}

interface Series {
  name: string;
  values: Array<number | null>;
}

/** `y: "revenue"` names the measure `sum_revenue` too: measures are called `<agg>_<column>`. */
const matches = (column: ColumnSpec, name: unknown) => column.name === name || column.name.endsWith(`_${String(name)}`);

const toNumber = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));

/**
 * The category axis and the series to draw: `x` (or the first column) along the axis; `y` (or
 * every numeric column) as series; a second non-numeric column splits the first measure into one
 * series per value (revenue by month, one line per region).
 */
export function chartSeries({ chart, columns, rows }: ChartInput): { categories: string[]; series: Series[] } {
  const xIndex = Math.max(
    0,
    columns.findIndex((c) => matches(c, chart?.x)),
  );
  const rest = columns.map((c, i) => ({ c, i })).filter(({ i }) => i !== xIndex);
  const split = rest.find(({ c }) => !isNumeric(c.type));
  const named = rest.filter(({ c }) => isNumeric(c.type) && chart?.y !== undefined && matches(c, chart.y));
  const measures = named.length > 0 ? named : rest.filter(({ c }) => isNumeric(c.type));
  const label = (v: unknown) => (v === null || v === undefined ? '(none)' : String(v));
  const categories = [...new Set(rows.map((r) => label(r[xIndex])))];
  if (split && measures[0]) {
    const at = new Map(categories.map((c, i) => [c, i]));
    const bySplit = new Map<string, Array<number | null>>();
    for (const r of rows) {
      const key = label(r[split.i]);
      if (!bySplit.has(key)) bySplit.set(key, Array<number | null>(categories.length).fill(null));
      bySplit.get(key)![at.get(label(r[xIndex]))!] = toNumber(r[measures[0].i]);
    }
    return { categories, series: [...bySplit].map(([name, values]) => ({ name, values })) };
  }
  return { categories, series: measures.map(({ c, i }) => ({ name: c.name, values: rows.map((r) => toNumber(r[i])) })) };
}

function option(type: DrawnType, { categories, series }: ReturnType<typeof chartSeries>): Echarts.EChartsOption {
  const base = { animation: false, textStyle: { fontFamily: CHART_FONTS }, legend: { show: series.length > 1, bottom: 0 } };
  if (type === 'pie') {
    const first = series[0]?.values ?? [];
    return {
      ...base,
      legend: { show: false },
      series: [{ type: 'pie', radius: '65%', data: categories.map((name, i) => ({ name, value: first[i] ?? 0 })) }],
    };
  }
  const grid = { left: 70, right: 20, top: 20, bottom: series.length > 1 ? 50 : 30 };
  const yAxis = { type: 'value' as const };
  if (type === 'scatter') {
    const xs = categories.map(Number);
    return {
      ...base,
      grid,
      xAxis: { type: 'value', scale: true },
      yAxis,
      series: series.map((s) => ({ type: 'scatter', name: s.name, data: s.values.map((v, i) => [xs[i], v]) })),
    };
  }
  return {
    ...base,
    grid,
    xAxis: { type: 'category', data: categories },
    yAxis,
    series: series.map((s) => ({
      type: type === 'bar' ? 'bar' : 'line',
      name: s.name,
      data: s.values,
      showSymbol: categories.length <= 24,
      ...(type === 'area' ? { areaStyle: {} } : {}),
    })),
  } as Echarts.EChartsOption;
}

export const isDrawn = (type: unknown): type is DrawnType => DRAWN_TYPES.includes(type as DrawnType);

/** The chart as an SVG document, or null when its type is not drawn or it has nothing to draw. */
export function chartSvg(given: ChartInput, { width = 680, height = 300 } = {}): string | null {
  // A rendered CHART section carries the chart model's suggestion with the author's own chart as
  // `options`: a type the author chose is printed as chosen.
  const options = given.chart?.options as Record<string, unknown> | undefined;
  const input = options && isDrawn(options.type) ? { ...given, chart: { ...given.chart, ...options } } : given;
  const type = input.chart?.type;
  if (!isDrawn(type) || input.rows.length === 0) return null;
  const data = chartSeries(input);
  if (data.series.length === 0) return null;
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option(type, data));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
