// The analyses: each kind turns a time-ordered series into an insight — anomalies and the
// forecast by the registry's ONNX models (the version the traffic split picks for the dataset),
// the trend by least squares, the chart by the chart model, the narrative from the findings.
import type { Series } from '../../../lib/datasets/reader.js';
import type { AnalysisKind } from '../../../lib/prisma.js';
import { CHART_FEATURES, CHART_TYPES, chartFeatures } from '../../../models/features/chart.js';
import type { ModelHandle } from '../../../models/runtime/engine.js';
import { trailingWindows } from '../../../models/features/series.js';
import {
  anomalySentence,
  chartSentence,
  forecastSentence,
  trendSentence,
  type AnomalyFinding,
  type Language,
  type TrendFinding,
} from './narrative.js';

export interface LoadedModel {
  handle: ModelHandle;
  versionId: string;
  metrics: Record<string, unknown> | null;
}

export interface AnalysisTools {
  /** The model version to use for `name` (chosen by the registry's split for this job's dataset). */
  model(name: string): Promise<LoadedModel>;
  /** Runs rows of one input through a model; records the outcome for the registry's health checks. */
  run(model: LoadedModel, input: string, rows: Float32Array, width: number): Promise<Record<string, Float32Array>>;
}

export interface InsightDraft {
  kind: AnalysisKind;
  summary: string;
  anomalies: AnomalyFinding[];
  forecast: Array<{ timestamp: string | null; value: number; lower: number; upper: number }>;
  chart: { type: string; probability: number; spec: Record<string, unknown> } | null;
  details: Record<string, unknown>;
  modelVersionId: string | null;
}

export const MODELS = { ANOMALY: 'anomaly-robust-z', FORECAST: 'forecast-holt-winters', CHART: 'chart-recommender' } as const;

const widthOf = (m: LoadedModel) => Number(m.handle.inputs[0]!.shape[1]);
const draft = (kind: AnalysisKind, summary: string, rest: Partial<InsightDraft> = {}): InsightDraft => ({
  kind,
  summary,
  anomalies: [],
  forecast: [],
  chart: null,
  details: {},
  modelVersionId: null,
  ...rest,
});

/**
 * The least-squares line through the series. An empty series has no trend (a `TrendFinding`
 * always names a latest value): it throws rather than answering NaN.
 */
export function trend(column: string, s: Series): TrendFinding {
  const n = s.values.length;
  if (n === 0) throw new Error(`trend: the series of ${column} is empty`);
  const meanX = (n - 1) / 2;
  const meanY = s.values.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  s.values.forEach((y, x) => {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  });
  const slope = sxx ? sxy / sxx : 0;
  const start = meanY - slope * meanX;
  const end = start + slope * (n - 1);
  return {
    column,
    points: n,
    slope,
    change: start !== 0 ? (end - start) / Math.abs(start) : 0,
    latest: s.values[n - 1]!,
    first: s.timestamps?.[0] ?? null,
    last: s.timestamps?.[n - 1] ?? null,
  };
}

export async function anomalies(column: string, s: Series, tools: AnalysisTools, language: Language): Promise<InsightDraft> {
  const model = await tools.model(MODELS.ANOMALY);
  const width = widthOf(model);
  if (s.values.length < width)
    return draft(
      'ANOMALY',
      language === 'ZH'
        ? `数据点少于 ${width} 个，无法检测异常。`
        : `Anomaly detection needs at least ${width} points; ${column} has ${s.values.length}.`,
      { modelVersionId: model.versionId },
    );
  const threshold = typeof model.metrics?.threshold === 'number' ? model.metrics.threshold : 3.5;
  const { score } = await tools.run(model, 'window', trailingWindows(s.values, width), width);
  const found: AnomalyFinding[] = [];
  score!.forEach((v, r) => {
    if (v > threshold) {
      const index = r + width - 1;
      found.push({ index, timestamp: s.timestamps?.[index] ?? null, value: s.values[index]!, score: v });
    }
  });
  return draft('ANOMALY', anomalySentence(column, found, language), {
    anomalies: found,
    modelVersionId: model.versionId,
    details: { threshold, window: width },
  });
}

