// Robust z-score of the last point of each window: |x − median| / (1.4826 · MAD + ε).
export const ROBUST_Z_WINDOW = 25;
export const MAD_SCALE = 1.4826;
export const EPSILON = 1e-6;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** `windows`: rows of `width` values, row-major. */
export function robustZ(windows: ArrayLike<number>, width = ROBUST_Z_WINDOW): Float64Array {
  const rows = windows.length / width;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const w = Array.from({ length: width }, (_, k) => windows[r * width + k]!);
    const med = median(w);
    const mad = median(w.map((v) => Math.abs(v - med)));
    out[r] = Math.abs(w[width - 1]! - med) / (MAD_SCALE * mad + EPSILON);
  }
  return out;
}
