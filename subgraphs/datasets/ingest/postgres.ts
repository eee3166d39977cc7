// Import from a PostgreSQL source: the query's rows stream across COPY TO → COPY FROM, never held.
// A connection URL is aimed by the caller, so the server it reaches and what runs there are
// policed, in this order:
//
// 1. The URL: `postgres://` or `postgresql://` with a user and a host name or IP literal. No unix
//    socket (an empty host, a path, a %-escape, a `host` parameter), and only the parameters
//    sslmode (disable|prefer|require|verify-ca|verify-full), application_name and connect_timeout:
//    libpq's other options make the server read its own files (sslrootcert, sslkey, passfile,
//    service) or change session settings (options). The pg client is built from the parsed parts,
//    never the string, and the password is handed over as a function so pg never falls back to
//    PGPASSWORD or ~/.pgpass — the server's own secrets.
// 2. The network (lib/network.ts): the host is resolved once and each address checked; private,
//    loopback and link-local addresses are refused unless IMPORT_ALLOW_PRIVATE_NETWORKS=true. pg
//    connects to the checked address (no second lookup to rebind); the name stays for TLS.
// 3. The application's own database server is refused — before connecting by address and port (a
//    loopback or local-interface address counts as this machine), and once connected by its
//    fingerprint (system identifier, postmaster start time), which also catches aliases,
//    forwarders and replicas. The one exception: IMPORT_ALLOW_PRIVATE_NETWORKS=true AND a
//    database other than the application's on that server.
// 4. One statement, read-only: the SQL, wrapped as `SELECT * FROM (<sql>) AS source`, is first run
//    with LIMIT 0 through the extended protocol, which refuses a second statement however it is
//    hidden, inside BEGIN READ ONLY with a statement timeout. The COPY then wraps the same text the
//    same way: the two texts differ only outside the SQL, so what parsed as one statement cannot
//    split into two (a `;` anywhere in it already failed the first step).
// 5. At most IMPORT_MAX_ROWS rows and IMPORT_MAX_BYTES (`importMaxBytes`) bytes cross; past either
//    the source connection is dropped, which stops the query there, and nothing is written.
// 6. Errors name the class of failure — could not connect, authentication failed, refused, timed
//    out — never what the server said before sign-in (that would tell an open port from a closed
//    one), never the password. The stored source keeps neither user nor password.
import net from 'node:net';
import os from 'node:os';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Identity } from '../../../lib/auth/identity.js';
import type { Config } from '../../../lib/config.js';
import { badInput, ReportGraphError } from '../../../lib/errors.js';
import {
  quoteIdent,
  writeVersion,
  type ColumnSpec,
  type ColumnType,
  type ProfilePolicy,
  type WrittenVersion,
} from '../../../lib/datasets/tables.js';
import { PrivateAddressRefused, redactSecrets, resolveChecked } from '../../../lib/network.js';
import type { PrismaClient } from '../../../lib/prisma.js';
import { requireWritableDataset } from './csv.js';

/** Most rows one import brings across. */
export const IMPORT_MAX_ROWS = 10_000_000;

/** Source column types by type OID; anything else arrives as its text form. */
const TYPES: Record<number, ColumnType> = {
  20: 'INTEGER',
  21: 'INTEGER',
  23: 'INTEGER',
  26: 'INTEGER',
  700: 'FLOAT',
  701: 'FLOAT',
  1700: 'FLOAT',
  16: 'BOOLEAN',
  1082: 'DATE',
  1114: 'TIMESTAMP',
  1184: 'TIMESTAMP',
};

const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
type SslMode = (typeof SSL_MODES)[number];
const ALLOWED_PARAMETERS = ['sslmode', 'application_name', 'connect_timeout'];
const HOST_NAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/i;
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/i;

const urlError = (message: string, details: Record<string, unknown> = {}) =>
  badInput(`connectionUrl: ${message}`, { field: 'connectionUrl', ...details });
