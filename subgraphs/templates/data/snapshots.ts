// Public, read-only snapshot links: a report frozen as it rendered when the link was made, served
// without signing in until the link expires (at most SNAPSHOT_LINK_MAX_HOURS) or is revoked. The
// link is signed (LINK_SECRET) over the snapshot's id and expiry, so a guessed or altered link is
// refused before any lookup; the stored row decides revocation. An ADMIN can turn every link off
// (`setSnapshotLinksEnabled`), and the operator can forbid them (SNAPSHOT_LINKS=false). A
// snapshot never renders on a stranger's request: it serves what was stored.
import { audit } from '../../../lib/audit.js';
import { requireRole, type Identity } from '../../../lib/auth/identity.js';
import type { Config } from '../../../lib/config.js';
import { badInput, ErrorCode, forbidden, notFound, ReportGraphError } from '../../../lib/errors.js';
import { page } from '../../../lib/graphql/pagination.js';
import type { Prisma, PrismaClient, SnapshotLink } from '../../../lib/prisma.js';
import { isUuid } from '../../../lib/validation.js';
import { dataVersionOf } from '../export/sources.js';
import type { DataVersion } from '../export/document.js';
import { signLink, snapshotUrl, verifyLink } from './links.js';
import type { RenderedReport } from './render.js';
import { createdBy, hotReport, liveTemplate, makerActive, type ReportDeps } from './reports.js';
import type { ReportHeads } from './reportHeads.js';

/** A snapshot link's lifetime when none is asked for: a week. */
const DEFAULT_HOURS = 7 * 24;

/** The RuntimeSetting row of the ADMIN's switch. */
const SWITCH = 'snapshotLinks';

/** What a snapshot stores and serves. */
export interface Snapshot {
  name: string;
  report: RenderedReport;
  dataVersion: DataVersion | null;
}

/** Whether snapshot links work now: the operator allows them and no ADMIN turned them off. */
export async function snapshotLinksEnabled(prisma: PrismaClient, config: Config): Promise<boolean> {
  if (!config.reports.snapshots.enabled) return false;
  const row = await prisma.runtimeSetting.findUnique({ where: { key: SWITCH } });
  return row?.value !== false;
}

/** `setSnapshotLinksEnabled`: ADMIN only; answers whether links work now. */
export async function setSnapshotLinksEnabled(prisma: PrismaClient, config: Config, actor: Identity | null, enabled: boolean) {
  const who = requireRole(actor, 'ADMIN', 'Turning snapshot links on or off');
  if (enabled && !config.reports.snapshots.enabled) {
    throw badInput('enabled: the operator turned snapshot links off for this deployment (SNAPSHOT_LINKS=false)', { field: 'enabled' });
  }
  await prisma.$transaction(async (tx) => {
    const updatedById = who.kind === 'user' ? who.id : null;
    await tx.runtimeSetting.upsert({
      where: { key: SWITCH },
      create: { key: SWITCH, value: enabled, updatedById },
      update: { value: enabled, updatedById },
    });
    await audit(tx, who, enabled ? 'snapshot-links.enable' : 'snapshot-links.disable', { type: 'RuntimeSetting', id: SWITCH });
  });
  return snapshotLinksEnabled(prisma, config);
}

/** The public URL of a snapshot link. */
export const snapshotLinkUrl = (config: Config, link: Pick<SnapshotLink, 'id' | 'expiresAt'>) =>
  snapshotUrl(config.reports.publicUrl, signLink('snapshot', { s: link.id, exp: link.expiresAt.getTime() }, config.reports.linkSecret));

