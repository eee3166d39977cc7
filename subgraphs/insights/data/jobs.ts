import { z } from 'zod';
import { audit } from '../../../lib/audit.js';
import { requireRole, type Identity } from '../../../lib/auth/identity.js';
import { currentColumns, findDataset } from '../../../lib/datasets/catalog.js';
import type { Config } from '../../../lib/config.js';
import { badInput, conflict, ErrorCode, forbidden, notFound, ReportGraphError } from '../../../lib/errors.js';
import { isNumeric, isTemporal, type ColumnType } from '../../../lib/datasets/tables.js';
import { AnalysisKind, Language, Priority, type AnalysisJob, type Prisma, type PrismaClient } from '../../../lib/prisma.js';
import type { PubSub } from '../../../lib/pubsub.js';
import { isUuid, parseInput } from '../../../lib/validation.js';
import { progressChannel, type AnalysisQueue, type ProgressEvent } from '../queue.js';

const runSchema = z.object({
  datasetId: z.string(),
  column: z.string().min(1, 'must not be empty'),
  timeColumn: z.string().min(1).nullish(),
  kinds: z.array(z.enum(AnalysisKind)).min(1, 'must name at least one kind'),
  priority: z
    .enum(Priority)
    .nullish()
    .transform((v) => v ?? 'NORMAL'),
  horizon: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .nullish()
    .transform((v) => v ?? 12),
  language: z
    .enum(Language)
    .nullish()
    .transform((v) => v ?? 'EN'),
  dimensions: z
    .array(z.string().min(1, 'must not be empty'))
    .nullish()
    .transform((v) => [...new Set(v ?? [])]),
});

/** Column types anomaly drivers can split a series by: categories, codes, days. */
const DIMENSION_TYPES = new Set<ColumnType>(['TEXT', 'BOOLEAN', 'INTEGER', 'DATE']);

/**
 * Each named dimension reads one sub-series per value (up to ANALYSIS_MAX_DIMENSION_VALUES) around
 * every anomaly: the count is capped before anything is queued.
 */
function checkDimensionCount(dimensions: string[], max: number): void {
  if (dimensions.length <= max) return;
  throw badInput(
    `input.dimensions: ${dimensions.length} columns; an analysis explains anomalies by at most ${max} (ANALYSIS_MAX_DIMENSIONS)`,
    {
      field: 'input.dimensions',
      limit: 'ANALYSIS_MAX_DIMENSIONS',
    },
  );
}

export interface CreateJobDeps {
  prisma: PrismaClient;
  config: Pick<Config, 'quotas'>;
}

/** The rows a caller's quota counts: a user's own, or an API key's. */
const createdBy = (who: Identity) => (who.kind === 'user' ? { createdById: who.id } : { createdByKeyId: who.id });

/** URGENT jumps every queue in the deployment, so only the roles in URGENT_ROLES may ask for it. */
function checkPriority(urgentRoles: readonly string[], who: Identity, priority: Priority): void {
  if (priority !== 'URGENT' || urgentRoles.includes(who.role)) return;
  throw new ReportGraphError(
    ErrorCode.FORBIDDEN,
    `URGENT priority is for ${urgentRoles.join(', ')} (URGENT_ROLES); you are ${who.role}: ask for NORMAL or LOW`,
    { field: 'input.priority', limit: 'URGENT_ROLES' },
  );
}

/**
 * Refuses a caller who already has `limit` analyses queued or running. It runs in the transaction
 * that records the job, under a lock per caller, so a burst of requests cannot all count the same
 * total and pass together.
 */
