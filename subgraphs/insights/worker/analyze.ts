// The analyses: each kind turns a time-ordered series into an insight — anomalies and the
// forecast by the registry's ONNX models (the version the traffic split picks for the dataset),
// the trend by least squares, the chart by the chart model, the narrative from the findings.
import { CHART_FEATURES, CHART_TYPES, chartFeatures } from '../../../models/features/chart.js';
import type { ModelHandle } from '../../../models/runtime/engine.js';
import { trailingWindows } from '../../../models/features/series.js';
import { anomalySentence, chartSentence, forecastSentence, trendSentence, type AnomalyFinding, type Language, type TrendFinding } from './narrative.js';

export type AnalysisKind = 'ANOMALY' | 'FORECAST' | 'TREND' | 'NARRATIVE' | 'CHART';

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

export interface Series {
  values: Float64Array;
  timestamps: string[] | null;
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
  kind, summary, anomalies: [], forecast: [], chart: null, details: {}, modelVersionId: null, ...rest,
});

export function trend(column: string, s: Series): TrendFinding {
  const n = s.values.length;
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
    column, points: n, slope,
    change: start !== 0 ? (end - start) / Math.abs(start) : 0,
    latest: s.values[n - 1]!,
    first: s.timestamps?.[0] ?? null,
    last: s.timestamps?.[n - 1] ?? null,
  };
}

export async function anomalies(column: string, s: Series, tools: AnalysisTools, language: Language): Promise<InsightDraft> {
  const model = await tools.model(MODELS.ANOMALY);
  const width = widthOf(model);
  if (s.values.length < width) return draft('ANOMALY', language === 'ZH' ? `数据点少于 ${width} 个，无法检测异常。` : `Anomaly detection needs at least ${width} points; ${column} has ${s.values.length}.`, { modelVersionId: model.versionId });
  const threshold = typeof model.metrics?.threshold === 'number' ? model.metrics.threshold : 3.5;
  const { score } = await tools.run(model, 'window', trailingWindows(s.values, width), width);
  const found: AnomalyFinding[] = [];
  score!.forEach((v, r) => {
    if (v > threshold) {
      const index = r + width - 1;
      found.push({ index, timestamp: s.timestamps?.[index] ?? null, value: s.values[index]!, score: v });
    }
  });
  return draft('ANOMALY', anomalySentence(column, found, language), { anomalies: found, modelVersionId: model.versionId, details: { threshold, window: width } });
}

/** The next timestamps after the series' last, stepping as the series does (months stay months). */
export function futureTimestamps(timestamps: string[] | null, count: number): Array<string | null> {
  if (!timestamps || timestamps.length < 2) return new Array(count).fill(null);
  const times = timestamps.map((t) => Date.parse(t));
  const steps = times.slice(1).map((t, i) => t - times[i]!).sort((a, b) => a - b);
  const step = steps[steps.length >> 1]!;
  const dateOnly = timestamps.at(-1)!.length === 10;
  const format = (d: Date) => (dateOnly ? d.toISOString().slice(0, 10) : d.toISOString());
  const last = new Date(times.at(-1)!);
  const day = 86_400_000;
  const months = step >= 27 * day && step <= 32 * day ? 1 : step >= 88 * day && step <= 93 * day ? 3 : step >= 364 * day && step <= 367 * day ? 12 : 0;
  return Array.from({ length: count }, (_, i) => {
    if (months) {
      const d = new Date(last);
      d.setUTCMonth(d.getUTCMonth() + months * (i + 1));
      return format(d);
    }
    return format(new Date(last.getTime() + step * (i + 1)));
  });
}

export async function forecast(column: string, s: Series, horizon: number, tools: AnalysisTools, language: Language): Promise<InsightDraft> {
  const model = await tools.model(MODELS.FORECAST);
  const history = widthOf(model);
  if (s.values.length < history) return draft('FORECAST', language === 'ZH' ? `预测需要至少 ${history} 个数据点；${column} 只有 ${s.values.length} 个。` : `Forecasting needs at least ${history} points; ${column} has ${s.values.length}.`, { modelVersionId: model.versionId });
  // The model forecasts a fixed number of steps; longer horizons feed its forecast back in.
  const values = Array.from(s.values);
  const points: Array<{ value: number; lower: number; upper: number }> = [];
  while (points.length < horizon) {
    const out = await tools.run(model, 'history', Float32Array.from(values.slice(-history)), history);
    const steps = out.forecast!.length;
    for (let h = 0; h < steps && points.length < horizon; h++) points.push({ value: out.forecast![h]!, lower: out.lower![h]!, upper: out.upper![h]! });
    values.push(...Array.from(out.forecast!));
  }
  const stamps = futureTimestamps(s.timestamps, horizon);
  const rows = points.map((p, i) => ({ timestamp: stamps[i] ?? null, ...p }));
  const summary = forecastSentence({ column, horizon, first: rows[0]!, last: rows.at(-1)! }, language);
  return draft('FORECAST', summary, { forecast: rows, modelVersionId: model.versionId, details: { history } });
}

export async function chart(column: string, timeColumn: string | null, s: Series, tools: AnalysisTools, language: Language): Promise<InsightDraft> {
  const model = await tools.model(MODELS.CHART);
  const features = chartFeatures({
    hasTime: !!timeColumn, monotonicTime: !!timeColumn, categories: 0, numericDimensions: timeColumn ? 0 : 1,
    measures: 1, cardinality: 0, partOfWhole: true, rows: s.values.length,
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
    alternatives: CHART_TYPES.map((t, i) => ({ type: t, probability: p[i]! })).sort((a, b) => b.probability - a.probability).slice(1, 3),
  };
  return draft('CHART', chartSentence(column, type, p[best]!, language), { chart: { type, probability: p[best]!, spec }, modelVersionId: model.versionId });
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