/**
 * The next timestamps after the series' last, stepping as the series does: by the median step,
 * except that a monthly, quarterly or yearly series steps by calendar months. Month steps keep the
 * series' day of the month, capped at the target month's last day (31 Jan → 29 Feb → 31 Mar), and
 * a series on month ends stays on month ends (30 Nov, 31 Dec, 31 Jan → 29 Feb, 31 Mar, 30 Apr).
 *
 * Calendar steps are taken in the series' own local calendar: the offset its last timestamp is
 * written in (`Z`, and timestamps without an offset, count as UTC). Dates (`YYYY-MM-DD`) answer
 * dates; timestamps always answer ISO timestamps in UTC (`toISOString()`), so after
 * `2024-01-01T00:00:00+08:00, 2024-02-01T00:00:00+08:00` comes 1 March 00:00 at +08:00, written
 * `2024-02-29T16:00:00.000Z`. Nulls when fewer than two timestamps are known or one is unreadable.
 */
export function futureTimestamps(timestamps: string[] | null, count: number): Array<string | null> {
  if (!timestamps || timestamps.length < 2) return new Array(count).fill(null);
  const DAY = 86_400_000;
  /** ms since the epoch of a UTC calendar time (Date.UTC reads years 0–99 as 1900–1999). */
  const utc = (year: number, month: number, day: number, ms = 0) => {
    const d = new Date(0);
    d.setUTCFullYear(year, month, day);
    return d.getTime() + ms;
  };
  const daysInMonth = (year: number, month: number) => new Date(utc(year, month + 1, 0)).getUTCDate();
  // A date or ISO timestamp, split into the instant and the offset it is written in (in ms).
  const STAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
  const parse = (text: string): { ms: number; offset: number; dateOnly: boolean } | null => {
    const m = STAMP.exec(text.trim());
    if (!m) {
      const ms = Date.parse(text);
      return Number.isNaN(ms) ? null : { ms, offset: 0, dateOnly: false };
    }
    const [, y, mo, d, h, mi, s, frac, tz] = m;
    let offset = 0;
    if (tz && tz.toUpperCase() !== 'Z') {
      const digits = tz.slice(1).replace(':', '');
      offset = (tz[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
    }
    const clock = ((Number(h ?? 0) * 60 + Number(mi ?? 0)) * 60 + Number(s ?? 0)) * 1000 + (frac ? Math.floor(Number(frac) * 1000) : 0);
    const local = utc(Number(y), Number(mo) - 1, Number(d), clock);
    return Number.isNaN(local) ? null : { ms: local - offset, offset, dateOnly: h === undefined };
  };

  const stamps = timestamps.map(parse);
  if (stamps.some((s) => s === null)) return new Array(count).fill(null);
  const parsed = stamps as Array<NonNullable<(typeof stamps)[number]>>;
  const times = parsed.map((s) => s.ms);
  const steps = times
    .slice(1)
    .map((t, i) => t - times[i]!)
    .sort((a, b) => a - b);
  const step = steps[steps.length >> 1]!;
  const last = parsed.at(-1)!;
  const format = (ms: number) => (last.dateOnly ? new Date(ms).toISOString().slice(0, 10) : new Date(ms).toISOString());
  const months =
    step >= 27 * DAY && step <= 32 * DAY ? 1 : step >= 88 * DAY && step <= 93 * DAY ? 3 : step >= 364 * DAY && step <= 367 * DAY ? 12 : 0;
  if (!months) return Array.from({ length: count }, (_, i) => format(last.ms + step * (i + 1)));

  // Each timestamp's wall clock in its own offset (read with the getUTC* methods).
  const locals = parsed.map((s) => new Date(s.ms + s.offset));
  const isMonthEnd = (d: Date) => d.getUTCDate() === daysInMonth(d.getUTCFullYear(), d.getUTCMonth());
  const end = locals.at(-1)!;
  // The day of the month to keep: a series on month ends keeps to month ends (31, capped to each
  // month's last day); a last timestamp capped at its month's end (29 Feb in a series on the 30th)
  // takes the series' day back.
  const anchor = locals.every(isMonthEnd)
    ? 31
    : isMonthEnd(end)
      ? locals.reduce((max, d) => Math.max(max, d.getUTCDate()), 0)
      : end.getUTCDate();
  const timeOfDay = end.getTime() - utc(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate());
  const baseMonth = end.getUTCFullYear() * 12 + end.getUTCMonth();
  return Array.from({ length: count }, (_, i) => {
    const index = baseMonth + months * (i + 1);
    const year = Math.floor(index / 12);
    const month = index - year * 12;
    return format(utc(year, month, Math.min(anchor, daysInMonth(year, month)), timeOfDay) - last.offset);
  });
}

export async function forecast(
  column: string,
  s: Series,
  horizon: number,
  tools: AnalysisTools,
  language: Language,
): Promise<InsightDraft> {
  const model = await tools.model(MODELS.FORECAST);
  const history = widthOf(model);
  if (s.values.length < history)
    return draft(
      'FORECAST',
      language === 'ZH'
        ? `预测需要至少 ${history} 个数据点；${column} 只有 ${s.values.length} 个。`
        : `Forecasting needs at least ${history} points; ${column} has ${s.values.length}.`,
      { modelVersionId: model.versionId },
    );
  // The model forecasts a fixed number of steps; longer horizons feed its forecast back in.
  const values = Array.from(s.values);
  const points: Array<{ value: number; lower: number; upper: number }> = [];
  while (points.length < horizon) {
    const out = await tools.run(model, 'history', Float32Array.from(values.slice(-history)), history);
    const steps = out.forecast!.length;
    for (let h = 0; h < steps && points.length < horizon; h++)
      points.push({ value: out.forecast![h]!, lower: out.lower![h]!, upper: out.upper![h]! });
    values.push(...Array.from(out.forecast!));
  }
  const stamps = futureTimestamps(s.timestamps, horizon);
  const rows = points.map((p, i) => ({ timestamp: stamps[i] ?? null, ...p }));
  const summary = forecastSentence({ column, horizon, first: rows[0]!, last: rows.at(-1)! }, language);
  return draft('FORECAST', summary, { forecast: rows, modelVersionId: model.versionId, details: { history } });
}

export async function chart(
  column: string,
  timeColumn: string | null,
  s: Series,
  tools: AnalysisTools,
  language: Language,
): Promise<InsightDraft> {
  const model = await tools.model(MODELS.CHART);
  const features = chartFeatures({
    hasTime: !!timeColumn,
    monotonicTime: !!timeColumn,
    categories: 0,
    numericDimensions: timeColumn ? 0 : 1,
    measures: 1,
    cardinality: 0,
    partOfWhole: true,
    rows: s.values.length,
  });
  const { probabilities } = await tools.run(model, 'features', Float32Array.from(features), CHART_FEATURES);
  const p = Array.from(probabilities!);
  const best = p.indexOf(Math.max(...p));
  const type = CHART_TYPES[best]!;
  const spec = {
    mark: type === 'number' ? 'text' : type,
    encoding: timeColumn
      ? { x: { field: timeColumn, type: 'temporal' }, y: { field: column, type: 'quantitative', aggregate: 'sum' } }
      : { y: { field: column, type: 'quantitative' } },
    alternatives: CHART_TYPES.map((t, i) => ({ type: t, probability: p[i]! }))
      .sort((a, b) => b.probability - a.probability)
      .slice(1, 3),
  };
  return draft('CHART', chartSentence(column, type, p[best]!, language), {
    chart: { type, probability: p[best]!, spec },
    modelVersionId: model.versionId,
  });
}

export function trendInsight(column: string, s: Series, language: Language): InsightDraft {
  const f = trend(column, s);
  return draft('TREND', trendSentence(f, language), { details: { ...f } });
}

/** A paragraph from the findings of this job (the trend, and anomalies and forecast when found). */
export function narrative(column: string, s: Series, found: InsightDraft[], language: Language): InsightDraft {
  const parts = [trendSentence(trend(column, s), language)];
  for (const kind of ['ANOMALY', 'FORECAST'] as const) {
    const insight = found.find((i) => i.kind === kind);
    if (insight) parts.push(insight.summary);
  }
  return draft('NARRATIVE', parts.join(language === 'ZH' ? '' : ' '));
}
