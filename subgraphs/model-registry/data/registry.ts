// Model lifecycle: aliases with history, traffic splits, health-driven rollback, drift reports.
// Who may do what: a model's owner (the user who registered its first version) may add versions,
// move `staging` and compute drift; what decides which version serves everyone's analyses (the
// split, `production` and other aliases, health rules, inference reports) is for ADMINs.
import { z } from 'zod';
import { endingSource } from '../../../lib/asyncIterators.js';
import { audit } from '../../../lib/audit.js';
import { requireOwnerOrAdmin, requireRole, type Identity } from '../../../lib/auth/identity.js';
import type { Config } from '../../../lib/config.js';
import { badInput, notFound } from '../../../lib/errors.js';
import { metrics } from '../../../lib/metrics.js';
import { featuresOf, recentValues, recordFeatures, referenceSeed } from '../../../lib/registry/drift.js';
import {
  assessHealth,
  DEFAULT_HEALTH_RULE,
  recentOutcomes,
  recordOutcomes,
  type Health,
  type HealthRule,
} from '../../../lib/registry/health.js';
import { psiAgainst, referenceOf, type FeatureReference } from '../../../lib/registry/psi.js';
import { decodeOnnxBase64, modelOwnerId, registerVersion, requireRightToRegister } from '../../../lib/registry/registration.js';
import type { Model, ModelEvent as ModelEventRow, ModelEventKind, ModelTask, Prisma, PrismaClient } from '../../../lib/prisma.js';
import type { PubSub } from '../../../lib/pubsub.js';
import type { Redis } from '../../../lib/redis.js';
import { parseInput } from '../../../lib/validation.js';
import { modelNameSchema } from './models.js';
import { inspectOnnx } from './inspector.js';

export interface RegistryDeps {
  prisma: PrismaClient;
  redis: Redis;
  pubsub: PubSub;
  config: Config;
}

type Tx = Prisma.TransactionClient;

export const MODEL_EVENTS_CHANNEL = 'model-events';

async function findModel(db: PrismaClient | Tx, name: string): Promise<Model> {
  const model = await db.model.findUnique({ where: { name } });
  if (!model) throw notFound('model', name);
  return model;
}

async function findVersion(db: PrismaClient | Tx, model: Model, version: number, field = 'version') {
  const v = await db.modelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version } } });
  if (!v) throw badInput(`${field}: model "${model.name}" has no version ${version}`, { field });
  return v;
}

/** Records an event in the caller's transaction; the caller publishes it once that commits. */
async function event(
  tx: Tx,
  model: Model,
  kind: ModelEventKind,
  message: string,
  versionId: string | null = null,
  details?: Prisma.InputJsonValue,
) {
  return tx.modelEvent.create({ data: { modelId: model.id, versionId, kind, message, details } });
}

/** The event as live listeners receive it: the stored row plus the model's name, to filter on. */
export type PublishedModelEvent = ModelEventRow & { modelName: string };

async function publish(deps: RegistryDeps, e: ModelEventRow, model: Model) {
  // Best effort: the event is stored either way; a listener that misses it can read `events`.
  const { model: _omit, ...row } = e as ModelEventRow & { model?: unknown };
  await deps.pubsub.publish(MODEL_EVENTS_CHANNEL, { ...row, modelName: model.name });
}

/** An ANALYST may act on a model they own; an ADMIN on any. */
async function requireModelOwner(db: PrismaClient | Tx, actor: Identity, model: Model): Promise<Identity> {
  return requireOwnerOrAdmin(actor, await modelOwnerId(db, model.id), 'model');
}

/**
 * Checks the caller's role, the model name and the ownership rule (see `requireRightToRegister`)
 * before any bytes are read or inspected.
 * @returns the parsed model name
 */
export async function authorizeRegistration(deps: RegistryDeps, actor: Identity | null, rawName: string): Promise<string> {
  requireRole(actor, 'ANALYST', 'Registering a model version');
  const modelName = parseInput(modelNameSchema, rawName, 'modelName');
  await requireRightToRegister(deps.prisma, actor, modelName);
  return modelName;
}

