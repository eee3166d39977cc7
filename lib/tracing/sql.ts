// SQL spans for a pg pool: one CLIENT span per statement, named by its kind and first table
// (`SELECT Dataset`), never carrying the text or its bound values. Statements run outside any
// traced request or job (timers, health checks) start no trace of their own.
import type * as Api from '@opentelemetry/api';
import type pg from 'pg';

const INSTRUMENTED = Symbol('reportgraph.sql-traced');
const CHECKED_OUT = Symbol('reportgraph.sql-checked-out');

const IDENTIFIER = String.raw`(?:"(?:[^"]|"")+"|[a-z_][\w$]*)`;
const TABLE = new RegExp(
  String.raw`\b(?:from|into|update|copy|table|join)\s+(?:only\s+|if\s+(?:not\s+)?exists\s+)?(${IDENTIFIER}(?:\s*\.\s*${IDENTIFIER})?)`,
  'i',
);

/** The statement's kind (`SELECT`, `INSERT`, `COPY`, ...) and the first table it names, if any. */
export function describeStatement(text: string): { kind: string; table: string | null } {
  const sql = text.replace(/\/\*[\s\S]*?\*\/|--[^\n]*/g, ' ').trimStart();
  const kind = (/^[a-z]+/i.exec(sql)?.[0] ?? 'SQL').toUpperCase();
  const match = TABLE.exec(sql);
  const table = match ? match[1]!.replace(/\s+/g, '').replace(/"((?:[^"]|"")+)"/g, (_, name: string) => name.replace(/""/g, '"')) : null;
  return { kind, table };
}

type Callback = (err: Error | null, result?: unknown) => void;
type QueryArgs = unknown[];

export function instrumentPool(api: typeof Api, tracer: Api.Tracer, pool: pg.Pool): void {
  const marked = pool as pg.Pool & { [INSTRUMENTED]?: true };
  if (marked[INSTRUMENTED]) return;
  marked[INSTRUMENTED] = true;

  /** Runs one query call (promise or callback style) in a span; passes through what it cannot describe. */
  function traced(args: QueryArgs, run: (args: QueryArgs) => unknown): unknown {
    const first = args[0] as string | { text?: unknown; submit?: unknown; callback?: Callback } | undefined;
    const text = typeof first === 'string' ? first : typeof first?.text === 'string' ? first.text : null;
    // Streams (COPY, cursors) are Submittables: their end is not this call's; no parent, no span.
    if (text === null || (typeof first === 'object' && typeof first.submit === 'function') || !api.trace.getSpan(api.context.active()))
      return run(args);
    const { kind, table } = describeStatement(text);
    const span = tracer.startSpan(table ? `${kind} ${table}` : kind, {
      kind: api.SpanKind.CLIENT,
      attributes: { 'db.system.name': 'postgresql', 'db.operation.name': kind, ...(table ? { 'db.collection.name': table } : {}) },
    });
    const end = (err: unknown) => {
      if (err) {
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: (err as { code?: string }).code ?? 'error' });
        // The message of a PostgreSQL error can quote values: the SQLSTATE says enough.
        span.setAttribute('db.response.status_code', String((err as { code?: string }).code ?? 'unknown'));
      }
      span.end();
    };
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as Callback;
      const wrapped = [...args];
      wrapped[last] = (err: Error | null, result?: unknown) => {
        end(err);
        callback(err, result);
      };
      return run(wrapped);
    }
    const result = run(args) as Promise<unknown> | undefined;
    if (result && typeof result.then === 'function') {
      return result.then(
        (value) => {
          end(null);
          return value;
        },
        (err: unknown) => {
          end(err);
          throw err;
        },
      );
    }
    end(null);
    return result;
  }

  const query = pool.query.bind(pool) as (...args: QueryArgs) => unknown;
  (pool as unknown as { query: (...args: QueryArgs) => unknown }).query = (...args) => traced(args, (a) => query(...a));

  // A client checked out with `await pool.connect()` (transactions, Prisma's included) traces its
  // queries until released. The pool's own `query` checks clients out with a callback: not here.
  const connect = pool.connect.bind(pool) as (callback?: unknown) => unknown;
  (pool as unknown as { connect: (callback?: unknown) => unknown }).connect = (callback?: unknown) => {
    if (callback) return connect(callback);
    return (connect() as Promise<pg.PoolClient>).then((client) => {
      const c = client as pg.PoolClient & { [INSTRUMENTED]?: true; [CHECKED_OUT]?: boolean };
      if (!c[INSTRUMENTED]) {
        c[INSTRUMENTED] = true;
        const clientQuery = c.query.bind(c) as (...args: QueryArgs) => unknown;
        (c as unknown as { query: (...args: QueryArgs) => unknown }).query = (...args) =>
          c[CHECKED_OUT] ? traced(args, (a) => clientQuery(...a)) : clientQuery(...args);
      }
      c[CHECKED_OUT] = true;
      const release = c.release.bind(c);
      c.release = (err?: Error | boolean) => {
        c[CHECKED_OUT] = false;
        return release(err);
      };
      return client;
    });
  };
}
