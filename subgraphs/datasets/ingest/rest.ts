// Import from a REST API returning JSON: an array of objects, or the array at `recordsPath`,
// following `Link: <…>; rel="next"` pagination. Nested objects flatten to `a.b` columns.
// Every connection is checked where it is made: private, loopback and link-local addresses are
// refused unless configured, so a hostname cannot be re-pointed at an internal service mid-import.
import dns from 'node:dns';
import net from 'node:net';
import { Agent, request } from 'undici';
import type pg from 'pg';
import type { Identity } from '../../../lib/auth/identity.js';
import { badInput } from '../../../lib/errors.js';
import {
  copyRows,
  writeVersion,
  type ColumnSpec,
  type ColumnType,
  type ProfilePolicy,
  type WrittenVersion,
} from '../../../lib/datasets/tables.js';
import type { PrismaClient } from '../../../lib/prisma.js';
import { flattenRecord } from '../../../lib/records.js';
import { fitsType } from './csvFormat.js';
import { requireWritableDataset } from './csv.js';

const MAX_PAGES = 1000;

const BLOCKED = new net.BlockList();
for (const [net4, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net4, prefix, 'ipv4');
}
for (const [net6, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net6, prefix, 'ipv6');
}

/** True for addresses that are not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return BLOCKED.check(mapped, 'ipv4');
  return BLOCKED.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4');
}

class PrivateNetworkRefused extends Error {}

function agentFor(allowPrivate: boolean, timeoutMs: number): Agent {
  const lookup: typeof dns.lookup = ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err);
      const list = addresses as dns.LookupAddress[];
      const blocked = !allowPrivate && list.find((a) => isPrivateAddress(a.address));
      if (blocked) return callback(new PrivateNetworkRefused(`${hostname} resolves to ${blocked.address}, a private address`));
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  }) as typeof dns.lookup;
  return new Agent({ connect: { lookup, timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
}

function checkUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput('url: not a URL', { field: 'url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput('url: must be http or https', { field: 'url' });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && net.isIP(host) && isPrivateAddress(host)) {
    throw badInput(`url: ${host} is a private address; imports from private networks are off (IMPORT_ALLOW_PRIVATE_NETWORKS)`, {
      field: 'url',
    });
  }
  return url;
}

/** The URL of `rel="next"` in a Link header, resolved against the page's URL. */
export function nextLink(header: string | string[] | undefined, base: URL): URL | null {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return null;
  for (const part of value.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>\s*;(.*)/.exec(part.trim());
    if (match && /(^|;)\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(match[2]!)) return new URL(match[1]!, base);
  }
  return null;
}

function inferJsonType(values: unknown[]): ColumnType {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return 'TEXT';
  if (present.every((v) => typeof v === 'number' && Number.isSafeInteger(v))) return 'INTEGER';
  if (present.every((v) => typeof v === 'number' && Number.isFinite(v))) return 'FLOAT';
  if (present.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
  if (present.every((v) => typeof v === 'string')) {
    for (const t of ['DATE', 'TIMESTAMP'] as const) if (present.every((v) => fitsType(v as string, t))) return t;
  }
  return 'TEXT';
}

const asText = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

async function fetchPage(url: URL, agent: Agent, budget: { bytes: number }): Promise<{ body: unknown; next: URL | null }> {
  let res;
  try {
    res = await request(url, { dispatcher: agent, headers: { accept: 'application/json' }, maxRedirections: 0 } as Parameters<
      typeof request
    >[1]);
  } catch (err) {
    const e = err as Error & { code?: string; cause?: Error };
    if (e instanceof PrivateNetworkRefused || e.cause instanceof PrivateNetworkRefused) {
      throw badInput(`url: ${(e.cause ?? e).message}; imports from private networks are off (IMPORT_ALLOW_PRIVATE_NETWORKS)`, {
        field: 'url',
      });
    }
    const timedOut = /Timeout/i.test(e.name) || /TIMEOUT/.test(e.code ?? '');
    throw badInput(
      `url: ${url.origin}${url.pathname} ${timedOut ? 'did not answer in time' : `could not be reached (${e.code ?? e.message})`}`,
      { field: 'url' },
    );
  }
  const type = String(res.headers['content-type'] ?? '');
  if (res.statusCode >= 400) {
    await res.body.dump();
    throw badInput(`url: ${url.origin}${url.pathname} answered HTTP ${res.statusCode}`, { field: 'url' });
  }
  if (!/\bjson\b/i.test(type)) {
    await res.body.dump();
    throw badInput(`url: ${url.origin}${url.pathname} returned ${type.split(';')[0] || 'no content type'}, not JSON`, { field: 'url' });
  }
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of res.body) {
      budget.bytes -= chunk.length;
      if (budget.bytes < 0) throw badInput('url: the response is larger than the import limit (IMPORT_MAX_BYTES)', { field: 'url' });
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if ((err as Error).name === 'GraphQLError' || (err as { extensions?: unknown }).extensions) throw err;
    throw badInput(`url: reading the response failed (${(err as Error).message})`, { field: 'url' });
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw badInput(`url: the response is not valid JSON (${(err as Error).message})`, { field: 'url' });
  }
  return { body, next: nextLink(res.headers.link, url) };
}

