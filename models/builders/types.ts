import type { ModelTask } from '../../lib/prisma.js';

export interface BuiltModel {
  /** Registry name, e.g. `anomaly-robust-z`. */
  name: string;
  /**
   * The registry version it is seeded as. A later version of a model may take other inputs: the
   * workers read a version's input tensors to know how to feed it, so a traffic split can run an
   * old version beside a new one. @default 1
   */
  version?: number;
  task: ModelTask;
  bytes: Uint8Array;
  /** Written beside the artefact as JSON: inputs, outputs, shapes, training data digest, metrics. */
  metadata: Record<string, unknown>;
}