async function holdAnalysisSlot(tx: Prisma.TransactionClient, who: Identity, limit: number): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('analysis-quota'), hashtext(${who.id}))`;
  const active = await tx.analysisJob.count({ where: { ...createdBy(who), status: { in: ['QUEUED', 'RUNNING'] } } });
  if (active < limit) return;
  throw new ReportGraphError(
    ErrorCode.FORBIDDEN,
    `You have ${active} analyses queued or running, the most one caller may have (ANALYSIS_MAX_ACTIVE_PER_USER = ${limit}): wait for one to finish or cancel one`,
    { limit: 'ANALYSIS_MAX_ACTIVE_PER_USER' },
  );
}

/** What a worker would otherwise fail on late: the dataset has data, the columns have the right types. */
async function checkDataset(prisma: PrismaClient, input: z.output<typeof runSchema>) {
  const dataset = await findDataset(prisma, input.datasetId);
  if (!dataset) throw badInput(`input.datasetId: no dataset ${input.datasetId}`, { field: 'input.datasetId' });
  if (!dataset.currentVersionId) throw badInput(`dataset "${dataset.name}" has no data yet`, { field: 'input.datasetId' });
  const columns = new Map((await currentColumns(prisma, dataset.id)).map((c) => [c.name, c.type]));
  const checkColumn = (field: 'column' | 'timeColumn', name: string, allowed: (type: ColumnType) => boolean, what: string) => {
    const type = columns.get(name);
    if (!type) throw badInput(`input.${field}: dataset "${dataset.name}" has no column "${name}"`, { field: `input.${field}` });
    if (!allowed(type)) throw badInput(`input.${field}: "${name}" is ${type}, not ${what}`, { field: `input.${field}` });
  };
  checkColumn('column', input.column, isNumeric, 'numeric');
  if (input.timeColumn) checkColumn('timeColumn', input.timeColumn, isTemporal, 'a date or timestamp');
  input.dimensions.forEach((name, i) => {
    const field = `input.dimensions.${i}`;
    const type = columns.get(name);
    if (!type) throw badInput(`${field}: dataset "${dataset.name}" has no column "${name}"`, { field });
    if (!DIMENSION_TYPES.has(type) || name === input.column || name === input.timeColumn)
      throw badInput(
        `${field}: "${name}" is ${type === 'FLOAT' || name === input.column ? 'a measure' : type}; anomalies are explained by TEXT, BOOLEAN, INTEGER or DATE columns other than the analysed ones`,
        { field },
      );
  });
  if (input.dimensions.length && !input.timeColumn)
    throw badInput('input.dimensions: drivers compare values over time; name a timeColumn too', { field: 'input.dimensions' });
  return { id: dataset.id, currentVersionId: dataset.currentVersionId };
}

/**
 * Records a QUEUED analysis of the dataset's current version and puts it on the queue, after
 * checking the caller's quota (URGENT_ROLES, ANALYSIS_MAX_ACTIVE_PER_USER) and the input. A job
 * committed but never queued (a crash in between) is put on the queue by the reconciler.
 */
export async function createJob(deps: CreateJobDeps, queue: AnalysisQueue, actor: Identity | null, raw: unknown): Promise<AnalysisJob> {
  const { prisma, config } = deps;
  const who = requireRole(actor, 'ANALYST', 'Running an analysis');
  const input = parseInput(runSchema, raw);
  checkPriority(config.quotas.urgentRoles, who, input.priority);
  checkDimensionCount(input.dimensions, config.quotas.analysisMaxDimensions);
  const dataset = await checkDataset(prisma, input);
  const job = await prisma.$transaction(async (tx) => {
    await holdAnalysisSlot(tx, who, config.quotas.analysesPerUser);
    const job = await tx.analysisJob.create({
      data: {
        datasetId: dataset.id,
        datasetVersionId: dataset.currentVersionId,
        column: input.column,
        timeColumn: input.timeColumn ?? null,
        kinds: [...new Set(input.kinds)],
        priority: input.priority,
        horizon: input.horizon,
        language: input.language,
        dimensions: input.dimensions,
        ...createdBy(who),
        queue: queue.name,
      },
    });
    await audit(
      tx,
      who,
      'analysis.run',
      { type: 'AnalysisJob', id: job.id },
      { datasetId: dataset.id, kinds: input.kinds, dimensions: input.dimensions },
    );
    return job;
  });
  try {
    await queue.add(job.id, input.priority);
  } catch (err) {
    // Not queued means it would never run: say so on the job, and to the caller.
    await prisma.analysisJob.update({
      where: { id: job.id },
      data: { status: 'FAILED', stage: 'failed', error: 'the analysis queue is unavailable', finishedAt: new Date() },
    });
    throw err instanceof ReportGraphError
      ? err
      : new ReportGraphError(ErrorCode.SERVICE_UNAVAILABLE, 'the analysis queue is unavailable; try again shortly', {
          service: 'analysis-queue',
        });
  }
  return job;
}

/** Cancels a job that has not finished: its creator or an ADMIN. */
export async function cancelJob(
  deps: { prisma: PrismaClient; pubsub: PubSub; queue(): AnalysisQueue },
  actor: Identity | null,
  id: string,
): Promise<AnalysisJob> {
  const { prisma } = deps;
  const who = requireRole(actor, 'ANALYST', 'Cancelling an analysis');
  const job = isUuid(id) ? await prisma.analysisJob.findUnique({ where: { id } }) : null;
  if (!job) throw notFound('analysis job', id);
  if (who.role !== 'ADMIN' && job.createdById !== who.id) throw forbidden('Only the creator of this analysis or an ADMIN may cancel it');
  return prisma
    .$transaction(async (tx) => {
      // Only a job that has not finished moves; the status check and the move are one statement.
      const moved = await tx.analysisJob.updateMany({
        where: { id, status: { in: ['QUEUED', 'RUNNING'] } },
        data: { status: 'CANCELLED', stage: 'cancelled', finishedAt: new Date() },
      });
      if (moved.count === 0) throw conflict(`analysis ${id} has already finished (${job.status})`);
      await audit(tx, who, 'analysis.cancel', { type: 'AnalysisJob', id });
      return tx.analysisJob.findUniqueOrThrow({ where: { id } });
    })
    .then(async (cancelled) => {
      // A queued job leaves the queue; a running one stops at its next step. Listeners hear it now.
      await deps.queue().remove(id);
      await deps.pubsub.publish(progressChannel(id), {
        jobId: id,
        status: 'CANCELLED',
        stage: 'cancelled',
        progress: cancelled.progress,
        message: 'cancelled',
        insightId: null,
      } satisfies ProgressEvent);
      return cancelled;
    });
}
