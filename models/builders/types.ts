import type { ModelTask } from '../../lib/prisma.js';

export interface BuiltModel {
  /** Registry name, e.g. `anomaly-robust-z`. */
  name: string;
  task: ModelTask;
  bytes: Uint8Array;
  /** Written beside the artefact as JSON: inputs, outputs, shapes, training data digest, metrics. */
  metadata: Record<string, unknown>;
}
