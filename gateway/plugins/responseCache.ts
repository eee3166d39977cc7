// A response cache in front of the query planner for trusted documents (registered persisted
// operations and manifests): the same document, variables and caller get the same bytes from
// memory, without planning or calling a subgraph, for as long as nothing they were read from has
// changed. Freshness is exact, not a TTL: every committed write to an application table NOTIFYs
// `rg_writes` with the table's name (a statement trigger, see the write_notifications migration),
// and each entry remembers the write counters of the tables its operation reads — known from the
// GraphQL types it selects. A type this file does not map to tables makes the operation
// uncacheable. Should the listener drop, everything cached is dropped with it. A notification
// arrives a moment after its commit, so a client that writes through this gateway could read its
// own write's old answer in that moment: writes through the gateway (mutations, uploads) drop the
// cache as their response goes out, so the writer's next read is computed afresh.
import { createHash } from 'node:crypto';
import {
  getNamedType,
  isCompositeType,
  isUnionType,
  Kind,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type express from 'express';
import pg from 'pg';
import type { Identity } from '../../lib/auth/identity.js';
import type { Logger } from '../../lib/logger.js';

/** PostgreSQL channel of the write triggers: the payload is a table name. */
export const WRITES_CHANNEL = 'rg_writes';

/** The tables a type's fields are read from ([] for values stored inside their parent's row). */
const TABLES_OF_TYPE: Record<string, readonly string[]> = {
  Query: [],
  User: ['User'],
  ApiKey: ['ApiKey'],
  PersistedOperation: ['PersistedOperation'],
  ReportTemplate: ['ReportTemplate', 'TemplateVersion'],
  TemplateVersion: ['TemplateVersion'],
  TemplateParameter: [],
  // What a report is rendered from: its template, its dataset's version and columns, and the chart
  // model the registry serves (CHART sections). Stored only as served from the hot-report cache.
  Report: [
    'ReportTemplate',
    'TemplateVersion',
    'Dataset',
    'DatasetVersion',
    'DatasetColumn',
    'Model',
    'ModelVersion',
    'ModelAlias',
    'TrafficWeight',
  ],
  ReportRun: ['ReportRun'],
  ReportSchedule: ['ReportSchedule'],
  Dataset: ['Dataset', 'DatasetVersion'],
  DatasetVersion: ['DatasetVersion', 'DatasetColumn'],
  Column: ['DatasetColumn'],
  HistogramBin: [],
  QueryResult: ['Dataset', 'DatasetVersion'],
  ResultColumn: [],
  AnalysisJob: ['AnalysisJob'],
  Insight: ['Insight'],
  Anomaly: [],
  ForecastPoint: [],
  Model: ['Model', 'ModelAlias', 'TrafficWeight'],
  ModelVersion: ['ModelVersion'],
  ModelAlias: ['ModelAlias'],
  TrafficWeight: ['TrafficWeight'],
  DriftReport: ['DriftReport'],
  ModelEvent: ['ModelEvent'],
  TensorSpec: [],
  HealthRule: ['Model'],
};

/**
 * Fields that say how an answer was served. An answer where one is false — a report rendered for
 * this request rather than served from the hot-report cache — is not stored: replaying it would
 * misstate it. The next request, served from the hot-report cache, is.
 */
const SERVED_FROM_CACHE: Record<string, string> = { Report: 'cached' };

/**
 * Root fields cached for any document, not only trusted ones: the hot report, which clients send
 * as they like (BI tools, scripts) and which is the same answer for the same variables.
 */
const AD_HOC_ROOTS = new Set(['report']);

/**
 * Selections visited when planning an operation's caching (fragments are walked at every spread,
 * so this bounds a fragment bomb's work), and SERVED_FROM_CACHE paths kept; past either, the
 * operation is not cached.
 */
const PLAN_MAX_SELECTIONS = 10_000;
const PLAN_MAX_SERVED = 64;

/**
 * How long what a type is read from must have been quiet before its answer is stored. A report
 * is rendered by the templates subgraph from the template and dataset versions it holds in memory
 * (kept fresh by its own NOTIFY listener, and at most 5 s old should that lag): an answer computed
 * just after a write may come from the old versions, and must not be stored as fresh.
 */
const SETTLE_MS_OF_TYPE: Record<string, number> = { Report: 5_000 };

export interface CachePlan {
  /** The tables the operation reads. */
  tables: string[];
  /** Response paths (aliases) of SERVED_FROM_CACHE fields: an answer with false at one is not stored. */
  served: string[][];
  /** Cached even as an ad-hoc document: every root field is one of AD_HOC_ROOTS. */
  adHoc: boolean;
  /** An answer is stored only once its tables have had no write for this long (SETTLE_MS_OF_TYPE). */
  settleMs: number;
}

/** How an operation's answers are cached, or null when it selects a type with no known tables. */
export function cachePlan(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): CachePlan | null {
  if (operation.operation !== 'query') return null;
  const tables = new Set<string>();
  const served = new Map<string, string[]>();
  let adHoc = true;
  let settleMs = 0;
  let visits = 0;
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const walk = (set: SelectionSetNode, type: GraphQLCompositeType, path: string[]): boolean => {
    const known = TABLES_OF_TYPE[type.name];
    visits += set.selections.length;
    if (!known || visits > PLAN_MAX_SELECTIONS) return false;
    known.forEach((t) => tables.add(t));
    settleMs = Math.max(settleMs, SETTLE_MS_OF_TYPE[type.name] ?? 0);
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value.startsWith('__')) continue;
        if (path.length === 0 && !AD_HOC_ROOTS.has(s.name.value)) adHoc = false;
        const at = [...path, s.alias?.value ?? s.name.value];
        if (SERVED_FROM_CACHE[type.name] === s.name.value) {
          served.set(at.join('\0'), at);
          if (served.size > PLAN_MAX_SERVED) return false;
        }
        const field = isUnionType(type) ? undefined : type.getFields()[s.name.value];
        const named = field && getNamedType(field.type);
        if (named && isCompositeType(named) && s.selectionSet && !walk(s.selectionSet, named, at)) return false;
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const on = s.typeCondition ? schema.getType(s.typeCondition.name.value) : type;
        if (!on || !isCompositeType(on) || !walk(s.selectionSet, on, path)) return false;
      } else {
        const fragment = fragments.get(s.name.value);
        const on = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !on || !isCompositeType(on) || !walk(fragment.selectionSet, on, path)) return false;
      }
    }
    return true;
  };
  const root = schema.getQueryType();
  return root && walk(operation.selectionSet, root, [])
    ? { tables: [...tables].sort(), served: [...served.values()], adHoc, settleMs }
    : null;
}