const sqlError = (message: string) => badInput(`sql: ${message}`, { field: 'sql' });
const couldNotConnect = () => urlError('could not connect to the source (refused, unreachable, timed out, or not PostgreSQL)');
const authenticationFailed = () => urlError('authentication failed: the source refused this user, password or database');
const timedOut = () => sqlError('the source query ran past the time limit and was stopped (timed out)');
const appDatabaseRefused = () =>
  urlError(
    "refused: this is the application's own database server; only another database on it may be read, and only with IMPORT_ALLOW_PRIVATE_NETWORKS=true",
  );

/** What a connection URL names, each part checked. */
interface SourceTarget {
  /** A host name or IP literal (without brackets). */
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  sslmode: SslMode | undefined;
  applicationName: string | undefined;
  connectTimeoutMs: number | undefined;
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw urlError(`the ${what} is not valid percent-encoding`);
  }
}

function checkHost(url: URL): string {
  const host = url.hostname;
  // To libpq an empty host or a path is a unix socket: this server's own, never a caller's.
  if (!host) throw urlError('name a host: postgresql://user:password@host:5432/database (unix sockets are not allowed)');
  if (IPV6_LITERAL.test(host)) return host.slice(1, -1);
  if (!HOST_NAME.test(host)) throw urlError('the host must be one host name or IP address (no socket paths, lists or escapes)');
  return host;
}

function checkParameters(params: URLSearchParams): Pick<SourceTarget, 'sslmode' | 'applicationName' | 'connectTimeoutMs'> {
  const names = [...params.keys()];
  for (const name of names) {
    if (!ALLOWED_PARAMETERS.includes(name)) {
      const shown = name.slice(0, 64);
      throw urlError(`parameter "${shown}" is not allowed; only ${ALLOWED_PARAMETERS.join(', ')}`, { parameter: shown });
    }
  }
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw urlError(`parameter "${repeated}" is given twice`, { parameter: repeated });
  const sslmode = params.get('sslmode') ?? undefined;
  if (sslmode !== undefined && !SSL_MODES.includes(sslmode as SslMode)) {
    throw urlError(`sslmode must be one of ${SSL_MODES.join(', ')}`, { parameter: 'sslmode' });
  }
  const applicationName = params.get('application_name') ?? undefined;
  if (applicationName !== undefined && !/^[\x20-\x7e]{0,63}$/.test(applicationName)) {
    throw urlError('application_name must be at most 63 printable ASCII characters', { parameter: 'application_name' });
  }
  const timeout = params.get('connect_timeout');
  if (timeout !== null && !/^\d{1,4}$/.test(timeout)) {
    throw urlError('connect_timeout must be a number of seconds', { parameter: 'connect_timeout' });
  }
  const connectTimeoutMs = timeout !== null && Number(timeout) > 0 ? Number(timeout) * 1000 : undefined;
  return { sslmode: sslmode as SslMode | undefined, applicationName, connectTimeoutMs };
}

