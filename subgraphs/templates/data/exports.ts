// Download links: `exportReport` answers a URL of the export that works without credentials until
// EXPORT_LINK_TTL_SECONDS pass — a browser link or a `curl -O`, acting as the caller who asked for
// it. The link is bound to its template, format and parameters; when it is used, its maker must
// still be enabled (a disabled user's or revoked key's links die with them).
import { requireRole, type Identity } from '../../../lib/auth/identity.js';
import { ErrorCode, ReportGraphError, unauthenticated } from '../../../lib/errors.js';
import type { PrismaClient } from '../../../lib/prisma.js';
import { FORMATS, type ExportFormat } from '../export/formats.js';
import { exportUrl, paramsDigest, signLink, subjectOf, verifyLink, type LinkPurpose, type LinkSubject } from './links.js';
import { bindParameters } from './render.js';
import { currentIdentity, declared, liveTemplate, type ReportDeps } from './reports.js';

/** What a download link is for: a template's export (`t`) or a stored run's (`r`), in format `f`. */
export interface DownloadClaims {
  sub: LinkSubject;
  /** Template id (`export`) or run id (`run-export`). */
  id: string;
  f: ExportFormat;
  /** The parameters' digest (template exports only). */
  p?: string;
  exp: number;
}

/** `exportReport`: a signed download URL of the report with `params` in `format`. */
export async function exportReportLink(
  deps: ReportDeps,
  actor: Identity | null,
  templateId: string,
  rawParams: unknown,
  format: ExportFormat,
  now = Date.now(),
): Promise<string> {
  const who = requireRole(actor, 'VIEWER');
  const template = await liveTemplate(deps.prisma, templateId);
  const params = bindParameters(declared(template), rawParams);
  const { publicUrl, linkSecret, exportLinkTtlSeconds } = deps.config.reports;
  const claims: DownloadClaims = {
    sub: subjectOf(who),
    id: template.id,
    f: format,
    p: paramsDigest(params),
    exp: now + exportLinkTtlSeconds * 1000,
  };
  return exportUrl(publicUrl, template.id, FORMATS[format].ext, params, signLink('export', claims, linkSecret));
}

const linkRefused = (message: string) => new ReportGraphError(ErrorCode.UNAUTHENTICATED, message);

/**
 * The caller of a download by link: the link must be one this deployment signed for `purpose`,
 * unexpired, for this very template or run, format and parameters. UNAUTHENTICATED otherwise.
 */
export async function linkCaller(
  prisma: PrismaClient,
  secret: string,
  sig: string,
  purpose: LinkPurpose,
  expected: { id: string; format: ExportFormat; params?: Record<string, unknown> },
  now = Date.now(),
): Promise<Identity> {
  const check = verifyLink<DownloadClaims>(purpose, sig, secret, now);
  if (!check.ok)
    throw linkRefused(check.reason === 'expired' ? 'This download link has expired: ask for a new one' : 'Not a valid download link');
  const { claims } = check;
  const sameParams = expected.params === undefined || claims.p === paramsDigest(expected.params);
  if (claims.id !== expected.id || claims.f !== expected.format || !sameParams) {
    throw linkRefused('This download link is for another report, format or parameters');
  }
  const identity = await currentIdentity(prisma, claims.sub);
  if (!identity) throw unauthenticated('The account that made this link is disabled or gone');
  return identity;
}