/** Whether an answer may be stored: no SERVED_FROM_CACHE field in it is false. */
export function storable(plan: CachePlan, data: unknown): boolean {
  const falseAt = (value: unknown, path: string[], i: number): boolean => {
    if (Array.isArray(value)) return value.some((v) => falseAt(v, path, i));
    if (i === path.length) return value === false;
    return value !== null && typeof value === 'object' && falseAt((value as Record<string, unknown>)[path[i]!], path, i + 1);
  };
  return !plan.served.some((path) => falseAt(data, path, 0));
}

/** Keys up to this long are kept as they are; longer ones are hashed (sha256, 43 characters). */
const KEY_MAX_CHARS = 512;

export interface CachedResponse {
  /** The answer's JSON, encoded once. */
  body: Buffer;
  etag: string;
}

interface Entry extends CachedResponse {
  /** Write counters of the tables read, when the entry was stored. */
  stamp: number[];
  tables: string[];
  until: number;
}

export interface ResponseCacheOptions {
  databaseUrl: string;
  logger: Logger;
  maxEntries: number;
  /** Characters of answers (and keys) held at most. */
  maxChars: number;
  ttlSeconds: number;
}

export function createResponseCache({ databaseUrl, logger, maxEntries, maxChars, ttlSeconds }: ResponseCacheOptions) {
  const entries = new Map<string, Entry>();
  /** When each table's last write was heard. */
  const writtenAt = new Map<string, number>();
  let held = 0;
  const sizeOf = (key: string, entry: Entry) => key.length + entry.body.byteLength;
  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    held -= sizeOf(key, entry);
  };
  const clear = () => {
    entries.clear();
    held = 0;
  };
  const writes = new Map<string, number>();
  let listener: pg.Client | null = null;
  let closed = false;
  const stampOf = (tables: string[]) => tables.map((t) => writes.get(t) ?? 0);

  async function listen(): Promise<void> {
    if (closed) return;
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('notification', (n) => {
      writes.set(n.payload ?? '', (writes.get(n.payload ?? '') ?? 0) + 1);
      writtenAt.set(n.payload ?? '', Date.now());
    });
    client.on('error', (err) => {
      logger.warn({ err: err.message }, 'response cache listener lost; cache emptied, reconnecting');
      listener = null;
      clear();
      setTimeout(() => void listen(), 1000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${WRITES_CHANNEL}`);
      listener = client;
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'response cache listener could not connect; retrying');
      await client.end().catch(() => undefined);
      setTimeout(() => void listen(), 1000).unref();
    }
  }

  return {
    /** The key of a caller's answer to a document: per principal, since answers depend on the role. */
    keyOf(queryHash: string, operationName: string | null | undefined, variables: unknown, identity: Identity | null): string {
      const who = identity ? `${identity.kind}:${identity.id}:${identity.role}` : 'anonymous';
      const key = `${queryHash}\0${operationName ?? ''}\0${JSON.stringify(variables ?? {})}\0${who}`;
      // Short keys as they are (hashing costs more than the map's own string hash); long ones
      // hashed, so that entries hold bounded keys whatever variables a client sends.
      return key.length <= KEY_MAX_CHARS ? key : createHash('sha256').update(key).digest('base64url');
    },
    get(key: string): CachedResponse | null {
      const entry = entries.get(key);
      if (!entry) return null;
      const fresh = listener && entry.until > Date.now() && stampOf(entry.tables).every((n, i) => n === entry.stamp[i]);
      if (!fresh) {
        drop(key);
        return null;
      }
      return entry;
    },
    /**
     * The write counters of `tables`, taken BEFORE the answer is computed: a write that lands while
     * it is computed then makes the stored entry stale at once, never fresh by mistake.
     */
    stamp: (tables: string[]) => stampOf(tables),
    /**
     * Stores an answer read from `tables`; only while the listener runs, else freshness is unknown,
     * and only once the tables have had no write for `settleMs` (see SETTLE_MS_OF_TYPE).
     */
    set(key: string, tables: string[], stamp: number[], body: string, settleMs = 0): CachedResponse | null {
      const bytes = Buffer.byteLength(body);
      if (!listener || key.length + bytes > maxChars) return null;
      const now = Date.now();
      if (settleMs && tables.some((t) => now - (writtenAt.get(t) ?? 0) < settleMs)) return null;
      drop(key);
      const entry = {
        body: Buffer.from(body),
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        tables,
        stamp,
        until: Date.now() + ttlSeconds * 1000,
      };
      // Oldest first, until the new answer fits both bounds.
      while (entries.size && (entries.size >= maxEntries || held + sizeOf(key, entry) > maxChars)) drop(entries.keys().next().value!);
      entries.set(key, entry);
      held += sizeOf(key, entry);
      return entry;
    },
    /** Answers held and their size (characters of keys and bodies). */
    held: () => ({ entries: entries.size, chars: held }),
    /** Drops every cached answer (a write went through this gateway). */
    forgetAll: () => clear(),
    /**
     * Middleware for requests that may write: the cache is dropped as the response goes out, after
     * the write committed and before the client can send its next read.
     */
    forgetOnWrite: ((req, res, next) => {
      if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
      const end = res.end.bind(res) as (...args: unknown[]) => express.Response;
      res.end = ((...args: unknown[]) => {
        clear();
        return end(...args);
      }) as express.Response['end'];
      next();
    }) as express.RequestHandler,
    start: () => listen(),
    async stop() {
      closed = true;
      clear();
      await listener?.end().catch(() => undefined);
    },
  };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;
