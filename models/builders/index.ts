import { buildAutoencoder } from './autoencoder.js';
import { buildChart } from './chart.js';
import { buildAr, buildHoltWinters } from './forecast.js';
import { buildRobustZ } from './robustZ.js';
import type { BuiltModel } from './types.js';

export type { BuiltModel };

/** Every model, by registry name, built (and trained) from code. */
export const BUILDERS: Record<string, () => BuiltModel> = {
  'anomaly-robust-z': () => buildRobustZ(),
  'anomaly-autoencoder': () => buildAutoencoder(),
  'forecast-holt-winters': () => buildHoltWinters(),
  'forecast-ar': () => buildAr(),
  'chart-recommender': () => buildChart(),
};
