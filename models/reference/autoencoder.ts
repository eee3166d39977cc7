// The autoencoder's math in plain TypeScript: each window is normalised robustly (median, MAD),
// clipped, encoded to a few numbers and decoded; the score is how far the last point is from
// its reconstruction, in units of the window's spread.
import { forward, type Layer } from '../training/mlp.js';
import { EPSILON, MAD_SCALE } from './robustZ.js';

export const AE_WINDOW = 25;
export const AE_CLIP = 6;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;

/** The encoder's input for one window: (x − median) / (1.4826 · MAD + ε), and its unclipped last value. */
export function normaliseWindow(w: ArrayLike<number>): { clipped: Float64Array; lastZ: number } {
  const values = Array.from(w);
  const med = median(values);
  const mad = median(values.map((v) => Math.abs(v - med)));
  const scale = MAD_SCALE * mad + EPSILON;
  const z = values.map((v) => (v - med) / scale);
  return { clipped: Float64Array.from(z, (v) => Math.max(-AE_CLIP, Math.min(AE_CLIP, v))), lastZ: z.at(-1)! };
}

export function autoencoderScores(layers: Layer[], windows: ArrayLike<number>, width = AE_WINDOW): Float64Array {
  const rows = windows.length / width;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const { clipped, lastZ } = normaliseWindow(Array.from({ length: width }, (_, k) => windows[r * width + k]!));
    const recon = forward(layers, clipped).at(-1)!;
    out[r] = Math.abs(lastZ - recon[width - 1]!);
  }
  return out;
}