/** Parses and checks a source connection URL (rule 1 of the file header). */
export function parseConnectionUrl(raw: string): SourceTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw urlError('not a URL');
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') throw urlError('must start with postgresql://');
  const host = checkHost(url);
  const parameters = checkParameters(url.searchParams);
  const user = decode(url.username, 'user name');
  if (!user) throw urlError('name a user: postgresql://user:password@host:5432/database');
  return {
    host,
    port: url.port ? Number(url.port) : 5432,
    // libpq's default: the database named like the user.
    database: decode(url.pathname.replace(/^\//, ''), 'database name') || user,
    user,
    password: decode(url.password, 'password'),
    ...parameters,
  };
}

/** TLS as libpq's sslmode means it, on a socket opened to an address: the name is the server name. */
function tlsOptions({ sslmode, host }: SourceTarget): pg.ClientConfig['ssl'] {
  const servername = net.isIP(host) ? undefined : host;
  switch (sslmode) {
    case undefined:
    case 'disable':
      return false;
    // pg cannot fall back to plain text, so prefer encrypts like require.
    case 'prefer':
    case 'require':
      return { rejectUnauthorized: false, servername };
    case 'verify-ca':
      return { rejectUnauthorized: true, servername, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { rejectUnauthorized: true, servername };
  }
}

/** The checked address to connect to (rule 2). */
async function resolveSource(target: SourceTarget, allowPrivate: boolean): Promise<string> {
  try {
    const [first] = await resolveChecked(target.host, { allowPrivate });
    return first!.address;
  } catch (err) {
    if (err instanceof PrivateAddressRefused) {
      throw urlError(`refused: ${target.host} is a private address; imports from private networks are off (IMPORT_ALLOW_PRIVATE_NETWORKS)`);
    }
    throw couldNotConnect();
  }
}

/** The application's database server as its URL names it; a socket path means this machine. */
function appServer(databaseUrl: string): { host: string; port: number; database: string } {
  const url = new URL(databaseUrl);
  const hostParameter = url.searchParams.get('host');
  const host = hostParameter ?? url.hostname.replace(/^\[|\]$/g, '');
  return {
    host: !host || host.startsWith('/') || host.startsWith('%2F') ? 'localhost' : host,
    port: Number(url.port || url.searchParams.get('port') || 5432),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username),
  };
}

/** Every address of this machine: what any local server listening on all interfaces answers on. */
function addLocalMachine(list: net.BlockList): void {
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('0.0.0.0', 'ipv4');
  list.addAddress('::1', 'ipv6');
  list.addAddress('::', 'ipv6');
  for (const nic of Object.values(os.networkInterfaces()).flat()) {
    if (nic) list.addAddress(nic.address.split('%')[0]!, nic.family === 'IPv4' ? 'ipv4' : 'ipv6');
  }
}

/** The addresses the application's database server is reachable at. */
async function appServerAddresses(host: string): Promise<net.BlockList> {
  const list = new net.BlockList();
  const addresses = await resolveChecked(host, { allowPrivate: true }).catch(() => []);
  for (const { address, family } of addresses) list.addAddress(address.split('%')[0]!, family === 4 ? 'ipv4' : 'ipv6');
  const local = new net.BlockList();
  addLocalMachine(local);
  const isLocal = (a: string) => local.check(a.split('%')[0]!, net.isIPv6(a) ? 'ipv6' : 'ipv4');
  if (addresses.length === 0 || addresses.some((a) => isLocal(a.address))) addLocalMachine(list);
  return list;
}

/** Rule 3, before connecting: the same address and port as the application's database. */
async function refuseAppServerByAddress(target: SourceTarget, address: string, databaseUrl: string, allowPrivate: boolean) {
  const app = appServer(databaseUrl);
  if (target.port !== app.port) return;
  const same = await appServerAddresses(app.host);
  if (!same.check(address.split('%')[0]!, net.isIPv6(address) ? 'ipv6' : 'ipv4')) return;
  if (!allowPrivate || target.database === app.database) throw appDatabaseRefused();
}

interface Fingerprint {
  database: string;
  started: string;
  system: string | null;
}

/** Who a server is: physical replicas share the system identifier, a restart changes the start time. */
async function fingerprint(query: (sql: string) => Promise<pg.QueryResult>): Promise<Fingerprint | null> {
  const run = async (sql: string) => (await query(sql)).rows[0] as Record<string, string | null>;
  const base = await run('SELECT current_database() AS database, extract(epoch FROM pg_postmaster_start_time())::text AS started').catch(
    () => null,
  );
  if (!base) return null;
  const system = await run('SELECT system_identifier::text AS system FROM pg_control_system()').catch(() => null);
  return { database: base.database!, started: base.started!, system: system?.system ?? null };
}

/** Rule 3, once connected: the same server (or a replica of it) however it was reached. */
async function refuseAppServerByFingerprint(source: pg.Client, app: pg.Pool, allowPrivate: boolean) {
  const [theirs, ours] = await Promise.all([fingerprint((sql) => source.query(sql)), fingerprint((sql) => app.query(sql))]);
  if (!theirs || !ours) return;
  const sameServer = theirs.started === ours.started || (theirs.system !== null && theirs.system === ours.system);
  if (sameServer && (!allowPrivate || theirs.database === ours.database)) throw appDatabaseRefused();
}

function clientConfig(target: SourceTarget, address: string, timeoutMs: number): pg.ClientConfig {
  return {
    host: address,
    port: target.port,
    user: target.user,
    database: target.database,
    // A function: with an empty string pg would fall back to PGPASSWORD and ~/.pgpass.
    password: () => target.password,
    ssl: tlsOptions(target),
    connectionTimeoutMillis: Math.min(timeoutMs, target.connectTimeoutMs ?? Infinity, 10_000),
    application_name: target.applicationName ?? 'reportgraph-import',
    client_encoding: 'UTF8',
  };
}

/** Ends the source connection; with a query in flight pg drops the socket, which stops the query. */
const hangUp = (source: pg.Client) => source.end().catch(() => {});

function connectError(err: unknown): ReportGraphError {
  const code = err instanceof pg.DatabaseError ? err.code : undefined;
  const clientAuth = !code && /^SASL|client password/.test((err as Error).message ?? '');
  if (code?.startsWith('28') || code === '3D000' || clientAuth) return authenticationFailed();
  // Anything else — refused, reset, TLS, garbage, a server's own error text — reads the same.
  return couldNotConnect();
}

async function connectSource(target: SourceTarget, address: string, timeoutMs: number): Promise<pg.Client> {
  const source = new pg.Client(clientConfig(target, address, timeoutMs));
  source.on('error', () => {});
  try {
    await source.connect();
    return source;
  } catch (err) {
    await hangUp(source);
    throw connectError(err);
  }
}

/** A source failure as the caller may see it; our own errors (limits, refusals) pass as they are. */
function sourceError(err: unknown, password: string, expired: boolean): unknown {
  if (err instanceof ReportGraphError) return err;
  if (expired) return timedOut();
  if (!(err instanceof pg.DatabaseError) || /^(08|57P)/.test(err.code ?? '')) {
    return sqlError('the connection to the source was lost');
  }
  if (err.code === '57014') return timedOut();
  if (err.code === '25006') return sqlError('the source query tried to write; imports are read-only');
  if (/cannot insert multiple commands/.test(err.message)) return sqlError('must be exactly one statement');
  // After sign-in the server speaks about the caller's own query; the password is never repeated.
  const message = password.length >= 3 ? err.message.replaceAll(password, '***') : err.message;
  return sqlError(message);
}

/** `pg` runs a query through the extended protocol (Parse/Bind/Execute) when asked to. */
interface ExtendedQuery extends pg.QueryConfig {
  queryMode: 'extended';
}
const extended = (text: string): ExtendedQuery => ({ text, values: [], queryMode: 'extended' });

/** The one wrapper both steps use; newlines end a trailing `--` comment in the SQL. */
const wrap = (sql: string) => `SELECT * FROM (\n${sql}\n) AS source`;

/** Settings the query's lexing and running depend on, pinned for this transaction. */
async function pinSettings(source: pg.Client, timeoutMs: number): Promise<void> {
  await source.query(`SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}`);
  await source.query('SET LOCAL standard_conforming_strings = on');
  await source.query("SET LOCAL client_encoding = 'UTF8'");
}

/** Rule 4: one statement, parsed by the extended protocol; its columns with their types. */
async function describeQuery(source: pg.Client, sql: string, timeoutMs: number): Promise<ColumnSpec[]> {
  await source.query('BEGIN READ ONLY');
  await pinSettings(source, timeoutMs);
  const described = await source.query(extended(`${wrap(sql)} LIMIT 0`));
  return described.fields.map((f) => ({ name: f.name, type: TYPES[f.dataTypeID] ?? 'TEXT' }));
}

/** Counts the bytes crossing and fails past `maxBytes` (rule 5). */
function byteLimit(maxBytes: number): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) return done(sqlError(`the result is larger than the import limit of ${maxBytes} bytes (IMPORT_MAX_BYTES)`));
      done(null, chunk);
    },
  });
}