/** Registers checked ONNX bytes as the model's next version and tells live listeners. */
export async function register(
  deps: RegistryDeps,
  actor: Identity | null,
  input: { modelName: string; task: ModelTask; bytes: Uint8Array; sha256?: string; metrics?: unknown; reference?: unknown },
) {
  const modelName = await authorizeRegistration(deps, actor, input.modelName);
  const version = await registerVersion(deps.prisma, inspectOnnx, actor, { ...input, modelName });
  const registered = await deps.prisma.modelEvent.findFirst({
    where: { versionId: version.id, kind: 'REGISTERED' },
    include: { model: true },
  });
  if (registered) await publish(deps, registered, registered.model);
  return version;
}

/** Live model events for a subscriber, optionally of one model only. */
export function modelEvents(
  deps: RegistryDeps,
  actor: Identity | null,
  modelName?: string | null,
): AsyncIterableIterator<PublishedModelEvent> {
  let events: AsyncIterableIterator<PublishedModelEvent> | undefined;
  async function* filtered(): AsyncGenerator<PublishedModelEvent> {
    requireRole(actor, 'VIEWER');
    events = deps.pubsub.subscribe<PublishedModelEvent>(MODEL_EVENTS_CHANNEL);
    try {
      for await (const e of events) if (!modelName || e.modelName === modelName) yield e;
    } finally {
      await events.return?.();
    }
  }
  // A subscriber that leaves a quiet stream lets go of the channel now, not at the next event.
  return endingSource(filtered(), () => events);
}

export const registerBase64 = (
  deps: RegistryDeps,
  actor: Identity | null,
  a: { modelName: string; task: ModelTask; onnxBase64: string; metrics?: unknown; reference?: unknown },
) => register(deps, actor, { ...a, bytes: decodeOnnxBase64(a.onnxBase64) });

const aliasSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, _ and -, starting with a letter');

/**
 * `staging` may be moved by its model's owner (or an ADMIN); every other alias only by an ADMIN —
 * `production` is what every analysis runs.
 */
async function requireAliasRight(db: PrismaClient, actor: Identity | null, modelName: string, alias: string): Promise<Identity> {
  const who = requireRole(actor, alias === 'staging' ? 'ANALYST' : 'ADMIN', `Moving the "${alias}" alias`);
  return alias === 'staging' ? requireModelOwner(db, who, await findModel(db, modelName)) : who;
}

export async function setAlias(deps: RegistryDeps, actor: Identity | null, modelName: string, rawAlias: string, version: number) {
  const alias = parseInput(aliasSchema, rawAlias, 'alias');
  const who = await requireAliasRight(deps.prisma, actor, modelName, alias);
  const { model, e } = await deps.prisma.$transaction(async (tx) => {
    const model = await findModel(tx, modelName);
    const target = await findVersion(tx, model, version);
    const current = await tx.modelAlias.findUnique({ where: { modelId_alias: { modelId: model.id, alias } } });
    if (current?.versionId === target.id) return { model, e: null };
    await tx.modelAlias.upsert({
      where: { modelId_alias: { modelId: model.id, alias } },
      create: { modelId: model.id, alias, versionId: target.id },
      update: { versionId: target.id },
    });
    await tx.modelAliasChange.create({
      data: {
        modelId: model.id,
        alias,
        fromVersionId: current?.versionId ?? null,
        toVersionId: target.id,
        reason: 'set',
        actorId: who.kind === 'user' ? who.id : null,
      },
    });
    await audit(tx, who, 'model.alias', { type: 'Model', id: model.id }, { alias, version });
    return { model, e: await event(tx, model, 'ALIAS_MOVED', `${alias} → version ${version}`, target.id, { alias, version }) };
  });
  if (e) await publish(deps, e, model);
  return model;
}

