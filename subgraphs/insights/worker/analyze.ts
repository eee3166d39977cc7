// The analyses: each kind turns a time-ordered series into an insight — anomalies and the
// forecast by the registry's ONNX models (the version the traffic split picks for the dataset),
// the trend by least squares, the chart by the chart model, the narrative from the findings.
// A model version is fed by its input tensors: version 2 of the anomaly and forecast models reads
// a seasonal decomposition of the series, version 1 raw windows, so a split can run both.
import type { Series } from '../../../lib/datasets/reader.js';
import type { DatasetQuery } from '../../../lib/datasets/query.js';
import type { AnalysisKind } from '../../../lib/prisma.js';
import { median } from '../../../models/features/robust.js';
import { MIN_POINTS, SeasonalDetection, type AnomalyFlag, type SeasonalScores } from '../../../models/features/seasonalDetection.js';
import {
  chooseVariantForecast,
  FORECAST_VARIANTS,
  MIN_FORECAST_POINTS,
  seasonalForecastInput,
} from '../../../models/features/seasonalForecast.js';
import { trailingWindows } from '../../../models/features/series.js';
import type { ChartSuggestion } from '../../../models/runtime/chartAdvisor.js';
import type { ServedModel } from '../../../models/runtime/servedModels.js';
import type { AnomalyDriver, Explainable } from './drivers.js';
import {
  anomalySentence,
  chartSentence,
  forecastSentence,
  trendSentence,
  type AnomalyFinding,
  type Language,
  type TrendFinding,
} from './narrative.js';

export interface AnalysisTools {
  /** The model version to use for `name` (chosen by the registry's split for this job's dataset). */
  model(name: string): Promise<ServedModel>;
  /** Rows through the engine's dynamic batcher (shared with the other analyses running); outcome recorded. */
  infer(model: ServedModel, feeds: Record<string, Float32Array>, rows: number): Promise<Record<string, Float32Array>>;
  /**
   * The drivers of anomalies, by index (none without a time column or categorical columns); the
   * sub-series are decomposed as the total was: its seasons and its cross-validated trend width.
   */
  explain(anomalies: Explainable[], periods: number[], trendWidth?: number): Promise<Map<number, AnomalyDriver[]>>;
  /** The chart for a query over the job's dataset version. */
  chart(query: DatasetQuery): Promise<ChartSuggestion>;
}

export interface InsightDraft {
  kind: AnalysisKind;
  summary: string;
  anomalies: AnomalyFinding[];
  forecast: Array<{ timestamp: string | null; value: number; lower: number; upper: number }>;
  chart: Omit<ChartSuggestion, 'modelVersionId'> | null;
  details: Record<string, unknown>;
  modelVersionId: string | null;
}

export const MODELS = { ANOMALY: 'anomaly-robust-z', FORECAST: 'forecast-holt-winters', CHART: 'chart-recommender' } as const;

const inputsOf = (m: ServedModel) => new Set(m.handle.inputs.map((i) => i.name));
const widthOf = (m: ServedModel) => Number(m.handle.inputs[0]!.shape[1]);
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

/** Version 2: decompose, score every point (twice when the level shifts), flag by ESD and change peaks. */
async function seasonalFlags(s: Series, model: ServedModel, tools: AnalysisTools) {
  const detection = new SeasonalDetection(s.values, s.timestamps);
  let rows = detection.rows;
  while (rows) {
    const scores = await tools.infer(model, { residuals: rows.residuals, level: rows.level, scale: rows.scale }, rows.rows);
    rows = detection.next(scores as unknown as SeasonalScores);
  }
  return {
    flags: detection.flags(),
    periods: detection.periods,
    trendWidth: detection.trendWidth,
    details: {
      method: 'seasonal decomposition',
      periods: detection.periods,
      transform: detection.transform,
      scale: detection.scale,
      ...(detection.trendWidth ? { trendWidth: detection.trendWidth } : {}),
    },
  };
}