function recordsAt(body: unknown, recordsPath: string | null | undefined, page: number): Record<string, unknown>[] {
  let value = body;
  if (recordsPath) {
    for (const key of recordsPath.split('.'))
      value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  if (!Array.isArray(value)) {
    throw badInput(
      recordsPath
        ? `recordsPath: "${recordsPath}" is not an array in page ${page}`
        : `url: page ${page} is not a JSON array; give recordsPath`,
      {
        field: recordsPath ? 'recordsPath' : 'url',
      },
    );
  }
  return value.map((r, i) => {
    if (!r || typeof r !== 'object' || Array.isArray(r))
      throw badInput(`url: record ${i + 1} of page ${page} is not an object`, { field: 'url' });
    return r as Record<string, unknown>;
  });
}

export async function importFromRest(
  deps: { prisma: PrismaClient; pool: pg.Pool },
  actor: Identity | null,
  datasetId: string,
  rawUrl: string,
  recordsPath: string | null | undefined,
  { allowPrivate, timeoutMs, maxBytes, ...policy }: { allowPrivate: boolean; timeoutMs: number; maxBytes: number } & ProfilePolicy,
): Promise<WrittenVersion> {
  const { who } = await requireWritableDataset(deps.prisma, actor, datasetId);
  let url: URL | null = checkUrl(rawUrl, allowPrivate);
  const agent = agentFor(allowPrivate, timeoutMs);
  const records: Record<string, unknown>[] = [];
  const budget = { bytes: maxBytes };
  const deadline = AbortSignal.timeout(timeoutMs * 4);
  let pages = 0;
  try {
    while (url && pages < MAX_PAGES) {
      if (deadline.aborted) throw badInput('url: the import took longer than its time limit', { field: 'url' });
      pages++;
      const page = await fetchPage(url, agent, budget);
      for (const r of recordsAt(page.body, recordsPath, pages)) records.push(flattenRecord(r));
      url = page.next ? checkUrl(page.next.toString(), allowPrivate) : null;
    }
  } finally {
    await agent.close();
  }
  if (records.length === 0) throw badInput('url: no records', { field: 'url' });
  const names = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const columns: ColumnSpec[] = names.map((name) => ({ name, type: inferJsonType(records.map((r) => r[name])) }));
  return writeVersion(deps.pool, {
    datasetId,
    actor: who,
    sourceKind: 'REST',
    source: { url: rawUrl.replace(/\/\/[^@/]*@/, '//'), recordsPath: recordsPath ?? null, pages },
    columns,
    ...policy,
    load: (client, table) =>
      copyRows(
        client,
        table,
        columns,
        records.map((r) => columns.map((c) => (c.type === 'TEXT' ? asText(r[c.name]) : (r[c.name] ?? null)))),
      ),
  });
}