/** Moves an alias back to the version it pointed at before its last move. */
export async function rollbackAlias(deps: RegistryDeps, actor: Identity | null, modelName: string, alias: string) {
  const who = await requireAliasRight(deps.prisma, actor, modelName, alias);
  const { model, e } = await deps.prisma.$transaction(async (tx) => {
    const model = await findModel(tx, modelName);
    const current = await tx.modelAlias.findUnique({ where: { modelId_alias: { modelId: model.id, alias } } });
    if (!current) throw badInput(`alias: model "${modelName}" has no alias "${alias}"`, { field: 'alias' });
    const last = await tx.modelAliasChange.findFirst({
      where: { modelId: model.id, alias, toVersionId: current.versionId },
      orderBy: { createdAt: 'desc' },
    });
    if (!last?.fromVersionId) throw badInput(`alias: "${alias}" has no earlier version to roll back to`, { field: 'alias' });
    await tx.modelAlias.update({ where: { id: current.id }, data: { versionId: last.fromVersionId } });
    await tx.modelAliasChange.create({
      data: {
        modelId: model.id,
        alias,
        fromVersionId: current.versionId,
        toVersionId: last.fromVersionId,
        reason: 'rollback',
        actorId: who.kind === 'user' ? who.id : null,
      },
    });
    const to = await tx.modelVersion.findUniqueOrThrow({ where: { id: last.fromVersionId } });
    await audit(tx, who, 'model.rollback', { type: 'Model', id: model.id }, { alias, version: to.version });
    return {
      model,
      e: await event(tx, model, 'ROLLBACK', `${alias} rolled back to version ${to.version}`, to.id, { alias, version: to.version }),
    };
  });
  await publish(deps, e, model);
  return model;
}

const weightsSchema = z
  .array(
    z.object({ version: z.number().int().positive(), weight: z.number().int().min(0, 'must be 0 to 100').max(100, 'must be 0 to 100') }),
  )
  .min(1, 'name at least one version')
  .superRefine((ws, ctx) => {
    const sum = ws.reduce((s, w) => s + w.weight, 0);
    if (sum !== 100) ctx.addIssue({ code: 'custom', message: `weights must sum to 100, not ${sum}` });
    const seen = new Set<number>();
    ws.forEach((w, i) => {
      if (seen.has(w.version)) ctx.addIssue({ code: 'custom', path: [i, 'version'], message: `version ${w.version} appears twice` });
      seen.add(w.version);
    });
  });

async function replaceSplit(tx: Tx, model: Model, weights: Array<{ versionId: string; weight: number }>) {
  await tx.trafficWeight.deleteMany({ where: { modelId: model.id } });
  await tx.trafficWeight.createMany({ data: weights.filter((w) => w.weight > 0).map((w) => ({ modelId: model.id, ...w })) });
}

export async function setSplit(deps: RegistryDeps, actor: Identity | null, modelName: string, rawWeights: unknown) {
  const who = requireRole(actor, 'ADMIN', 'Setting a traffic split');
  const weights = parseInput(weightsSchema, rawWeights, 'weights');
  const { model, e } = await deps.prisma.$transaction(async (tx) => {
    const model = await findModel(tx, modelName);
    const resolved = [];
    for (const [i, w] of weights.entries())
      resolved.push({ versionId: (await findVersion(tx, model, w.version, `weights.${i}.version`)).id, weight: w.weight });
    await replaceSplit(tx, model, resolved);
    await audit(tx, who, 'model.split', { type: 'Model', id: model.id }, { weights });
    const text = weights.map((w) => `v${w.version} ${w.weight}%`).join(', ');
    return { model, e: await event(tx, model, 'SPLIT_CHANGED', `traffic split: ${text}`, null, { weights }) };
  });
  await publish(deps, e, model);
  return model;
}

const ruleSchema = z.object({
  maxErrorRate: z.number().min(0).max(1),
  maxP95Ms: z.number().positive(),
  window: z.number().int().min(1).max(1000),
  minCalls: z.number().int().min(1),
});

export function healthRuleOf(model: Model): HealthRule {
  return { ...DEFAULT_HEALTH_RULE, ...((model.healthRule as Partial<HealthRule> | null) ?? {}) };
}

