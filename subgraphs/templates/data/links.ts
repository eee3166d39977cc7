// Links people follow: the web app's page of a report with its parameters, download links that
// work without credentials for a while (the caller who made them, one report, one format, one set
// of parameters), and public snapshot links. Links are signed with LINK_SECRET (HMAC-SHA256 over
// the link's purpose and claims): changing any part of one — the template, the format, a
// parameter, the expiry — makes it a link nobody issued.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Identity } from '../../../lib/auth/identity.js';
import { badInput } from '../../../lib/errors.js';
import type { Parameter } from './sections.js';

/** What a link is for; part of what is signed, so one kind of link never passes for another. */
export type LinkPurpose = 'export' | 'run-export' | 'snapshot';

const mac = (purpose: LinkPurpose, payload: string, secret: string) =>
  createHmac('sha256', secret).update(`${purpose}.${payload}`).digest('base64url');

/** `base64url(claims).signature`, valid until `exp` (ms since the epoch). */
export function signLink<T extends object>(purpose: LinkPurpose, claims: T & { exp: number }, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(purpose, payload, secret)}`;
}

export type LinkCheck<T> = { ok: true; claims: T } | { ok: false; reason: 'forged' | 'expired' };

/** The claims of a link this deployment signed for `purpose`, if it has not expired. */
export function verifyLink<T extends object>(purpose: LinkPurpose, token: string, secret: string, now = Date.now()): LinkCheck<T> {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'forged' };
  const expected = Buffer.from(mac(purpose, payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };
  let claims: T & { exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as T & { exp?: unknown };
  } catch {
    return { ok: false, reason: 'forged' };
  }
  if (typeof claims.exp !== 'number' || claims.exp <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

/** Parameters in a canonical order, hashed: what a download link is bound to. */
export function paramsDigest(params: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]]),
  );
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

/** Who a download link acts for: enough to check, when it is used, that they still may. */
export interface LinkSubject {
  id: string;
  kind: Identity['kind'];
  role: Identity['role'];
  name: string;
}

export const subjectOf = ({ id, kind, role, name }: Identity): LinkSubject => ({ id, kind, role, name });

/** Query names an export URL uses for itself: not parameters of the report. */
export const EXPORT_OPTIONS = ['section', 'bom', 'sig'] as const;

/**
 * A report's parameters from a query string (`?region=North&year=2025`), typed by the template's
 * declarations: numbers, booleans and dates from their text. A value that does not read as its
 * type stays text, for `bindParameters` to refuse by name; names the template does not declare
 * pass through for the same reason. Export options (`section`, `bom`, `sig`) are left out.
 */
export function paramsFromQuery(declared: Parameter[], query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(query)) {
    if ((EXPORT_OPTIONS as readonly string[]).includes(name)) continue;
    if (typeof raw !== 'string') throw badInput(`params.${name}: give it once, as text`, { field: `params.${name}` });
    const type = declared.find((p) => p.name === name)?.type;
    if ((type === 'INTEGER' || type === 'FLOAT') && raw.trim() !== '' && Number.isFinite(Number(raw))) out[name] = Number(raw);
    else if (type === 'BOOLEAN' && (raw === 'true' || raw === 'false')) out[name] = raw === 'true';
    else out[name] = raw;
  }
  return out;
}

/** The query string of bound parameters (those set), in the template's order: the inverse of `paramsFromQuery`. */
export function queryOfParams(params: Record<string, unknown>): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined) search.set(name, String(value));
  }
  return search;
}

const withQuery = (url: string, search: URLSearchParams) => (search.size > 0 ? `${url}?${search}` : url);

/** The web app's page of the report: `/reports/:templateId?<params>`. */
export function reportPageUrl(publicUrl: string, templateId: string, params: Record<string, unknown>): string {
  return withQuery(`${publicUrl}/reports/${encodeURIComponent(templateId)}`, queryOfParams(params));
}

/** `GET /api/reports/:templateId/export.<ext>?<params>[&sig=...]`. */
export function exportUrl(publicUrl: string, templateId: string, ext: string, params: Record<string, unknown>, sig?: string): string {
  const search = queryOfParams(params);
  if (sig) search.set('sig', sig);
  return withQuery(`${publicUrl}/api/reports/${encodeURIComponent(templateId)}/export.${ext}`, search);
}

/** `GET /api/reports/runs/:runId/export.<ext>?sig=...`: a stored run's report, as it was. */
export function runExportUrl(publicUrl: string, runId: string, ext: string, sig: string): string {
  return `${publicUrl}/api/reports/runs/${encodeURIComponent(runId)}/export.${ext}?sig=${encodeURIComponent(sig)}`;
}

/** `GET /api/shared/<token>` (JSON), `/print` beside it. */
export const snapshotUrl = (publicUrl: string, token: string) => `${publicUrl}/api/shared/${token}`;
