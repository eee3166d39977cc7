// What the seasonal forecaster (forecast-holt-winters, version 2) is fed, and how its answer
// becomes a forecast: the series' seasons are found and taken out (decompose.ts), the model
// extrapolates the last 48 deseasonalised points — trend and level — with intervals, and the
// season is put back, read from the latest seasonal fit at the future positions. The period is
// whatever the series shows (12 for months, 365.25 and 7 for days, none at all), not assumed.
// A series whose spread grows with its level is forecast on a log scale (transform.ts) and put
// back, so its intervals are wider above than below. The intervals come from the model's own
// errors at past origins of the same series (forecastCalibration.ts), where it has enough of them.
import { timeAxis } from './calendar.js';
import { decompose } from './decompose.js';
import { detectPeriods } from './period.js';
import { backtestError, backtestOrigins, calibratedHalfWidths } from './forecastCalibration.js';
import { applyTransform, chooseTransform, invertTransform, type Transform } from './transform.js';
import { dampedSums, holtBand } from './holtPath.js';

/** Deseasonalised points the model reads. */
export const FORECAST_HISTORY = 48;
/** Steps the model forecasts (the longest horizon an analysis may ask for). */
export const FORECAST_HORIZON = 1000;
/** A shorter series is not forecast. */
export const MIN_FORECAST_POINTS = 16;

export interface SeasonalForecastInput {
  periods: number[];
  /** The scale the model forecasts on (transform.ts); `restore` puts a value back on the series' own. */
  transform: Transform;
  restore(value: number): number;
  /** The last 48 deseasonalised points minus `base`, oldest first (float32 keeps its precision near zero). */
  history: Float32Array;
  base: number;
  /** The season at each of the next `count` steps. */
  futureSeason(count: number): Float64Array;
  /**
   * The histories of past origins, for intervals calibrated by the model's own errors: run them
   * through the model with `history` and hand their forecasts to `halfWidths`, with `alike(r)`
   * where the model tells which variant each row was forecast with (past row r as the current one).
   */
  backtest: {
    histories: Float32Array;
    rows: number;
    /** forecastCalibration.ts `calibratedHalfWidths`, `forecastAt(r, h)` past row r's forecast h + 1 steps ahead (deseasonalised, minus its last point). */
    halfWidths(
      forecastAt: (row: number, h: number) => number,
      band: ArrayLike<number>,
      horizon: number,
      alike?: (row: number) => boolean,
    ): Float64Array | null;
    /** The mean absolute error of the latest rows' forecasts up to `horizon` steps (forecastCalibration.ts `backtestError`). */
    error(forecastAt: (row: number, h: number) => number, horizon: number): number;
  };
}

/**
 * The model's input for a series. A series shorter than 48 points is extended backwards along
 * its trend's first slope, so the model's level and trend start where the data does.
 */
export function seasonalForecastInput(values: ArrayLike<number>, timestamps: readonly string[] | null): SeasonalForecastInput {
  const n = values.length;
  if (n < MIN_FORECAST_POINTS) throw new Error(`a forecast needs at least ${MIN_FORECAST_POINTS} points; the series has ${n}`);
  const axis = timeAxis(timestamps, n);
  const periods = detectPeriods(values, axis);
  const { transform } = chooseTransform(values, { periods, positions: axis.positions });
  const scaled = applyTransform(values, transform);
  const d = decompose(scaled, { periods, positions: axis.positions });
  const adjusted = Float64Array.from(scaled, (v, i) => v - d.season[i]!);
  const slope = n > 1 ? d.trend[1]! - d.trend[0]! : 0;
  /** The model's input at origin `t`: the 48 points up to t (extended backwards along the trend), minus the last. */
  const historyAt = (t: number, into: Float32Array, offset: number) => {
    for (let k = 0; k < FORECAST_HISTORY; k++) {
      const i = t - FORECAST_HISTORY + 1 + k;
      into[offset + k] = (i >= 0 ? adjusted[i]! : d.trend[0]! + slope * i) - adjusted[t]!;
    }
  };
  const base = adjusted[n - 1]!;
  const history = new Float32Array(FORECAST_HISTORY);
  historyAt(n - 1, history, 0);
  const origins = backtestOrigins(n);
  const histories = new Float32Array(origins.length * FORECAST_HISTORY);
  origins.forEach((t, r) => historyAt(t, histories, r * FORECAST_HISTORY));
  const last = axis.positions[n - 1]!;
  return {
    periods,
    transform,
    restore: (value) => invertTransform(value, transform),
    history,
    base,
    futureSeason: (count) => Float64Array.from({ length: count }, (_, h) => d.seasonAt(last + h + 1)),
    backtest: {
      histories,
      rows: origins.length,
      halfWidths: (forecastAt, band, horizon, alike) =>
        calibratedHalfWidths(adjusted, origins, (r, h) => adjusted[origins[r]!]! + forecastAt(r, h), band, horizon, alike),
      error: (forecastAt, horizon) => backtestError(adjusted, origins, (r, h) => adjusted[origins[r]!]! + forecastAt(r, h), horizon),
    },
  };
}

