// Import from a REST API returning JSON: an array of objects, or the array at `recordsPath`,
// following `Link: <…>; rel="next"` pagination. Nested objects flatten to `a.b` columns.
// Every connection obeys the outbound network policy (lib/network.ts), checked where it is made,
// so a hostname cannot be re-pointed at an internal service mid-import. The shape of the records
// is bounded while they are collected — distinct fields, nesting depth, record count — so a
// hostile answer is refused before any work scales with columns × records. The stored source URL
// keeps no credential.
import type pg from 'pg';
import type { Agent } from 'undici';
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
import { guardedAgent, PrivateAddressRefused, redactSecrets, undici } from '../../../lib/network.js';
import type { PrismaClient } from '../../../lib/prisma.js';
import { fitsType } from './csvFormat.js';
import { requireWritableDataset } from './csv.js';

const MAX_PAGES = 1000;
/** PostgreSQL's limit on a table's columns: more distinct fields can never load. */
export const REST_MAX_COLUMNS = 1600;
/** Deepest object nesting flattened to columns. */
export const REST_MAX_DEPTH = 32;
/** Most records one import brings across. */
export const REST_MAX_RECORDS = 10_000_000;

const PRIVATE_OFF = 'imports from private networks are off (IMPORT_ALLOW_PRIVATE_NETWORKS)';

function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput('url: not a URL', { field: 'url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput('url: must be http or https', { field: 'url' });
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

/** What the values seen so far in one column allow it to be; narrowed value by value. */
interface TypeEvidence {
  present: boolean;
  integer: boolean;
  float: boolean;
  boolean: boolean;
  date: boolean;
  timestamp: boolean;
}

const noEvidence = (): TypeEvidence => ({ present: false, integer: true, float: true, boolean: true, date: true, timestamp: true });

function observe(e: TypeEvidence, v: unknown): void {
  if (v === null || v === undefined) return;
  e.present = true;
  e.integer &&= typeof v === 'number' && Number.isSafeInteger(v);
  e.float &&= typeof v === 'number' && Number.isFinite(v);
  e.boolean &&= typeof v === 'boolean';
  e.date &&= typeof v === 'string' && fitsType(v, 'DATE');
  e.timestamp &&= typeof v === 'string' && fitsType(v, 'TIMESTAMP');
}

function columnType(e: TypeEvidence): ColumnType {
  if (!e.present) return 'TEXT';
  if (e.integer) return 'INTEGER';
  if (e.float) return 'FLOAT';
  if (e.boolean) return 'BOOLEAN';
  if (e.date) return 'DATE';
  if (e.timestamp) return 'TIMESTAMP';
  return 'TEXT';
}

/**
 * The records collected so far, flattened, with each column's type evidence. Limits are checked
 * as each field is met, so a record with 100,000 keys fails at the 1,601st, not after.
 */
class RecordSet {
  readonly records: Record<string, unknown>[] = [];
  readonly columns = new Map<string, TypeEvidence>();

  add(record: Record<string, unknown>): void {
    if (this.records.length >= REST_MAX_RECORDS) {
      throw badInput(`url: more than ${REST_MAX_RECORDS} records; import them in parts`, { field: 'url' });
    }
    this.records.push(this.flatten(record, '', 1, {}));
  }

  private flatten(record: Record<string, unknown>, prefix: string, depth: number, out: Record<string, unknown>) {
    if (depth > REST_MAX_DEPTH) {
      throw badInput(`url: records nest objects deeper than ${REST_MAX_DEPTH} levels`, { field: 'url' });
    }
    for (const key of Object.keys(record)) {
      const value = record[key];
      const name = prefix ? `${prefix}.${key}` : key;
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        this.flatten(value as Record<string, unknown>, name, depth + 1, out);
      } else {
        observe(this.column(name), value);
        out[name] = value;
      }
    }
    return out;
  }

  private column(name: string): TypeEvidence {
    let evidence = this.columns.get(name);
    if (!evidence) {
      if (this.columns.size >= REST_MAX_COLUMNS) {
        throw badInput(
          `url: the records have more than ${REST_MAX_COLUMNS} distinct fields; PostgreSQL allows ${REST_MAX_COLUMNS} columns`,
          {
            field: 'url',
          },
        );
      }
      evidence = noEvidence();
      this.columns.set(name, evidence);
    }
    return evidence;
  }

  columnSpecs(): ColumnSpec[] {
    return [...this.columns].map(([name, evidence]) => ({ name, type: columnType(evidence) }));
  }
}

const asText = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

/** The records as rows in column order, made one at a time: no second copy of a large import. */
function* rowsOf(records: Record<string, unknown>[], columns: ColumnSpec[]): Iterable<unknown[]> {
  for (const r of records) yield columns.map((c) => (c.type === 'TEXT' ? asText(r[c.name]) : (r[c.name] ?? null)));
}

/** Where a page could not be fetched, said without the query string (it may carry a key). */
function fetchError(err: unknown, url: URL) {
  const e = err as Error & { code?: string; cause?: unknown };
  if (e instanceof PrivateAddressRefused || e.cause instanceof PrivateAddressRefused) {
    return badInput(`url: refused: ${url.hostname} is a private address; ${PRIVATE_OFF}`, { field: 'url' });
  }
  const timedOut = /Timeout/i.test(e.name) || /TIMEOUT/.test(e.code ?? '');
  // One message for every other failure: the reason (refused, reset, not found) would let a
  // caller map which hosts and ports answer.
  return badInput(`url: ${url.origin}${url.pathname} ${timedOut ? 'did not answer in time' : 'could not be reached'}`, { field: 'url' });
}

async function readBody(body: AsyncIterable<Buffer>, budget: { bytes: number }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of body) {
      budget.bytes -= chunk.length;
      if (budget.bytes < 0) throw badInput('url: the response is larger than the import limit (IMPORT_MAX_BYTES)', { field: 'url' });
      chunks.push(chunk);
    }
  } catch (err) {
    if ((err as { extensions?: unknown }).extensions) throw err;
    throw badInput('url: reading the response failed', { field: 'url' });
  }
  return Buffer.concat(chunks);
}