export async function setHealthRule(deps: RegistryDeps, actor: Identity | null, modelName: string, raw: unknown) {
  const who = requireRole(actor, 'ADMIN', 'Setting a health rule');
  const rule = parseInput(ruleSchema, raw, 'rule');
  const model = await findModel(deps.prisma, modelName);
  return deps.prisma.$transaction(async (tx) => {
    await audit(tx, who, 'model.healthRule', { type: 'Model', id: model.id }, rule);
    return tx.model.update({ where: { id: model.id }, data: { healthRule: rule } });
  });
}

const reportsSchema = z
  .array(
    z.object({
      ok: z.boolean(),
      latencyMs: z.number().min(0),
      features: z.record(z.string(), z.number()).nullish(),
    }),
  )
  .min(1)
  .max(10_000);

/**
 * Records inference outcomes (and inputs, for drift) of one version, then judges the version by
 * its model's health rule. A failing version that carries traffic beside another is removed from
 * the split, and the last good version takes all of it. ADMINs only — users, or API keys with the
 * ADMIN role for services that serve models: invented failures would move everyone's traffic.
 */
export async function reportInferences(deps: RegistryDeps, actor: Identity | null, modelName: string, version: number, raw: unknown) {
  requireRole(actor, 'ADMIN', 'Reporting inferences');
  const reports = parseInput(reportsSchema, raw, 'reports');
  const model = await findModel(deps.prisma, modelName);
  const v = await findVersion(deps.prisma, model, version);
  await recordOutcomes(
    deps.redis,
    v.id,
    reports.map((r) => ({ ok: r.ok, latencyMs: r.latencyMs })),
  );
  const features = reports.flatMap((r) => (r.features ? [r.features] : []));
  if (features.length) await recordFeatures(deps.redis, v.id, features);
  const rule = healthRuleOf(model);
  const health = assessHealth(await recentOutcomes(deps.redis, v.id, rule.window), rule);
  const rolledBack = health.healthy ? null : await rollbackFailing(deps, model, v.id, health);
  return { ...health, version: v, rolledBackTo: rolledBack };
}

async function rollbackFailing(deps: RegistryDeps, model: Model, failingId: string, health: Health) {
  const result = await deps.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Model" WHERE id = ${model.id}::uuid FOR UPDATE`;
    const split = await tx.trafficWeight.findMany({ where: { modelId: model.id }, include: { version: true } });
    const failing = split.find((w) => w.versionId === failingId);
    const others = split.filter((w) => w.versionId !== failingId);
    if (!failing || others.length === 0) return null; // nothing to move traffic to
    // The last good version: production when it is in the split and healthy, else the heaviest other.
    const production = await tx.modelAlias.findUnique({ where: { modelId_alias: { modelId: model.id, alias: 'production' } } });
    const good = others.find((w) => w.versionId === production?.versionId) ?? [...others].sort((a, b) => b.weight - a.weight)[0]!;
    await replaceSplit(tx, model, [{ versionId: good.versionId, weight: 100 }]);
    const message = `version ${failing.version.version} removed from the split (${health.reason}); version ${good.version.version} takes 100%`;
    await audit(
      tx,
      null,
      'model.autoRollback',
      { type: 'Model', id: model.id },
      { from: failing.version.version, to: good.version.version, reason: health.reason },
    );
    const e = await event(tx, model, 'ROLLBACK', message, failing.versionId, {
      from: failing.version.version,
      to: good.version.version,
      reason: health.reason,
    });
    return { e, to: good.version };
  });
  if (!result) return null;
  await publish(deps, result.e, model);
  return result.to;
}

/**
 * PSI of each input feature: the version's reference (from registration, else its first inputs)
 * against its most recent inputs. Stores a DriftReport per feature; drift emits an event.
 */
