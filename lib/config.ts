// Every setting comes from the environment, validated once at start-up. A bad value fails with
// the variable's name and what was wrong, before anything connects anywhere.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Role } from '../prisma/__generated__/enums.js';

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  );

const subgraphUrl = (port: number) => url(['http:', 'https:']).default(`http://127.0.0.1:${port}/graphql`);

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Show unexpected errors' messages to clients (they are always logged); off in production by default. */
    EXPOSE_ERROR_DETAILS: z.stringbool().optional(),
    DATABASE_URL: url(['postgresql:', 'postgres:']).default('postgresql://postgres@127.0.0.1:5432/reportgraph'),
    REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    /** Prefix of every Redis key this deployment writes, so several can share one Redis. */
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[\w:.-]*$/, 'letters, digits, _ : . - only')
      .default('rg:'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** How long a login token stays valid, in seconds. */
    JWT_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(12 * 3600),
    /** Signs the identity the gateway forwards to subgraphs; derived from JWT_SECRET when unset. */
    GATEWAY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
    /** Seed demo users, a dataset and a template on an empty database. */
    SEED_DEMO: z.stringbool().optional(),
    TEMPLATES_URL: subgraphUrl(4001),
    DATASETS_URL: subgraphUrl(4002),
    INSIGHTS_URL: subgraphUrl(4003),
    MODEL_REGISTRY_URL: subgraphUrl(4004),
    /** Most rows one `datasetQuery` returns. */
    DATASET_QUERY_MAX_ROWS: z.coerce.number().int().positive().default(100_000),
    DATASET_QUERY_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
    /** Largest CSV upload, in bytes (1 GiB). */
    INGEST_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 ** 3),
    /** Versions with more rows become current as soon as their rows are in, and are profiled just after. */
    PROFILE_INLINE_MAX_ROWS: z.coerce.number().int().min(0).default(250_000),
    /** Longest CSV line, in bytes. */
    INGEST_MAX_LINE_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 ** 2),
    /** Let PostgreSQL and REST imports reach private, loopback and link-local addresses (never the application's own database). */
    IMPORT_ALLOW_PRIVATE_NETWORKS: z.stringbool().default(false),
    /** Connect/answer timeout of imports, and the statement timeout of a PostgreSQL source query. */
    IMPORT_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
    /** Most bytes one import brings (a PostgreSQL result, or all pages of a REST source). */
    IMPORT_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(256 * 1024 ** 2),
    /** PSI above which a feature has drifted (Evidently's and the industry's usual 0.2). */
    DRIFT_PSI_THRESHOLD: z.coerce.number().positive().default(0.2),
    /** How often the registry computes drift for versions with recent inputs; 0 turns it off. */
    DRIFT_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(300),
    /** How often the registry judges versions in traffic splits by their recorded outcomes; 0 turns it off. */
    MODEL_HEALTH_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(15),
    /** Largest model upload (POST /api/models/:name/versions), in bytes. */
    MODEL_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(512 * 1024 ** 2),
    /** Who may run only persisted operations: nobody (`off`), API-key callers, or everyone (`all`). */
    PERSISTED_OPERATIONS_ONLY: z.enum(['off', 'api-keys', 'all']).default('off'),
    /** Apollo persisted-query manifests loaded as trusted documents (comma separated), or `none`; the web app's by default. */
    TRUSTED_DOCUMENTS: z.string().optional(),
    /** The built web app served at `/`, or `off`. */
    WEB_APP_DIR: z.string().optional(),
    /** How long a rendered report is served from the hot-report cache. */
    REPORT_CACHE_TTL_SECONDS: z.coerce.number().int().positive().default(300),
    /** Memory each templates process gives to copies of hot reports in front of Redis; 0: none. */
    REPORT_CACHE_MEMORY_MB: z.coerce.number().int().min(0).max(4096).default(64),
    /** How often due report schedules are looked for; 0 turns scheduling off in this process. */
    REPORT_SCHEDULER_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(30),
    /** Analyses one worker process runs at once. */
    ANALYSIS_CONCURRENCY: z.coerce.number().int().positive().default(2),
    /**
     * How long a worker's claim on a running analysis lasts without being renewed (BullMQ's lock
     * duration): a worker that dies is noticed, and its job handed to another, this long after.
     */
    ANALYSIS_LOCK_SECONDS: z.coerce.number().int().positive().default(30),
    /** How often workers look for analyses whose worker died (BullMQ's stalled-job check). */
    ANALYSIS_STALLED_INTERVAL_SECONDS: z.coerce.number().int().positive().default(30),
    /**
     * On SIGTERM/SIGINT: the longest a process takes to finish its requests, close live connections
     * and let running analyses end before it exits anyway (below Kubernetes' 30 s grace period).
     */
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(25),
    /** Port of a worker process's `/metrics` and `/healthz` (on HOST); 0 serves none. */
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    /** Run an analysis worker inside the single-host process. */
    START_WORKER: z.stringbool().default(true),
    /** Where ONNX models run: CUDA when `auto` or `cuda` and its provider loads, else CPU. */
    ONNX_DEVICE: z.enum(['auto', 'cuda', 'cpu']).default('auto'),
    /** Inference worker threads; the number of cores when unset. */
    ONNX_WORKERS: z.coerce.number().int().positive().optional(),
    /** Dynamic batching: the largest batch, and how long the oldest request may wait for it. */
    ONNX_MAX_BATCH: z.coerce.number().int().positive().default(1024),
    ONNX_MAX_QUEUE_DELAY_US: z.coerce.number().int().min(0).default(2000),
    /** Seconds the gateway waits for subgraphs to answer at start (distributed topology). */
    SUBGRAPH_WAIT_SECONDS: z.coerce.number().int().min(0).default(60),

    // Operation limits, checked at the gateway before planning (QUERY_TOO_COMPLEX, HTTP 400).
    /** Largest GraphQL document, in bytes. */
    QUERY_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(16 * 1024),
    /** Most lexical tokens in a document (parsing stops past it). */
    QUERY_MAX_TOKENS: z.coerce.number().int().positive().default(2000),
    /** Deepest field nesting. */
    QUERY_MAX_DEPTH: z.coerce.number().int().positive().default(12),
    /** Most aliased fields in one operation. */
    QUERY_MAX_ALIASES: z.coerce.number().int().min(0).default(20),
    /** Most fields at the root of one operation. */
    QUERY_MAX_ROOT_FIELDS: z.coerce.number().int().positive().default(20),
    /** Cost budget: 1 per field, list fields times their `limit` (or the default page), heavy fields weighted. */
    QUERY_MAX_COST: z.coerce.number().int().positive().default(10_000),
    /** Largest JSON request body, in bytes (inline CSV included; large files go to the upload endpoint). */
    REQUEST_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(8 * 1024 ** 2),
    /** Deepest nesting of arrays and objects in a JSON request body or GET variables (refused before it is parsed). */
    REQUEST_MAX_JSON_DEPTH: z.coerce.number().int().min(8).max(4096).default(64),
    /** Answers of trusted documents kept in each gateway's memory (0 turns the response cache off). */
    RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(0).default(10_000),
    /** The longest a cached answer is kept, however fresh its tables stay. */
    RESPONSE_CACHE_TTL_SECONDS: z.coerce.number().int().positive().default(300),
    /** Memory the response cache holds at most (answers and their keys), in MB. */
    RESPONSE_CACHE_MAX_MB: z.coerce.number().int().positive().max(4096).default(64),
    /** PostgreSQL connections dataset queries may hold at once, apart from the metadata pool. */
    DATASET_QUERY_POOL_SIZE: z.coerce.number().int().positive().default(4),
    /**
     * PostgreSQL connections new dataset versions are written on at once (uploads, imports, cleaning),
     * apart from the metadata pool: however many uploads stall, the API's own queries still get one.
     */
    INGEST_POOL_SIZE: z.coerce.number().int().positive().max(100).default(2),
    /** An upload or download that moves no byte for this long is cut (its transaction rolled back, its cursor closed). */
    TRANSFER_IDLE_SECONDS: z.coerce.number().int().positive().max(3600).default(30),
    /**
     * An upload must average at least this many bytes a second over every TRANSFER_IDLE_SECONDS
     * while the server is reading it (a trickle of a byte now and then is cut); 0 turns it off.
     */
    TRANSFER_MIN_BYTES_PER_SECOND: z.coerce.number().int().min(0).default(500),

    // Rate limits, shared by every replica through Redis (RATE_LIMITED, HTTP 429 with Retry-After).
    /** Operations per caller (API key, user, or IP when anonymous) per minute; 0 turns it off. */
    RATE_LIMIT_OPERATIONS_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
    /** Sign-in attempts per username per minute. */
    RATE_LIMIT_LOGINS_PER_USERNAME: z.coerce.number().int().min(0).default(5),
    /** Sign-in attempts per IP per minute. */
    RATE_LIMIT_LOGINS_PER_IP: z.coerce.number().int().min(0).default(20),
    /** Proxies in front of the gateway whose X-Forwarded-For is trusted (express `trust proxy`: a hop count, or false). */
    TRUST_PROXY: z.string().default('false'),

    // WebSocket subscriptions.
    /** Largest WebSocket message a client may send, in bytes. */
    WS_MAX_MESSAGE_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(64 * 1024),
    /** Most subscriptions open at once on one connection. */
    WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().positive().default(20),
    /** WebSocket connections one address may hold open without signing in (every subscription needs a user or key). */
    WS_MAX_ANONYMOUS_PER_ADDRESS: z.coerce.number().int().min(0).default(8),
    /**
     * How long, in milliseconds, the gateway keeps the result of a subscription event for the other
     * subscribers of the same operation, variables and caller who receive the same event: the query
     * plan then runs once per event rather than once per subscriber. `0` runs it for each.
     */
    WS_SHARE_WINDOW_MS: z.coerce.number().int().nonnegative().max(60_000).default(1000),
    /** Automatic persisted queries: whether anonymous callers may register documents. */
    APQ_ANONYMOUS_WRITES: z.stringbool().default(false),

    // Shared work.
    /** Analyses one user (or API key) may have queued or running at once. */
    ANALYSIS_MAX_ACTIVE_PER_USER: z.coerce.number().int().positive().default(10),
    /** Roles that may queue URGENT analyses. */
    URGENT_ROLES: z.string().default('ADMIN'),
    /** Most points one analysis reads (after summing per time value); a longer series fails its job with a clear error. */
    ANALYSIS_MAX_POINTS: z.coerce.number().int().min(12).default(50_000),
    /** Most columns one analysis may name as `dimensions` to explain its anomalies by. */
    ANALYSIS_MAX_DIMENSIONS: z.coerce.number().int().positive().default(5),
    /** Values of one dimension anomaly drivers compare; the rest are taken together as `(other)`. */
    ANALYSIS_MAX_DIMENSION_VALUES: z.coerce.number().int().min(2).default(50),
    /** Most sections one report renders. */
    REPORT_MAX_SECTIONS: z.coerce.number().int().positive().default(50),
    /** Most rows one rendered report holds, all its sections together (each is also held to DATASET_QUERY_MAX_ROWS). */
    REPORT_MAX_ROWS: z.coerce.number().int().positive().default(200_000),
    /** Largest template definition (its parameters and sections as JSON), in bytes: every render, run and cached copy repeats it. */
    REPORT_TEMPLATE_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(256 * 1024),
    /** Section queries one report runs at once. */
    REPORT_SECTION_CONCURRENCY: z.coerce.number().int().positive().default(4),
    /** Shortest interval between two runs of one report schedule, in minutes. */
    REPORT_SCHEDULE_MIN_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(15),
    /** Most report schedules one user may own. */
    REPORT_SCHEDULES_PER_USER: z.coerce.number().int().positive().default(50),
    /** Runs one user or API key may ask for by hand per hour (`runReport`; each stores its whole result); 0: no limit. */
    REPORT_RUNS_PER_HOUR: z.coerce.number().int().min(0).default(120),
    /** A report run or analysis still RUNNING after this long is taken as lost and swept. */
    STUCK_WORK_MINUTES: z.coerce.number().int().positive().default(30),

    // Sessions and exposure.
    /** How long a user's status and role are trusted before a token's next use reads them again. */
    AUTH_RECHECK_SECONDS: z.coerce.number().int().min(0).default(5),
    /** scrypt cost as log2(N) for new password hashes (OWASP: 17); older hashes are upgraded at sign-in. */
    PASSWORD_SCRYPT_LOG2N: z.coerce.number().int().min(14).max(20).default(17),
    /** Who may introspect the schema: everyone, ADMINs only (production default), or nobody. */
    INTROSPECTION: z.enum(['on', 'admins', 'off']).optional(),
    /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),

    // Reports people receive: exports, deliveries, links.
    /** Where people reach this deployment; the base of every link put in an email, a webhook or an answer. */
    PUBLIC_URL: url(['http:', 'https:']).optional(),
    /** Signs download and snapshot links; derived from JWT_SECRET when unset (set it to revoke every link at once). */
    LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Most rows one table (a report's section, a dataset query) may stream into a CSV or XLSX export. */
    EXPORT_MAX_ROWS: z.coerce.number().int().positive().default(1_000_000),
    /** How long the download URL `exportReport` answers stays valid, in seconds. */
    EXPORT_LINK_TTL_SECONDS: z.coerce.number().int().positive().default(900),
    /** The browser that prints PDFs (Debian's chromium). */
    PDF_CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
    /** PDFs one process prints at once; more wait their turn. */
    PDF_CONCURRENCY: z.coerce.number().int().positive().default(2),
    /** Longest a PDF may wait and print before it is given up, in ms. */
    PDF_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
    /** Rows of a table section printed in a PDF; the CSV and XLSX exports carry them all. */
    PDF_MAX_TABLE_ROWS: z.coerce.number().int().positive().default(500),
    /** SMTP server for scheduled emails (`smtp://user:pass@host:587`, `smtps://...`); unset: no email delivery. */
    SMTP_URL: url(['smtp:', 'smtps:']).optional(),
    /** Sender of scheduled emails. */
    MAIL_FROM: z.string().min(3).default('ReportGraph <reports@localhost>'),
    /** Largest attachment of a scheduled email; a larger file is linked instead, in bytes. */
    MAIL_MAX_ATTACHMENT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(20 * 1024 ** 2),
    /** Let report webhooks reach private, loopback and link-local addresses. */
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.stringbool().default(false),
    /** Connect/answer timeout of one webhook call, in ms. */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    /** Attempts at one delivery (email or webhook) before it is marked FAILED. */
    DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().positive().default(6),
    /** Wait before the first retry of a delivery; it doubles with each attempt, in seconds. */
    DELIVERY_RETRY_BASE_SECONDS: z.coerce.number().int().positive().default(60),
    /** How long the download links in a delivered email or webhook stay valid, in seconds. */
    DELIVERY_LINK_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(7 * 86400),
    /** Most email addresses one report schedule sends to. */
    REPORT_SCHEDULE_MAX_RECIPIENTS: z.coerce.number().int().positive().default(20),
    /** Whether public snapshot links may be used at all; when false no ADMIN can turn them on. */
    SNAPSHOT_LINKS: z.stringbool().default(true),
    /** Longest lifetime of a snapshot link, in hours. */
    SNAPSHOT_LINK_MAX_HOURS: z.coerce
      .number()
      .int()
      .positive()
      .default(30 * 24),
    /** Live (unexpired, unrevoked) snapshot links one user or API key may hold. */
    SNAPSHOT_LINKS_PER_USER: z.coerce.number().int().positive().default(100),
    /** Largest rendered report a snapshot may hold, in bytes of JSON. */
    SNAPSHOT_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(5 * 1024 ** 2),
    /**
     * OTLP/HTTP base URL of a trace collector (Jaeger, Tempo, an OpenTelemetry Collector), e.g.
     * `http://127.0.0.1:4318`: traces go to its `/v1/traces`. Unset (and no
     * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT): no tracing code is loaded at all.
     */
    OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']).optional(),
    /** Full OTLP/HTTP traces URL (`.../v1/traces`); wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http:', 'https:']).optional(),
    /** Turns tracing off even when an endpoint is set. */
    OTEL_SDK_DISABLED: z.stringbool().default(false),
    /** The `service.name` of this process's spans; by default reportgraph-gateway, reportgraph-<subgraph>, reportgraph-worker. */
    OTEL_SERVICE_NAME: z.string().min(1).optional(),
    /** Which traces are kept: the OpenTelemetry sampler names. */
    OTEL_TRACES_SAMPLER: z
      .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
      .default('parentbased_always_on'),
    /** The ratio (0..1) of the `traceidratio` samplers. */
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
    /**
     * Whether the gateway continues a client's `traceparent` (a proxy or frontend you trust starts
     * traces). Off: each request starts a trace of the gateway's own, sampled by its own rule, with
     * a link to the client's span — a client cannot choose what is traced.
     */
    TRACE_CONTINUE_CLIENT: z.stringbool().default(false),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required when NODE_ENV=production' });
    }
    const roles = env.URGENT_ROLES.split(',').map((r) => r.trim());
    if (!roles.every((r) => r in Role)) {
      ctx.addIssue({ code: 'custom', path: ['URGENT_ROLES'], message: `must list roles among ${Object.keys(Role).join(', ')}` });
    }
    if (!/^(true|false|\d+)$/.test(env.TRUST_PROXY)) {
      ctx.addIssue({ code: 'custom', path: ['TRUST_PROXY'], message: 'must be true, false or a number of proxies' });
    }
  });

