// Robust statistics the series features share: medians, MAD scales and the bisquare weights that
// keep outliers from bending a fit.

/** 1.4826 × MAD is the standard deviation of normal data. */
export const MAD_TO_SIGMA = 1.4826;

/** The median of `xs` (the mean of the two middle values for an even count); NaN when empty. */
export function median(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** A robust standard deviation: 1.4826 × the median absolute deviation from the median. */
export function robustSigma(xs: ArrayLike<number>): number {
  const m = median(xs);
  return MAD_TO_SIGMA * median(Float64Array.from(xs, (v) => Math.abs(v - m)));
}

/**
 * Tukey's bisquare weights of residuals (STL's robustness weights): 1 near zero, falling to 0 at
 * six median absolute residuals, so a spike stops pulling the trend and season after one pass.
 */
export function bisquareWeights(residuals: ArrayLike<number>): Float64Array {
  const h = 6 * median(Float64Array.from(residuals, Math.abs));
  return Float64Array.from(residuals, (r) => {
    if (!(h > 0)) return 1;
    const u = Math.abs(r) / h;
    return u < 1 ? (1 - u * u) ** 2 : 0;
  });
}