/** Version 1: the last point of each trailing window against the window (its median is the expected value). */
async function windowFlags(s: Series, model: ServedModel, tools: AnalysisTools) {
  const width = widthOf(model);
  const threshold = typeof model.metrics?.threshold === 'number' ? model.metrics.threshold : 3.5;
  const windows = trailingWindows(s.values, width);
  const { score } = await tools.infer(model, { window: windows }, s.values.length - width + 1);
  const flags: AnomalyFlag[] = [];
  score!.forEach((v, r) => {
    if (!(v > threshold)) return;
    const index = r + width - 1;
    const expected = median(windows.subarray(r * width, (r + 1) * width));
    flags.push({ index, type: 'SPIKE', value: s.values[index]!, expected, residual: s.values[index]! - expected, score: v });
  });
  return { flags, periods: [] as number[], trendWidth: undefined, details: { method: 'trailing windows', threshold, window: width } };
}

export async function anomalies(column: string, s: Series, tools: AnalysisTools, language: Language): Promise<InsightDraft> {
  const model = await tools.model(MODELS.ANOMALY);
  const seasonal = inputsOf(model).has('residuals');
  const needed = seasonal ? MIN_POINTS : widthOf(model);
  if (s.values.length < needed)
    return draft(
      'ANOMALY',
      language === 'ZH'
        ? `数据点少于 ${needed} 个，无法检测异常。`
        : `Anomaly detection needs at least ${needed} points; ${column} has ${s.values.length}.`,
      { modelVersionId: model.versionId },
    );
  const { flags, periods, trendWidth, details } = seasonal ? await seasonalFlags(s, model, tools) : await windowFlags(s, model, tools);
  const drivers = s.timestamps ? await tools.explain(flags, periods, trendWidth) : new Map<number, AnomalyDriver[]>();
  const found: AnomalyFinding[] = flags.map((f) => ({
    index: f.index,
    timestamp: s.timestamps?.[f.index] ?? null,
    type: f.type,
    value: f.value,
    expected: f.expected,
    residual: f.residual,
    score: f.score,
    drivers: drivers.get(f.index) ?? [],
  }));
  return draft('ANOMALY', anomalySentence(column, found, language), { anomalies: found, modelVersionId: model.versionId, details });
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

/**
 * The model run on the series' last 48 deseasonalised points and, in the same batch, on the
 * histories of its past origins: the intervals are the model's own errors from there
 * (forecastCalibration.ts), and version 3 chooses its variant by them.
 */
async function withPastOrigins(s: Series, model: ServedModel, tools: AnalysisTools) {
  const input = seasonalForecastInput(s.values, s.timestamps);
  const { backtest } = input;
  const histories = new Float32Array(input.history.length + backtest.histories.length);
  histories.set(input.history);
  histories.set(backtest.histories, input.history.length);
  return { input, backtest, out: await tools.infer(model, { adjusted: histories }, 1 + backtest.rows) };
}

/** Version 2: Holt on the deseasonalised series (the variant its backtest prefers), the detected seasons put back. */
async function seasonalForecast(s: Series, horizon: number, model: ServedModel, tools: AnalysisTools) {
  const { input, backtest, out } = await withPastOrigins(s, model, tools);
  const width = out.forecast!.length / (1 + backtest.rows);
  const steps = Math.min(horizon, width);
  const season = input.futureSeason(steps);
  const forecast = out.forecast!.subarray(0, steps);
  const band = Float64Array.from(forecast, (v, h) => out.upper![h]! - v);
  // Past origins where the model chose the variant it chose at the end are calibrated on first.
  const choice = out.choice;
  const alike = choice ? (r: number) => choice[1 + r] === choice[0] : undefined;
  const past = out.forecast!.subarray(width);
  const calibrated = backtest.halfWidths((r, h) => past[r * width + h]!, band, steps, alike);
  const half = calibrated ?? band;
  const sameVariant = alike ? Array.from({ length: backtest.rows }, (_, r) => r).filter(alike).length : backtest.rows;
  const at = (v: number, h: number) => input.restore(v + input.base + season[h]!);
  return {
    points: Array.from({ length: steps }, (_, h) => ({
      value: at(forecast[h]!, h),
      lower: at(forecast[h]! - half[h]!, h),
      upper: at(forecast[h]! + half[h]!, h),
    })),
    // Version 2 names the variant its backtest chose (0 trend, 1 damped trend, 2 level only: version 3's first three).
    details: {
      periods: input.periods,
      transform: input.transform,
      history: input.history.length,
      intervals: calibrated
        ? `backtest errors from ${backtest.rows} past origins (${sameVariant} forecast with the same variant)`
        : 'ETS(A,Ad,N) variance',
      ...(out.choice ? { variant: FORECAST_VARIANTS[out.choice[0]!] ?? null } : {}),
    },
  };
}

/**
 * Version 3: every variant's state at the end of the series and, in the same batch, of its past
 * origins' histories; extrapolated, the variant that missed least from the latest origins is the
 * forecast, and its errors from all of them are its intervals (features/seasonalForecast.ts
 * `chooseVariantForecast`).
 */
async function crossValidatedForecast(s: Series, horizon: number, model: ServedModel, tools: AnalysisTools) {
  const { input, backtest, out } = await withPastOrigins(s, model, tools);
  const variants = out.level!.length / (1 + backtest.rows);
  const chosen = chooseVariantForecast(
    input,
    { level: out.level!, trend: out.trend!, sigma: out.sigma!, params: out.params!, variants },
    horizon,
  );
  return {
    points: chosen.points,
    details: {
      periods: input.periods,
      transform: input.transform,
      history: input.history.length,
      variant: FORECAST_VARIANTS[chosen.choice] ?? String(chosen.choice),
      // Each variant's mean absolute error from the latest past origins, on the analysed scale.
      backtestErrors: Object.fromEntries(chosen.errors.map((e, c) => [FORECAST_VARIANTS[c] ?? String(c), Number.isNaN(e) ? null : e])),
      intervals: chosen.calibrated ? `backtest errors of the chosen variant from ${backtest.rows} past origins` : 'ETS(A,Ad,N) variance',
    },
  };
}

/** Version 1: a fixed 12-step map of the last 48 points, fed its own forecast for longer horizons. */
async function windowForecast(s: Series, horizon: number, model: ServedModel, tools: AnalysisTools) {
  const history = widthOf(model);
  const values = Array.from(s.values);
  const points: Array<{ value: number; lower: number; upper: number }> = [];
  while (points.length < horizon) {
    const out = await tools.infer(model, { history: Float32Array.from(values.slice(-history)) }, 1);
    const steps = out.forecast!.length;
    for (let h = 0; h < steps && points.length < horizon; h++)
      points.push({ value: out.forecast![h]!, lower: out.lower![h]!, upper: out.upper![h]! });
    values.push(...Array.from(out.forecast!));
  }
  return { points, details: { history, periods: [12] } };
}

export async function forecast(
  column: string,
  s: Series,
  horizon: number,
  tools: AnalysisTools,
  language: Language,
): Promise<InsightDraft> {
  const model = await tools.model(MODELS.FORECAST);
  const seasonal = inputsOf(model).has('adjusted');
  const needed = seasonal ? MIN_FORECAST_POINTS : widthOf(model);
  if (s.values.length < needed)
    return draft(
      'FORECAST',
      language === 'ZH'
        ? `预测需要至少 ${needed} 个数据点；${column} 只有 ${s.values.length} 个。`
        : `Forecasting needs at least ${needed} points; ${column} has ${s.values.length}.`,
      { modelVersionId: model.versionId },
    );
  const crossValidated = model.handle.outputs.some((o) => o.name === 'params');
  const { points, details } = crossValidated
    ? await crossValidatedForecast(s, horizon, model, tools)
    : seasonal
      ? await seasonalForecast(s, horizon, model, tools)
      : await windowForecast(s, horizon, model, tools);
  const stamps = futureTimestamps(s.timestamps, points.length);
  const rows = points.map((p, i) => ({ timestamp: stamps[i] ?? null, ...p }));
  const summary = forecastSentence({ column, horizon: rows.length, first: rows[0]!, last: rows.at(-1)! }, language);
  return draft('FORECAST', summary, { forecast: rows, modelVersionId: model.versionId, details });
}

/**
 * The chart of the analysed series: the column summed per time value (and per the first of the
 * job's dimensions, when it names one), as the chart model sees that query.
 */
export async function chart(
  column: string,
  timeColumn: string | null,
  dimensions: string[],
  tools: AnalysisTools,
  language: Language,
): Promise<InsightDraft> {
  const query: DatasetQuery = {
    dimensions: [...(timeColumn ? [timeColumn] : []), ...dimensions.slice(0, 1)],
    measures: [{ column, agg: 'SUM' }],
  };
  const { modelVersionId, ...suggestion } = await tools.chart(query);
  return draft('CHART', chartSentence(column, suggestion.type, suggestion.probability, language), { chart: suggestion, modelVersionId });
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