export async function computeDrift(deps: RegistryDeps, versionId: string, { window = 1000, minSamples = 100 } = {}) {
  const v = await deps.prisma.modelVersion.findUniqueOrThrow({ where: { id: versionId }, include: { model: true } });
  const references = { ...((v.reference as Record<string, FeatureReference> | null) ?? {}) };
  let learned = false;
  for (const feature of await featuresOf(deps.redis, v.id)) {
    if (references[feature]) continue;
    const seed = await referenceSeed(deps.redis, v.id, feature);
    if (seed) {
      references[feature] = referenceOf(seed);
      learned = true;
    }
  }
  if (learned)
    await deps.prisma.modelVersion.update({ where: { id: v.id }, data: { reference: references as unknown as Prisma.InputJsonValue } });
  const threshold = deps.config.models.driftPsiThreshold;
  const reports: Prisma.DriftReportUncheckedCreateInput[] = [];
  for (const [feature, reference] of Object.entries(references)) {
    const recent = await recentValues(deps.redis, v.id, feature, window);
    if (recent.values.length < minSamples) continue;
    const value = psiAgainst(reference, recent.values);
    reports.push({
      versionId: v.id,
      feature,
      psi: value,
      drifted: value > threshold,
      threshold,
      windowStart: recent.oldest,
      windowEnd: recent.newest,
    });
  }
  if (reports.length === 0) return [];
  const stored = await deps.prisma.$transaction(async (tx) => {
    const rows = [];
    for (const r of reports) rows.push(await tx.driftReport.create({ data: r }));
    const drifted = reports.filter((r) => r.drifted);
    const e = drifted.length
      ? await event(
          tx,
          v.model,
          'DRIFT',
          `version ${v.version} drifted: ${drifted.map((r) => `${r.feature} PSI ${Number(r.psi).toFixed(3)}`).join(', ')} (> ${threshold})`,
          v.id,
          { features: drifted.map((r) => ({ feature: r.feature, psi: r.psi })) },
        )
      : null;
    return { rows, e };
  });
  if (stored.e) {
    metrics.driftEvents.inc({ model: v.model.name, version: String(v.version) });
    await publish(deps, stored.e, v.model);
  }
  return stored.rows;
}

/**
 * `computeDrift` on request: the model's owner or an ADMIN. It writes drift reports and events
 * every listener sees, and fixes a learned reference, so it is not for every ANALYST.
 */
export async function computeDriftFor(deps: RegistryDeps, actor: Identity | null, modelName: string, version: number) {
  const who = requireRole(actor, 'ANALYST', 'Computing drift');
  const model = await findModel(deps.prisma, modelName);
  await requireModelOwner(deps.prisma, who, model);
  return computeDrift(deps, (await findVersion(deps.prisma, model, version)).id);
}

/** Drift for every version that has seen inputs recently; run on a timer by the registry. */
export async function computeAllDrift(deps: RegistryDeps): Promise<number> {
  const versions = await deps.prisma.modelVersion.findMany({ select: { id: true } });
  let reports = 0;
  for (const { id } of versions) {
    if ((await featuresOf(deps.redis, id)).length === 0) continue;
    reports += (await computeDrift(deps, id)).length;
  }
  return reports;
}

export type ModelHealthResult = Awaited<ReturnType<typeof reportInferences>>;

/**
 * Judges every version that carries traffic beside another, from the outcomes the workers
 * recorded; a failing one is rolled back as `reportInferences` would. Run on a timer.
 * @returns how many versions were rolled back
 */
export async function evaluateSplits(deps: RegistryDeps): Promise<number> {
  const models = await deps.prisma.model.findMany({ where: { trafficSplit: { some: {} } }, include: { trafficSplit: true } });
  let rolledBack = 0;
  for (const model of models) {
    if (model.trafficSplit.length < 2) continue;
    const rule = healthRuleOf(model);
    for (const w of model.trafficSplit) {
      const health = assessHealth(await recentOutcomes(deps.redis, w.versionId, rule.window), rule);
      if (!health.healthy && (await rollbackFailing(deps, model, w.versionId, health))) {
        rolledBack++;
        break; // the split changed: judge this model again next time
      }
    }
  }
  return rolledBack;
}
