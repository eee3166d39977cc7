// Forecast intervals from the forecaster's own errors, not only from its error model. The model
// is run from past origins of the series itself (rolling origin: at each, it sees only the points
// up to there) and its errors h steps ahead are collected per horizon; the 95% half-width at h is
// their empirical quantile — the ⌈0.95 (m + 1)⌉-th smallest of m absolute errors, which holds 95%
// of a new error exchangeable with them (split-conformal prediction). Where a horizon has too few
// errors (the last steps of a short series), the half-width of the last horizon that has enough
// is carried on in the shape of the model's own band (ETS(A,Ad,N)'s widening), and never slower
// than a random walk's √h: past the horizons its history can vouch for, a forecast is taken to be
// no surer than one of a level that wanders. Half-widths never narrow as the horizon grows. An ETS
// band assumes the model is right and its residuals are white; these intervals are as wide as the
// model's misses on this series have been.
//
// Version 2 chooses its variant inside the graph, row by row: its errors are those of the origins
// where it chose what it chose at the end (Mondrian conformal prediction, one stratum per variant),
// so a series whose trend it keeps at the end is not given the wide misses of the origins where it
// damped it, nor the reverse; where a horizon has too few of those, every origin's. Version 3
// chooses one variant for the whole series, and its errors are that variant's at every origin —
// the latest 50 of which chose it, so where variants are close its errors there run a little
// small (the winner's), and its coverage a little under 95%.
//
// The seasons are taken out with one decomposition of the whole series (they change slowly); the
// level and trend each origin forecasts are read from its own past only.

/** Origins the model is run from, at most (spread evenly over the series). */
export const CALIBRATION_ORIGINS = 200;
/** The earliest origin: a forecast needs this many points (seasonalForecast.ts's minimum). */
export const FIRST_ORIGIN = 15;
/** Errors a horizon needs for its 95% quantile (with 19 it is their largest). */
export const MIN_CALIBRATION_ERRORS = 19;
/** Share of errors the interval holds. */
export const COVERAGE = 0.95;
/** Version 3 chooses its variant on the errors of this many latest past origins. */
export const SELECTION_ORIGINS_LATEST = 50;

/** Past origins of a series of `n` points, latest last: every one, or every k-th back from the last but one. */
export function backtestOrigins(n: number): number[] {
  const available = n - 1 - FIRST_ORIGIN;
  if (available <= 0) return [];
  const stride = Math.max(1, Math.ceil(available / CALIBRATION_ORIGINS));
  const out: number[] = [];
  for (let t = n - 2; t >= FIRST_ORIGIN && out.length < CALIBRATION_ORIGINS; t -= stride) out.push(t);
  return out.reverse();
}

/**
 * Half-widths of the 95% interval at horizons 1…`horizon` (index h − 1) from the errors of the
 * forecasts made at `origins` (`forecastAt(r, h)`: origin r's forecast h + 1 steps ahead, on the
 * scale of `actual`); `band` is the model's own half-width per horizon, for the shape past the
 * calibrated horizons; `alike(r)`: origin r's forecast was made as the one being calibrated (the
 * same variant), so its errors are preferred. Null when not even the first horizon has enough errors.
 */
export function calibratedHalfWidths(
  actual: ArrayLike<number>,
  origins: readonly number[],
  forecastAt: (row: number, h: number) => number,
  band: ArrayLike<number>,
  horizon: number,
  alike?: (row: number) => boolean,
): Float64Array | null {
  const n = actual.length;
  const out = new Float64Array(horizon);
  let calibrated = 0;
  for (let h = 0; h < horizon; h++) {
    let errors: number[] = [];
    const all: number[] = [];
    origins.forEach((t, r) => {
      if (t + h + 1 >= n) return;
      const error = Math.abs(actual[t + h + 1]! - forecastAt(r, h));
      all.push(error);
      if (!alike || alike(r)) errors.push(error);
    });
    if (errors.length < MIN_CALIBRATION_ERRORS) errors = all;
    if (errors.length < MIN_CALIBRATION_ERRORS) break;
    errors.sort((a, b) => a - b);
    out[h] = errors[Math.min(errors.length, Math.ceil(COVERAGE * (errors.length + 1))) - 1]!;
    calibrated = h + 1;
  }
  if (calibrated === 0) return null;
  const anchor = calibrated - 1;
  for (let h = calibrated; h < horizon; h++) {
    const ratio = band[anchor]! > 0 ? band[h]! / band[anchor]! : 1;
    out[h] = out[anchor]! * Math.max(ratio, Math.sqrt((h + 1) / (anchor + 1)));
  }
  for (let h = 1; h < horizon; h++) out[h] = Math.max(out[h]!, out[h - 1]!);
  return out;
}

/**
 * The mean absolute error of the forecasts made at the latest `latest` of `origins`, over the
 * horizons 1…`horizon` whose truth is known (`forecastAt` as for calibratedHalfWidths); NaN when
 * there are fewer than MIN_CALIBRATION_ERRORS of them. A variant is chosen on this: how it has
 * done on this series lately, at the horizons asked for (rolling-origin cross-validation, as
 * statsforecast's and fable's model choice). The latest origins have no truth far ahead, so for a
 * horizon longer than they reach the choice reads the horizons they do.
 */
export function backtestError(
  actual: ArrayLike<number>,
  origins: readonly number[],
  forecastAt: (row: number, h: number) => number,
  horizon: number,
  latest = SELECTION_ORIGINS_LATEST,
): number {
  const n = actual.length;
  let sum = 0;
  let count = 0;
  for (let r = Math.max(0, origins.length - latest); r < origins.length; r++)
    for (let h = 0; h < horizon && origins[r]! + h + 1 < n; h++) {
      sum += Math.abs(actual[origins[r]! + h + 1]! - forecastAt(r, h));
      count++;
    }
  return count >= MIN_CALIBRATION_ERRORS ? sum / count : NaN;
}