export type Env = z.infer<typeof schema>;

/** Every setting's name, as the README's Configuration table must list it. */
export const SETTING_NAMES = Object.keys(schema.shape);

export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  logLevel: Env['LOG_LEVEL'];
  /** Unexpected errors keep their message for clients (development); masked otherwise. */
  exposeErrorDetails: boolean;
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  host: string;
  port: number;
  jwtSecret: string;
  /** True when no JWT_SECRET was given and one was generated for this process only. */
  jwtSecretGenerated: boolean;
  jwtTtlSeconds: number;
  gatewaySecret: string;
  adminPassword: string | undefined;
  seedDemo: boolean;
  subgraphUrls: Record<SubgraphName, string>;
  subgraphWaitSeconds: number;
  persistedOperationsOnly: 'off' | 'api-keys' | 'all';
  /**
   * Apollo persisted-query manifests whose operations are trusted documents. The default (the web
   * app's generated manifest) is skipped when absent; a file named in TRUSTED_DOCUMENTS must exist.
   */
  trustedDocuments: { paths: string[]; skipMissing: boolean };
  /** The built web app's folder, served at `/`; null when off. */
  webAppDir: string | null;
  /** Operation limits at the gateway. */
  limits: {
    maxBytes: number;
    maxTokens: number;
    maxDepth: number;
    maxAliases: number;
    maxRootFields: number;
    maxCost: number;
    requestMaxBytes: number;
    requestMaxJsonDepth: number;
  };
  /** Per-minute budgets in Redis; 0 turns one off. */
  rateLimits: { operationsPerMinute: number; loginsPerUsername: number; loginsPerIp: number };
  /** express `trust proxy`: how many proxies' X-Forwarded-For to believe. */
  trustProxy: boolean | number;
  ws: { maxMessageBytes: number; maxSubscriptions: number; maxAnonymousPerAddress: number; shareWindowMs: number };
  apqAnonymousWrites: boolean;
  responseCache: { maxEntries: number; maxChars: number; ttlSeconds: number };
  quotas: {
    analysesPerUser: number;
    urgentRoles: Role[];
    /** ANALYSIS_MAX_POINTS */
    analysisMaxPoints: number;
    /** ANALYSIS_MAX_DIMENSIONS */
    analysisMaxDimensions: number;
    /** ANALYSIS_MAX_DIMENSION_VALUES */
    analysisMaxDimensionValues: number;
    reportMaxSections: number;
    reportMaxRows: number;
    reportTemplateMaxBytes: number;
    reportSectionConcurrency: number;
    scheduleMinIntervalMinutes: number;
    schedulesPerUser: number;
    reportRunsPerHour: number;
    stuckWorkMinutes: number;
  };
  auth: { recheckSeconds: number; scryptLog2N: number };
  introspection: 'on' | 'admins' | 'off';
  metricsToken: string | undefined;
  analysisConcurrency: number;
  /** BullMQ lock and stalled-job check of the analysis queue, in seconds. */
  analysisQueue: { lockSeconds: number; stalledIntervalSeconds: number };
  /** SHUTDOWN_TIMEOUT_SECONDS */
  shutdownTimeoutSeconds: number;
  /** Port of a worker process's /metrics and /healthz; 0: none. */
  workerMetricsPort: number;
  /** Exports, deliveries and links of reports. */
  reports: {
    publicUrl: string;
    linkSecret: string;
    exportLinkTtlSeconds: number;
    pdf: { chromiumPath: string; concurrency: number; timeoutMs: number; maxTableRows: number };
    mail: { smtpUrl: string | undefined; from: string; maxAttachmentBytes: number };
    webhook: { allowPrivateNetworks: boolean; timeoutMs: number };
    delivery: { maxAttempts: number; retryBaseSeconds: number; linkTtlSeconds: number };
    maxRecipients: number;
    snapshots: { enabled: boolean; maxHours: number; perUser: number; maxBytes: number };
  };
  reportCacheTtlSeconds: number;
  reportCacheMemoryMb: number;
  reportSchedulerIntervalSeconds: number;
  startWorker: boolean;
  models: {
    driftPsiThreshold: number;
    driftIntervalSeconds: number;
    healthIntervalSeconds: number;
    maxBytes: number;
  };
  onnx: {
    device: 'auto' | 'cuda' | 'cpu';
    workers?: number;
    maxBatch: number;
    maxDelayUs: number;
  };
  datasets: {
    queryMaxRows: number;
    queryTimeoutMs: number;
    /** Connections of the dataset-query pool, apart from the metadata pool. */
    queryPoolSize: number;
    /** Connections new versions are written on, apart from the metadata pool. */
    ingestPoolSize: number;
    /** Seconds an upload or download may move no byte before it is cut. */
    transferIdleSeconds: number;
    /** Bytes a second an upload must average over each TRANSFER_IDLE_SECONDS the server reads it (0: no minimum). */
    transferMinBytesPerSecond: number;
    ingestMaxBytes: number;
    ingestMaxLineBytes: number;
    profileInlineMaxRows: number;
    importAllowPrivateNetworks: boolean;
    importTimeoutMs: number;
    importMaxBytes: number;
    /** Rows one table may stream into a CSV or XLSX export. */
    exportMaxRows: number;
  };
  /** OpenTelemetry traces (OTEL_*): null when off. */
  tracing: TracingSettings | null;
}