interface CopyJob {
  source: pg.Client;
  sql: string;
  columns: ColumnSpec[];
  maxBytes: number;
  timeoutMs: number;
}

/** Streams the rows across within the limits; returns how many were written. */
async function copyAcross(client: pg.PoolClient, table: string, { source, sql, columns, maxBytes, timeoutMs }: CopyJob) {
  await pinSettings(source, timeoutMs);
  const names = columns.map((c) => quoteIdent(c.name)).join(', ');
  const reading = source.query(copyTo(`COPY (${wrap(sql)} LIMIT ${IMPORT_MAX_ROWS + 1}) TO STDOUT WITH (FORMAT csv)`));
  const writing = client.query(copyFrom(`COPY ${table} (${names}) FROM STDIN WITH (FORMAT csv)`));
  try {
    await pipeline(reading, byteLimit(maxBytes), writing);
  } catch (err) {
    // Stop the source now: it would go on sending into a stream nobody reads.
    await hangUp(source);
    throw err;
  }
  const rows = Number(writing.rowCount);
  if (rows > IMPORT_MAX_ROWS) throw sqlError(`the result has more than ${IMPORT_MAX_ROWS} rows, the import limit`);
  return rows;
}

function checkSql(raw: string): string {
  // Trailing semicolons are dropped; any other `;` is a second statement and fails the prepare.
  const sql = raw.replace(/[\s;]+$/, '').trim();
  if (!sql) throw sqlError('empty');
  return sql;
}

