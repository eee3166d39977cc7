import { buildAutoencoder } from './autoencoder.js';
import { buildChart } from './chart.js';
import { buildChartShape } from './chartShape.js';
import { buildAr, buildHoltWinters } from './forecast.js';
import { buildRobustZ } from './robustZ.js';
import { buildSeasonalAnomaly } from './seasonalAnomaly.js';
import { buildCrossValidatedForecast, buildSeasonalForecast } from './seasonalForecast.js';
import type { BuiltModel } from './types.js';

export type { BuiltModel };

/**
 * Every model, built (and trained) from code, by artefact name: the registry name, with `.v<n>`
 * for a later version of it. The first versions stay built so a traffic split can compare them.
 */
export const BUILDERS: Record<string, () => BuiltModel> = {
  'anomaly-robust-z': () => buildRobustZ(),
  'anomaly-robust-z.v2': () => buildSeasonalAnomaly(),
  'anomaly-autoencoder': () => buildAutoencoder(),
  'forecast-holt-winters': () => buildHoltWinters(),
  'forecast-holt-winters.v2': () => buildSeasonalForecast(),
  'forecast-holt-winters.v3': () => buildCrossValidatedForecast(),
  'forecast-ar': () => buildAr(),
  'chart-recommender': () => buildChart(),
  'chart-recommender.v2': () => buildChartShape(),
};
