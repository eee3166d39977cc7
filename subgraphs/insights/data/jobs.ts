import { z } from 'zod';
import { audit } from '../../../lib/audit.js';
import { requireRole, type Identity } from '../../../lib/auth/identity.js';
import { currentColumns, findDataset } from '../../../lib/datasets/catalog.js';
import { badInput, conflict, forbidden, notFound } from '../../../lib/errors.js';
import { isNumeric, isTemporal, type ColumnType } from '../../../lib/datasets/tables.js';
import { AnalysisKind, Language, Priority, type AnalysisJob, type PrismaClient } from '../../../lib/prisma.js';
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
});

/**
 * Records a QUEUED analysis of the dataset's current version after checking what a worker would
 * otherwise fail on late: the dataset has data, the column is numeric, the time column is temporal.
 */
export async function createJob(prisma: PrismaClient, queue: AnalysisQueue, actor: Identity | null, raw: unknown): Promise<AnalysisJob> {
  const who = requireRole(actor, 'ANALYST', 'Running an analysis');
  const input = parseInput(runSchema, raw);
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
  const job = await prisma.$transaction(async (tx) => {
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
        createdById: who.kind === 'user' ? who.id : null,
      },
    });
    await audit(tx, who, 'analysis.run', { type: 'AnalysisJob', id: job.id }, { datasetId: dataset.id, kinds: input.kinds });
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
    throw err;
  }
  return job;
}

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