/** Drops the source connection when the whole source side runs past its time (a server that drips). */
function watchdog(source: pg.Client, ms: number) {
  const state = { expired: false, timer: undefined as NodeJS.Timeout | undefined };
  state.timer = setTimeout(() => {
    state.expired = true;
    void hangUp(source);
  }, ms);
  return state;
}

export interface PostgresImportDeps {
  prisma: PrismaClient;
  /** The application's metadata pool: whose server is refused as a source. */
  pool: pg.Pool;
  /** Where the version is written. */
  ingestPool: pg.Pool;
  config: Pick<Config, 'databaseUrl' | 'datasets'>;
}

/**
 * `importFromPostgres`: runs `rawSql` on the source of `connectionUrl` under the rules of this
 * file's header and writes its rows as a new version. Network policy, size limit and the
 * application's database come from `deps.config` (IMPORT_ALLOW_PRIVATE_NETWORKS, IMPORT_MAX_BYTES,
 * DATABASE_URL).
 * @param options.timeoutMs statement timeout on the source (IMPORT_TIMEOUT_MS)
 */
export async function importFromPostgres(
  deps: PostgresImportDeps,
  actor: Identity | null,
  datasetId: string,
  connectionUrl: string,
  rawSql: string,
  { timeoutMs, ...policy }: { timeoutMs: number } & ProfilePolicy,
): Promise<WrittenVersion> {
  const { who } = await requireWritableDataset(deps.prisma, actor, datasetId);
  const { importAllowPrivateNetworks: allowPrivate, importMaxBytes: maxBytes } = deps.config.datasets;
  const target = parseConnectionUrl(connectionUrl);
  const sql = checkSql(rawSql);
  const address = await resolveSource(target, allowPrivate);
  await refuseAppServerByAddress(target, address, deps.config.databaseUrl, allowPrivate);
  const source = await connectSource(target, address, timeoutMs);
  // Describe and copy each get the statement timeout; a server that ignores it gets this.
  const watch = watchdog(source, 2 * timeoutMs + 2000);
  const onSource = async <T>(step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (err) {
      throw sourceError(err, target.password, watch.expired);
    }
  };
  try {
    await onSource(() => refuseAppServerByFingerprint(source, deps.pool, allowPrivate));
    const columns = await onSource(() => describeQuery(source, sql, timeoutMs));
    return await writeVersion(deps.ingestPool, {
      datasetId,
      actor: who,
      sourceKind: 'POSTGRES',
      source: { connection: redactSecrets(connectionUrl), sql },
      columns,
      ...policy,
      load: (client, table) => onSource(() => copyAcross(client, table, { source, sql, columns, maxBytes, timeoutMs })),
    });
  } finally {
    clearTimeout(watch.timer);
    // Ending the session ends its read-only transaction; there is nothing to commit.
    await hangUp(source);
  }
}
