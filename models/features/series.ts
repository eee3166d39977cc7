// Series features shared by training and inference: what a window-scoring model sees.

/** Trailing windows: row t holds points t-W+1..t, for every t with a full window. */
export function trailingWindows(series: ArrayLike<number>, width: number): Float32Array {
  const rows = Math.max(0, series.length - width + 1);
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) for (let k = 0; k < width; k++) out[r * width + k] = series[r + k]!;
  return out;
}