async function fetchPage(url: URL, agent: Agent, budget: { bytes: number }): Promise<{ body: unknown; next: URL | null }> {
  let res;
  try {
    const { request } = undici();
    res = await request(url, { dispatcher: agent, headers: { accept: 'application/json' }, maxRedirections: 0 } as Parameters<
      typeof request
    >[1]);
  } catch (err) {
    throw fetchError(err, url);
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
  const text = (await readBody(res.body, budget)).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
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

interface RestLimits {
  allowPrivate: boolean;
  timeoutMs: number;
  maxBytes: number;
}

/** Fetches every page (following `rel="next"`), collecting the records within the limits. */
async function collectRecords(firstUrl: URL, recordsPath: string | null | undefined, { allowPrivate, timeoutMs, maxBytes }: RestLimits) {
  const agent = guardedAgent({ allowPrivate, timeoutMs });
  const records = new RecordSet();
  const budget = { bytes: maxBytes };
  const deadline = AbortSignal.timeout(timeoutMs * 4);
  let url: URL | null = firstUrl;
  let pages = 0;
  try {
    while (url && pages < MAX_PAGES) {
      if (deadline.aborted) throw badInput('url: the import took longer than its time limit', { field: 'url' });
      pages++;
      const page = await fetchPage(url, agent, budget);
      for (const r of recordsAt(page.body, recordsPath, pages)) records.add(r);
      url = page.next ? checkUrl(page.next.toString()) : null;
    }
  } finally {
    await agent.close();
  }
  return { records, pages };
}

/**
 * `importFromRest`: reads the records into a new version of the dataset.
 * @param limits `allowPrivate` (IMPORT_ALLOW_PRIVATE_NETWORKS), `timeoutMs` per request (the whole
 *   import gets four times it), `maxBytes` over all pages (IMPORT_MAX_BYTES)
 */
export async function importFromRest(
  deps: { prisma: PrismaClient; ingestPool: pg.Pool },
  actor: Identity | null,
  datasetId: string,
  rawUrl: string,
  recordsPath: string | null | undefined,
  { allowPrivate, timeoutMs, maxBytes, ...policy }: RestLimits & ProfilePolicy,
): Promise<WrittenVersion> {
  const { who } = await requireWritableDataset(deps.prisma, actor, datasetId);
  const { records, pages } = await collectRecords(checkUrl(rawUrl), recordsPath, { allowPrivate, timeoutMs, maxBytes });
  if (records.records.length === 0) throw badInput('url: no records', { field: 'url' });
  const columns = records.columnSpecs();
  return writeVersion(deps.ingestPool, {
    datasetId,
    actor: who,
    sourceKind: 'REST',
    source: { url: redactSecrets(rawUrl), recordsPath: recordsPath ?? null, pages },
    columns,
    ...policy,
    load: (client, table) => copyRows(client, table, columns, rowsOf(records.records, columns)),
  });
}
