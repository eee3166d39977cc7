// Registering a model version: checked ONNX bytes, stored once by content (sha256), numbered per
// model, with the tensors read from the file and reference histograms for drift.
import { createHash } from 'node:crypto';
import type { Identity } from '../auth/identity.js';
import { audit } from '../audit.js';
import { badInput, conflict } from '../errors.js';
import type { ModelTask, Prisma, PrismaClient } from '../prisma.js';
import { referenceOf, type FeatureReference } from './psi.js';

export interface TensorSpec {
  name: string;
  type: string;
  shape: string[];
}

/** Checks that ONNX Runtime can load the bytes and reads their tensors; throws with the reason. */
export type OnnxInspector = (bytes: Uint8Array) => Promise<{ inputs: TensorSpec[]; outputs: TensorSpec[] }>;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeOnnxBase64(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length === 0) throw badInput('onnxBase64: empty', { field: 'onnxBase64' });
  if (clean.length % 4 !== 0 || !BASE64.test(clean)) throw badInput('onnxBase64: not valid base64', { field: 'onnxBase64' });
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

/** Reference histograms from training samples: `{ feature: number[] }`. */
export function referencesFrom(samples: unknown): Record<string, FeatureReference> | null {
  if (samples === null || samples === undefined) return null;
  if (typeof samples !== 'object' || Array.isArray(samples))
    throw badInput('reference: an object of feature name → sample values', { field: 'reference' });
  const out: Record<string, FeatureReference> = {};
  for (const [feature, values] of Object.entries(samples as Record<string, unknown>)) {
    if (!Array.isArray(values) || values.length < 20 || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw badInput(`reference.${feature}: at least 20 finite numbers`, { field: `reference.${feature}` });
    }
    out[feature] = referenceOf(values as number[]);
  }
  return out;
}

export interface Registration {
  modelName: string;
  task: ModelTask;
  bytes: Uint8Array;
  metrics?: unknown;
  reference?: unknown;
  description?: string | null;
}

export async function registerVersion(prisma: PrismaClient, inspect: OnnxInspector, actor: Identity | null, r: Registration) {
  if (r.bytes.length === 0) throw badInput('the ONNX file is empty', { field: 'onnxBase64' });
  let tensors: Awaited<ReturnType<OnnxInspector>>;
  try {
    tensors = await inspect(r.bytes);
  } catch (err) {
    throw badInput(`not a model ONNX Runtime can load: ${String((err as Error).message).split('\n')[0]}`, { field: 'onnxBase64' });
  }
  if (r.metrics !== undefined && r.metrics !== null && (typeof r.metrics !== 'object' || Array.isArray(r.metrics))) {
    throw badInput('metrics: an object', { field: 'metrics' });
  }
  const reference = referencesFrom(r.reference);
  const sha256 = createHash('sha256').update(r.bytes).digest('hex');
  return prisma.$transaction(async (tx) => {
    const model = await tx.model.upsert({
      where: { name: r.modelName },
      create: { name: r.modelName, task: r.task, description: r.description ?? null },
      update: {},
    });
    if (model.task !== r.task) throw conflict(`model "${r.modelName}" is a ${model.task} model, not ${r.task}`);
    // Serialises registrations of one model so version numbers never collide.
    await tx.$queryRaw`SELECT id FROM "Model" WHERE id = ${model.id}::uuid FOR UPDATE`;
    const last = await tx.modelVersion.findFirst({ where: { modelId: model.id }, orderBy: { version: 'desc' }, select: { version: true } });
    await tx.modelArtifact.upsert({
      where: { sha256 },
      create: { sha256, sizeBytes: r.bytes.length, bytes: Buffer.from(r.bytes) },
      update: {},
    });
    const version = await tx.modelVersion.create({
      data: {
        modelId: model.id,
        version: (last?.version ?? 0) + 1,
        sha256,
        inputs: tensors.inputs as unknown as Prisma.InputJsonValue,
        outputs: tensors.outputs as unknown as Prisma.InputJsonValue,
        metrics: (r.metrics ?? undefined) as Prisma.InputJsonValue | undefined,
        reference: (reference ?? undefined) as Prisma.InputJsonValue | undefined,
        createdById: actor?.kind === 'user' ? actor.id : null,
      },
    });
    await tx.modelEvent.create({
      data: {
        modelId: model.id,
        versionId: version.id,
        kind: 'REGISTERED',
        message: `version ${version.version} registered (${sha256.slice(0, 12)})`,
      },
    });
    await audit(
      tx,
      actor,
      'model.register',
      { type: 'ModelVersion', id: version.id },
      { model: r.modelName, version: version.version, sha256 },
    );
    return version;
  });
}
