export interface BuiltModel {
  /** Registry name, e.g. `anomaly-robust-z`. */
  name: string;
  task: 'ANOMALY' | 'FORECAST' | 'CHART';
  bytes: Uint8Array;
  /** Written beside the artefact as JSON: inputs, outputs, shapes, training data digest, metrics. */
  metadata: Record<string, unknown>;
}