/** The checkout (or image) the process runs from: defaults that name files are relative to it. */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What `npm run codegen` writes for the web app's operations. */
export const WEB_APP_MANIFEST = path.join(PROJECT_ROOT, 'web/src/__generated__/persisted-query-manifest.json');

function trustedDocuments(setting: string | undefined): Config['trustedDocuments'] {
  if (setting === undefined) return { paths: [WEB_APP_MANIFEST], skipMissing: true };
  if (setting.trim() === 'none') return { paths: [], skipMissing: false };
  const paths = setting
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => path.resolve(p));
  return { paths, skipMissing: false };
}

export const SUBGRAPH_NAMES = ['templates', 'datasets', 'insights', 'model-registry'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates the environment. Throws `ConfigError` naming each bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  }
  const env = parsed.data;
  const jwtSecret = env.JWT_SECRET ?? randomBytes(32).toString('hex');
  return {
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    logLevel: env.LOG_LEVEL,
    exposeErrorDetails: env.EXPOSE_ERROR_DETAILS ?? env.NODE_ENV !== 'production',
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    host: env.HOST,
    port: env.PORT,
    jwtSecret,
    jwtSecretGenerated: !env.JWT_SECRET,
    jwtTtlSeconds: env.JWT_TTL_SECONDS,
    gatewaySecret: env.GATEWAY_SECRET ?? `gateway:${jwtSecret}`,
    adminPassword: env.ADMIN_PASSWORD,
    seedDemo: env.SEED_DEMO ?? env.NODE_ENV !== 'production',
    subgraphUrls: {
      templates: env.TEMPLATES_URL,
      datasets: env.DATASETS_URL,
      insights: env.INSIGHTS_URL,
      'model-registry': env.MODEL_REGISTRY_URL,
    },
    subgraphWaitSeconds: env.SUBGRAPH_WAIT_SECONDS,
    persistedOperationsOnly: env.PERSISTED_OPERATIONS_ONLY,
    trustedDocuments: trustedDocuments(env.TRUSTED_DOCUMENTS),
    webAppDir: env.WEB_APP_DIR === 'off' ? null : path.resolve(env.WEB_APP_DIR ?? path.join(PROJECT_ROOT, 'web/dist')),
    limits: {
      maxBytes: env.QUERY_MAX_BYTES,
      maxTokens: env.QUERY_MAX_TOKENS,
      maxDepth: env.QUERY_MAX_DEPTH,
      maxAliases: env.QUERY_MAX_ALIASES,
      maxRootFields: env.QUERY_MAX_ROOT_FIELDS,
      maxCost: env.QUERY_MAX_COST,
      requestMaxBytes: env.REQUEST_MAX_BYTES,
      requestMaxJsonDepth: env.REQUEST_MAX_JSON_DEPTH,
    },
    rateLimits: {
      operationsPerMinute: env.RATE_LIMIT_OPERATIONS_PER_MINUTE,
      loginsPerUsername: env.RATE_LIMIT_LOGINS_PER_USERNAME,
      loginsPerIp: env.RATE_LIMIT_LOGINS_PER_IP,
    },
    trustProxy: env.TRUST_PROXY === 'true' ? true : env.TRUST_PROXY === 'false' ? false : Number(env.TRUST_PROXY),
    ws: {
      maxMessageBytes: env.WS_MAX_MESSAGE_BYTES,
      maxSubscriptions: env.WS_MAX_SUBSCRIPTIONS,
      maxAnonymousPerAddress: env.WS_MAX_ANONYMOUS_PER_ADDRESS,
      shareWindowMs: env.WS_SHARE_WINDOW_MS,
    },
    apqAnonymousWrites: env.APQ_ANONYMOUS_WRITES,
    responseCache: {
      maxEntries: env.RESPONSE_CACHE_MAX_ENTRIES,
      // JavaScript strings of JSON: about a byte a character.
      maxChars: env.RESPONSE_CACHE_MAX_MB * 1024 * 1024,
      ttlSeconds: env.RESPONSE_CACHE_TTL_SECONDS,
    },
    quotas: {
      analysesPerUser: env.ANALYSIS_MAX_ACTIVE_PER_USER,
      urgentRoles: env.URGENT_ROLES.split(',').map((r) => r.trim()) as Role[],
      analysisMaxPoints: env.ANALYSIS_MAX_POINTS,
      analysisMaxDimensions: env.ANALYSIS_MAX_DIMENSIONS,
      analysisMaxDimensionValues: env.ANALYSIS_MAX_DIMENSION_VALUES,
      reportMaxSections: env.REPORT_MAX_SECTIONS,
      reportMaxRows: env.REPORT_MAX_ROWS,
      reportTemplateMaxBytes: env.REPORT_TEMPLATE_MAX_BYTES,
      reportSectionConcurrency: env.REPORT_SECTION_CONCURRENCY,
      scheduleMinIntervalMinutes: env.REPORT_SCHEDULE_MIN_INTERVAL_MINUTES,
      schedulesPerUser: env.REPORT_SCHEDULES_PER_USER,
      reportRunsPerHour: env.REPORT_RUNS_PER_HOUR,
      stuckWorkMinutes: env.STUCK_WORK_MINUTES,
    },
    auth: { recheckSeconds: env.AUTH_RECHECK_SECONDS, scryptLog2N: env.PASSWORD_SCRYPT_LOG2N },
    introspection: env.INTROSPECTION ?? (env.NODE_ENV === 'production' ? 'admins' : 'on'),
    metricsToken: env.METRICS_TOKEN,
    analysisConcurrency: env.ANALYSIS_CONCURRENCY,
    analysisQueue: { lockSeconds: env.ANALYSIS_LOCK_SECONDS, stalledIntervalSeconds: env.ANALYSIS_STALLED_INTERVAL_SECONDS },
    shutdownTimeoutSeconds: env.SHUTDOWN_TIMEOUT_SECONDS,
    workerMetricsPort: env.WORKER_METRICS_PORT,
    reports: {
      publicUrl: (env.PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}`).replace(/\/+$/, ''),
      linkSecret: env.LINK_SECRET ?? `links:${jwtSecret}`,
      exportLinkTtlSeconds: env.EXPORT_LINK_TTL_SECONDS,
      pdf: {
        chromiumPath: env.PDF_CHROMIUM_PATH,
        concurrency: env.PDF_CONCURRENCY,
        timeoutMs: env.PDF_TIMEOUT_MS,
        maxTableRows: env.PDF_MAX_TABLE_ROWS,
      },
      mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, maxAttachmentBytes: env.MAIL_MAX_ATTACHMENT_BYTES },
      webhook: { allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS, timeoutMs: env.WEBHOOK_TIMEOUT_MS },
      delivery: {
        maxAttempts: env.DELIVERY_MAX_ATTEMPTS,
        retryBaseSeconds: env.DELIVERY_RETRY_BASE_SECONDS,
        linkTtlSeconds: env.DELIVERY_LINK_TTL_SECONDS,
      },
      maxRecipients: env.REPORT_SCHEDULE_MAX_RECIPIENTS,
      snapshots: {
        enabled: env.SNAPSHOT_LINKS,
        maxHours: env.SNAPSHOT_LINK_MAX_HOURS,
        perUser: env.SNAPSHOT_LINKS_PER_USER,
        maxBytes: env.SNAPSHOT_MAX_BYTES,
      },
    },
    reportCacheTtlSeconds: env.REPORT_CACHE_TTL_SECONDS,
    reportCacheMemoryMb: env.REPORT_CACHE_MEMORY_MB,
    reportSchedulerIntervalSeconds: env.REPORT_SCHEDULER_INTERVAL_SECONDS,
    startWorker: env.START_WORKER,
    models: {
      driftPsiThreshold: env.DRIFT_PSI_THRESHOLD,
      driftIntervalSeconds: env.DRIFT_INTERVAL_SECONDS,
      healthIntervalSeconds: env.MODEL_HEALTH_INTERVAL_SECONDS,
      maxBytes: env.MODEL_MAX_BYTES,
    },
    onnx: {
      device: env.ONNX_DEVICE,
      ...(env.ONNX_WORKERS ? { workers: env.ONNX_WORKERS } : {}),
      maxBatch: env.ONNX_MAX_BATCH,
      maxDelayUs: env.ONNX_MAX_QUEUE_DELAY_US,
    },
    datasets: {
      queryMaxRows: env.DATASET_QUERY_MAX_ROWS,
      queryTimeoutMs: env.DATASET_QUERY_TIMEOUT_MS,
      queryPoolSize: env.DATASET_QUERY_POOL_SIZE,
      ingestPoolSize: env.INGEST_POOL_SIZE,
      transferIdleSeconds: env.TRANSFER_IDLE_SECONDS,
      transferMinBytesPerSecond: env.TRANSFER_MIN_BYTES_PER_SECOND,
      ingestMaxBytes: env.INGEST_MAX_BYTES,
      ingestMaxLineBytes: env.INGEST_MAX_LINE_BYTES,
      profileInlineMaxRows: env.PROFILE_INLINE_MAX_ROWS,
      importAllowPrivateNetworks: env.IMPORT_ALLOW_PRIVATE_NETWORKS,
      importTimeoutMs: env.IMPORT_TIMEOUT_MS,
      importMaxBytes: env.IMPORT_MAX_BYTES,
      exportMaxRows: env.EXPORT_MAX_ROWS,
    },
    tracing: tracingSettings(env),
  };
}

/** Where and what to trace; null when no OTLP endpoint is set (or the SDK is disabled). */
function tracingSettings(env: Env): TracingSettings | null {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base && `${base}/v1/traces`);
  if (!endpoint || env.OTEL_SDK_DISABLED) return null;
  return {
    endpoint,
    serviceName: env.OTEL_SERVICE_NAME ?? null,
    sampler: env.OTEL_TRACES_SAMPLER,
    samplerRatio: env.OTEL_TRACES_SAMPLER_ARG,
    continueClientTrace: env.TRACE_CONTINUE_CLIENT,
  };
}

export interface TracingSettings {
  /** The OTLP/HTTP traces URL spans are posted to. */
  endpoint: string;
  /** OTEL_SERVICE_NAME; null: the process's own default. */
  serviceName: string | null;
  sampler: Env['OTEL_TRACES_SAMPLER'];
  samplerRatio: number;
  /** The gateway continues a client's `traceparent` (TRACE_CONTINUE_CLIENT). */
  continueClientTrace: boolean;
}

/** Hides the password in a connection URL, for messages. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return raw;
  }
}
