// Where a state of Holt's method leads (ETS(A,Ad,N)): from the level and trend it ends a history
// with, and the spread σ of its one-step errors, the forecast h steps on is
// level + (φ + φ² + … + φ^h) · trend and its 95% half-width is Z95 · σ · √(1 + Σ_{j<h} c_j²),
// c_j = α(1 + β(φ + … + φ^j)). forecast-holt-winters version 3 answers the states (its graph is
// the smoothing); the workers extrapolate them here to whatever horizon an analysis asks for.

/** Two-sided 95% normal quantile. */
export const Z95 = 1.959964;

export interface HoltParams {
  alpha: number;
  beta: number;
  /** Trend damping (1: none). */
  phi: number;
}

/** φ + φ² + … + φ^h for h = 1…`horizon` (index h − 1): how much of the trend h steps on add. */
export function dampedSums(phi: number, horizon: number): Float64Array {
  const out = new Float64Array(horizon);
  let sum = 0;
  for (let h = 1; h <= horizon; h++) {
    sum += phi ** h;
    out[h - 1] = sum;
  }
  return out;
}

/** Z95 × √(1 + Σ_{j<h} c_j²), c_j = α(1 + β(φ + … + φ^j)): the ETS(A,Ad,N) interval half-width per σ. */
export function holtBand({ alpha, beta, phi }: HoltParams, horizon: number): Float64Array {
  const band = new Float64Array(horizon);
  const damped = dampedSums(phi, horizon);
  let variance = 1;
  for (let h = 0; h < horizon; h++) {
    band[h] = Z95 * Math.sqrt(variance);
    variance += (alpha * (1 + beta * damped[h]!)) ** 2;
  }
  return band;
}
