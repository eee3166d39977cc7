// Registering a model version: checked ONNX bytes, stored once by content (sha256), numbered per
// model, with the tensors read from the file and reference histograms for drift. Only a model's
// owner (or an ADMIN) adds versions to it: anyone else could slip a version under its users.
import { createHash } from 'node:crypto';
import { requireOwnerOrAdmin, requireRole, type Identity } from '../auth/identity.js';
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

/** The bytes of a GraphQL upload (`onnxBase64`); BAD_USER_INPUT when empty or not base64. */
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

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Who owns a model: the user who registered its first version. Null when no user does — the model
 * has no versions yet (an ADMIN created it empty) or an API key registered the first one — and
 * then only ADMINs may add versions.
 */
export async function modelOwnerId(db: Db, modelId: string): Promise<string | null> {
  const first = await db.modelVersion.findFirst({ where: { modelId }, orderBy: { version: 'asc' }, select: { createdById: true } });
  return first?.createdById ?? null;
}

/**
 * Checks, before anything is uploaded or inspected, that `actor` may register a version under
 * `modelName`: any ANALYST for a new name (they become its owner), the owner or an ADMIN for an
 * existing model. `registerVersion` checks again under the model's lock, where it counts.
 */
export async function requireRightToRegister(db: Db, actor: Identity | null, modelName: string): Promise<Identity> {
  const who = requireRole(actor, 'ANALYST', 'Registering a model version');
  const model = await db.model.findUnique({ where: { name: modelName }, select: { id: true } });
  return model ? requireOwnerOrAdmin(who, await modelOwnerId(db, model.id), 'model') : who;
}

export interface Registration {
  modelName: string;
  task: ModelTask;
  bytes: Uint8Array;
  /** sha256 of `bytes` (hex), when the caller hashed them as they arrived; computed otherwise. */
  sha256?: string;
  metrics?: unknown;
  reference?: unknown;
  description?: string | null;
}

/**
 * Registers checked ONNX bytes as the model's next version, creating the model (owned by `actor`)
 * on first use. Throws FORBIDDEN when the model exists and `actor` is neither its owner nor an
 * ADMIN, BAD_USER_INPUT when ONNX Runtime cannot load the bytes, CONFLICT on a task mismatch.
 */
export async function registerVersion(prisma: PrismaClient, inspect: OnnxInspector, actor: Identity | null, r: Registration) {
  if (r.bytes.length === 0) throw badInput('the ONNX file is empty', { field: 'onnxBase64' });
  const tensors = await inspectOrRefuse(inspect, r.bytes);
  if (r.metrics !== undefined && r.metrics !== null && (typeof r.metrics !== 'object' || Array.isArray(r.metrics))) {
    throw badInput('metrics: an object', { field: 'metrics' });
  }
  const reference = referencesFrom(r.reference);
  const sha256 = r.sha256 ?? createHash('sha256').update(r.bytes).digest('hex');
  return prisma.$transaction(async (tx) => {
    const model = await lockModelFor(tx, actor, r);
    const last = await tx.modelVersion.findFirst({ where: { modelId: model.id }, orderBy: { version: 'desc' }, select: { version: true } });
    await tx.modelArtifact.upsert({
      where: { sha256 },
      // A view, not a copy: uploads may be hundreds of MB (never in a SharedArrayBuffer).
      create: {
        sha256,
        sizeBytes: r.bytes.length,
        bytes: new Uint8Array(r.bytes.buffer as ArrayBuffer, r.bytes.byteOffset, r.bytes.length),
      },
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

async function inspectOrRefuse(inspect: OnnxInspector, bytes: Uint8Array) {
  try {
    return await inspect(bytes);
  } catch (err) {
    throw badInput(`not a model ONNX Runtime can load: ${String((err as Error).message).split('\n')[0]}`, { field: 'onnxBase64' });
  }
}

/**
 * The model to add a version to, created for `actor` when the name is new, locked so that
 * registrations of one model are serialised (version numbers never collide) and its ownership
 * cannot change between the check and the write.
 */
async function lockModelFor(tx: Prisma.TransactionClient, actor: Identity | null, r: Registration) {
  // ON CONFLICT DO NOTHING: of two first registrations racing, exactly one creates the model and
  // the other is judged as a registration under an existing (someone else's) model.
  const { count: created } = await tx.model.createMany({
    data: [{ name: r.modelName, task: r.task, description: r.description ?? null }],
    skipDuplicates: true,
  });
  const model = await tx.model.findUniqueOrThrow({ where: { name: r.modelName } });
  await tx.$queryRaw`SELECT id FROM "Model" WHERE id = ${model.id}::uuid FOR UPDATE`;
  if (!created) requireOwnerOrAdmin(actor, await modelOwnerId(tx, model.id), 'model');
  if (model.task !== r.task) throw conflict(`model "${r.modelName}" is a ${model.task} model, not ${r.task}`);
  return model;
}