/** Refuses a maker who already holds SNAPSHOT_LINKS_PER_USER live links (under a lock per maker, as schedules are). */
async function holdLinkSlot(tx: Prisma.TransactionClient, who: Identity, limit: number, now: Date): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('snapshot-links'), hashtext(${who.id}))`;
  const live = await tx.snapshotLink.count({ where: { ...createdBy(who), revokedAt: null, expiresAt: { gt: now } } });
  if (live < limit) return;
  throw new ReportGraphError(
    ErrorCode.FORBIDDEN,
    `You have ${live} live snapshot links, the most one caller may have (SNAPSHOT_LINKS_PER_USER = ${limit}): revoke some first`,
    { limit: 'SNAPSHOT_LINKS_PER_USER' },
  );
}

/**
 * `createSnapshotLink`: renders the report (or takes it from the hot-report cache) and stores it
 * as the link's snapshot. ANALYST or ADMIN: a link shows the report to anyone who has it.
 */
export async function createSnapshotLink(
  deps: ReportDeps & { reportHeads: ReportHeads },
  actor: Identity | null,
  templateId: string,
  rawParams: unknown,
  hours: number | null | undefined,
  now = new Date(),
) {
  const who = requireRole(actor, 'ANALYST', 'Sharing a report publicly');
  const { maxHours, perUser, maxBytes } = deps.config.reports.snapshots;
  const expiresInHours = hours ?? Math.min(DEFAULT_HOURS, maxHours);
  if (!(await snapshotLinksEnabled(deps.prisma, deps.config))) throw forbidden('Public snapshot links are turned off on this server');
  if (!Number.isInteger(expiresInHours) || expiresInHours < 1 || expiresInHours > maxHours) {
    throw badInput(`expiresInHours: between 1 and ${maxHours} (SNAPSHOT_LINK_MAX_HOURS)`, {
      field: 'expiresInHours',
      limit: 'SNAPSHOT_LINK_MAX_HOURS',
    });
  }
  const template = await liveTemplate(deps.prisma, templateId);
  const { report, dataVersionId } = await hotReport(deps, who, template.id, rawParams);
  const snapshot: Snapshot = {
    name: template.name,
    report: { ...report, cached: false },
    dataVersion: await dataVersionOf(deps.prisma, dataVersionId),
  };
  const bytes = Buffer.byteLength(JSON.stringify(snapshot));
  if (bytes > maxBytes) {
    throw badInput(
      `the report is ${bytes} bytes; a snapshot holds at most ${maxBytes} (SNAPSHOT_MAX_BYTES): share it with filters or a limit`,
      {
        field: 'params',
        limit: 'SNAPSHOT_MAX_BYTES',
      },
    );
  }
  return deps.prisma.$transaction(async (tx) => {
    await holdLinkSlot(tx, who, perUser, now);
    const link = await tx.snapshotLink.create({
      data: {
        templateId: template.id,
        params: report.params as Prisma.InputJsonValue,
        snapshot: snapshot as unknown as Prisma.InputJsonValue,
        expiresAt: new Date(now.getTime() + expiresInHours * 3600_000),
        ...createdBy(who),
      },
    });
    await audit(tx, who, 'snapshot-link.create', { type: 'SnapshotLink', id: link.id }, { templateId: template.id, expiresInHours });
    return link;
  });
}

const mine = (who: Identity): Prisma.SnapshotLinkWhereInput => (who.role === 'ADMIN' ? {} : createdBy(who));

/** `snapshotLinks`: the caller's links (every one for an ADMIN), newest first. */
export function listSnapshotLinks(
  prisma: PrismaClient,
  actor: Identity | null,
  args: { templateId?: string | null; limit?: number | null; offset?: number | null },
) {
  const who = requireRole(actor, 'VIEWER');
  if (args.templateId && !isUuid(args.templateId)) return [];
  return prisma.snapshotLink.findMany({
    where: { ...mine(who), ...(args.templateId ? { templateId: args.templateId } : {}) },
    orderBy: { createdAt: 'desc' },
    ...page(args),
  });
}

/** `revokeSnapshotLink`: its maker or an ADMIN; the link stops working at once. */
export async function revokeSnapshotLink(prisma: PrismaClient, actor: Identity | null, id: string, now = new Date()): Promise<boolean> {
  const who = requireRole(actor, 'ANALYST', 'Revoking a snapshot link');
  const link = isUuid(id) ? await prisma.snapshotLink.findFirst({ where: { id, ...mine(who) } }) : null;
  if (!link) throw notFound('snapshot link', id);
  await prisma.$transaction(async (tx) => {
    await tx.snapshotLink.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
    await audit(tx, who, 'snapshot-link.revoke', { type: 'SnapshotLink', id });
  });
  return true;
}

/** A link that existed and works no more: HTTP 410, so a reader knows not to try again. */
const gone = (message: string) => new ReportGraphError(ErrorCode.NOT_FOUND, message, {}, 410);

/**
 * The snapshot behind a public link, for anyone holding it. NOT_FOUND (404) for a link this
 * deployment never signed; 410 for one expired or revoked, or whose report was deleted;
 * FORBIDDEN while snapshot links are off.
 */
export async function openSnapshot(
  prisma: PrismaClient,
  config: Config,
  token: string,
  now = new Date(),
): Promise<Snapshot & { expiresAt: Date }> {
  const check = verifyLink<{ s: string; exp: number }>('snapshot', token, config.reports.linkSecret, now.getTime());
  if (!check.ok && check.reason === 'forged') throw new ReportGraphError(ErrorCode.NOT_FOUND, 'No such snapshot link');
  if (!(await snapshotLinksEnabled(prisma, config))) throw forbidden('Public snapshot links are turned off on this server');
  if (!check.ok) throw gone('This snapshot link has expired');
  const link = isUuid(check.claims.s)
    ? await prisma.snapshotLink.findUnique({ where: { id: check.claims.s }, include: { template: true } })
    : null;
  if (!link) throw new ReportGraphError(ErrorCode.NOT_FOUND, 'No such snapshot link');
  if (link.revokedAt) throw gone('This snapshot link was revoked');
  if (link.expiresAt <= now) throw gone('This snapshot link has expired');
  if (link.template.deletedAt) throw gone('The report of this snapshot link was deleted');
  // A link shows data in its maker's name: it stops with their access.
  if (!(await makerActive(prisma, link))) throw gone('This snapshot link is no longer available');
  return { ...(link.snapshot as unknown as Snapshot), expiresAt: link.expiresAt };
}