/** Version 3's variants, in the order of its outputs (models/reference/holt.ts `crossValidatedVariants`). */
export const FORECAST_VARIANTS = ['trend', 'damped trend', 'level', 'last value', 'damped drift'];

/** The variant a series too short to choose on gets: the damped trend, the safe default of exponential smoothing. */
export const UNTESTED_VARIANT = 1;

/**
 * What forecast-holt-winters version 3 answers for a batch: per row (row 0 the series, row 1 + r
 * past origin r) and variant, the state Holt's method ends the history in and the spread of its
 * one-step errors, and each variant's smoothing parameters ([rows × variants] each; `params`
 * [rows × variants × 3], α β φ, the same in every row).
 */
export interface VariantStates {
  level: ArrayLike<number>;
  trend: ArrayLike<number>;
  sigma: ArrayLike<number>;
  params: ArrayLike<number>;
  variants: number;
}

export interface ChosenForecast {
  /** The variant chosen (its index in the model's list). */
  choice: number;
  /** Each variant's mean absolute error over the latest past origins (NaN where there is none). */
  errors: number[];
  /** The forecast, lower and upper bounds on the series' own scale, seasons put back. */
  points: Array<{ value: number; lower: number; upper: number }>;
  /** Whether the intervals are the chosen variant's past errors (else its ETS band). */
  calibrated: boolean;
}

/**
 * Version 3's answer made a forecast of `horizon` steps: the variant whose forecasts from the
 * latest past origins missed least up to that horizon (the first on a tie; the damped trend when
 * they have fewer than 19 truths to compare), its forecast, and intervals from its own errors at every past
 * origin (its ETS band where there are too few). Each state is extrapolated here (holtPath.ts).
 */
export function chooseVariantForecast(input: SeasonalForecastInput, out: VariantStates, horizon: number): ChosenForecast {
  const { variants } = out;
  const steps = horizon;
  const params = Array.from({ length: variants }, (_, c) => ({
    alpha: out.params[c * 3]!,
    beta: out.params[c * 3 + 1]!,
    phi: out.params[c * 3 + 2]!,
  }));
  const damped = params.map((p) => dampedSums(p.phi, steps));
  const at = (row: number, c: number, h: number) => out.level[row * variants + c]! + damped[c]![h]! * out.trend[row * variants + c]!;
  const errors = Array.from({ length: variants }, (_, c) => input.backtest.error((r, h) => at(1 + r, c, h), steps));
  let choice = -1;
  errors.forEach((e, c) => {
    if (!Number.isNaN(e) && (choice < 0 || e < errors[choice]!)) choice = c;
  });
  if (choice < 0) choice = UNTESTED_VARIANT;
  const band = holtBand(params[choice]!, steps).map((b) => b * out.sigma[choice]!);
  const calibrated = input.backtest.halfWidths((r, h) => at(1 + r, choice, h), band, steps);
  const half = calibrated ?? band;
  const season = input.futureSeason(steps);
  const restore = (v: number, h: number) => input.restore(v + input.base + season[h]!);
  return {
    choice,
    errors,
    calibrated: calibrated !== null,
    points: Array.from({ length: steps }, (_, h) => {
      const v = at(0, choice, h);
      return { value: restore(v, h), lower: restore(v - half[h]!, h), upper: restore(v + half[h]!, h) };
    }),
  };
}
