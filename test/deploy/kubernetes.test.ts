// compose/kubernetes: each overlay is built with a real kustomize (kustomize, or kubectl's), and
// every object that comes out is checked against the Kubernetes, KEDA and Prometheus Operator
// schemas (strictly: unknown fields fail), for references that resolve, and for what ReportGraph
// itself needs (its settings parse, its ports and URLs agree, the commands are what the build and
// the image run, KEDA reads the queue-depth metric the application exports and the wait list BullMQ
// writes). The validator's own cases show it rejects broken manifests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Config, ConfigError, loadConfig, SETTING_NAMES } from '../../lib/config.js';
import { appMetrics, metrics } from '../../lib/metrics.js';
import { ANALYSIS_QUEUE, queuePrefix } from '../../subgraphs/insights/queue.js';
import { buildOutputs, originOf, parseDockerfile, workdirOf } from '../support/dockerfile.js';
import {
  containersOf,
  copyKubernetesTree,
  findKustomize,
  type KubeObject,
  kustomizeBuild,
  parseManifests,
  podOwners,
  referenceErrors,
  schemaErrors,
  selects,
  writeOverlay,
} from '../support/kubernetes.js';
import { ROOT } from '../support/processes.js';

const kustomize = findKustomize();
const MISSING =
  'compose/kubernetes not built: neither `kustomize` nor `kubectl` (which carries kustomize) is on PATH. ' +
  'Install kubectl 1.27+ or kustomize 5+ to run these checks.';
if (!kustomize) console.warn(MISSING);

/** Production without KEDA: the fallback the README documents (components/hpa-workers). */
const PRODUCTION_WITHOUT_KEDA = (production: string) =>
  production
    .replace('  - ../../components/keda-workers\n', '  - ../../components/hpa-workers\n')
    .replace('  - ../../components/gpu-workers\n', '')
    .replace(/^ {2}- target: \{ kind: ScaledObject[^\n]*\n( {4}[^\n]*\n)+/gm, '');

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const named = (objects: KubeObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const configMap = (objects: KubeObject[]) =>
  obj(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('reportgraph-config'))!.data) as Record<string, string>;

/** Secret keys for other readers than the parts: in-cluster PostgreSQL and Redis, KEDA. */
const INFRASTRUCTURE_KEYS = new Set(['POSTGRES_PASSWORD', 'REDIS_PASSWORD', 'REDIS_ADDRESS']);
/** Valid values for the Secret's keys, whose examples are empty, so that loadConfig can judge the rest. */
const SECRET_STAND_INS: Record<string, string> = {
  DATABASE_URL: 'postgresql://reportgraph:password@postgres:5432/reportgraph',
  REDIS_URL: 'redis://:password@redis:6379',
  JWT_SECRET: 'j'.repeat(64),
  GATEWAY_SECRET: 'g'.repeat(64),
  LINK_SECRET: 'l'.repeat(64),
  ADMIN_PASSWORD: 'an admin password',
  METRICS_TOKEN: 'm'.repeat(32),
  SMTP_URL: 'smtp://mail.example.com:587',
};

/** The queue-depth gauge the insights subgraph exports (lib/metrics.ts), which KEDA scales the workers on. */
const QUEUE_DEPTH = 'reportgraph_analysis_queue_depth';

/** The application's image (compose/Dockerfile), as the overlays name it: reportgraph or <registry>/reportgraph. */
const APP_IMAGE = /(^|\/)reportgraph(:|$)/;

/** The parts: containers of the application's image, each running one compiled entry point (node dist/<part>.js). */
function parts(objects: KubeObject[]) {
  return podOwners(objects).flatMap((owner) =>
    containersOf(owner.pod)
      .filter((c) => APP_IMAGE.test(String(c.image)))
      .map((container) => {
        const command = Array.isArray(container.command) ? (container.command as string[]) : [];
        return { ...owner, container, command, entry: command[0] === 'node' ? scriptOf(command) : '' };
      }),
  );
}

/** What runs the parts outside Kubernetes: package.json's production scripts (start:prod*, db:migrate:prod). */
const PRODUCTION_SCRIPTS = Object.entries(
  (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts,
)
  .filter(([name]) => /(^|:)prod(:|$)/.test(name))
  .map(([, command]) => command);
const BUILD_OUTPUTS = buildOutputs();
const DOCKERFILE = parseDockerfile(readFileSync(path.join(ROOT, 'compose/Dockerfile'), 'utf8'));
/** The stage that runs `npm run build`, and the image stage of a container: the CUDA build (tag -gpu) is the worker-gpu target, the rest the default (last) one. */
const BUILD_STAGE = DOCKERFILE.find((s) => s.body.some((i) => i.op === 'RUN' && /\bnpm run build\b/.test(i.args)))!.name;
const imageStage = (image: string) => (/-gpu$/.test(image) ? 'worker-gpu' : DOCKERFILE.at(-1)!.name);

/** The script `node [flags…] script [args…]` runs (flags written `--name=value`). */
const scriptOf = (command: string[]) => String(command.slice(1).find((arg) => !arg.startsWith('-')));

/** Where a part's command finds its entry point: a file `npm run build` emits, copied into the image where the command looks. */
function commandErrors(where: string, container: Obj, command: string[], entry: string): string[] {
  if (!command.length) return [`${where}: ${String(container.name)} has no command (the image's default runs the gateway)`];
  if (!PRODUCTION_SCRIPTS.includes(command.join(' '))) {
    return [`${where}: runs \`${command.join(' ')}\`, which no production script of package.json runs (${PRODUCTION_SCRIPTS.join('; ')})`];
  }
  const source = BUILD_OUTPUTS.get(path.normalize(entry));
  if (!source) return [`${where}: runs ${entry}, which npm run build (tsconfig.build.json) does not emit`];
  const stage = imageStage(String(container.image));
  const workdir = typeof container.workingDir === 'string' ? container.workingDir : workdirOf(DOCKERFILE, stage);
  const file = path.posix.resolve(workdir, entry);
  const origin = originOf(DOCKERFILE, stage, file);
  const built = path.posix.join(workdirOf(DOCKERFILE, BUILD_STAGE), entry);
  if (origin?.stage !== BUILD_STAGE || origin.path !== built) {
    return [
      `${where}: ${file} in the image (stage ${stage}, WORKDIR ${workdir}) is not the build's ${built} (it is ${JSON.stringify(origin)})`,
    ];
  }
  return [];
}

/** The annotations a Prometheus that reads them scrapes by: /metrics on a port the pod declares. */
function scrapeErrors(where: string, pod: Obj, annotations: Record<string, string>): string[] {
  if (annotations['prometheus.io/scrape'] !== 'true') return [`${where}: no prometheus.io/scrape annotation`];
  const port = Number(annotations['prometheus.io/port']);
  const declared = containersOf(pod).flatMap((c) => list(c.ports).map((p) => p.containerPort));
  const errors = declared.includes(port) ? [] : [`${where}: prometheus.io/port ${annotations['prometheus.io/port']} is no port of the pod`];
  if (annotations['prometheus.io/path'] !== '/metrics') errors.push(`${where}: prometheus.io/path is not /metrics`);
  return errors;
}

function bytes(size: string): number {
  const m = /^(\d+)([kmg]?)$/i.exec(size);
  if (!m) throw new Error(`not an nginx size: ${size}`);
  return Number(m[1]) * 1024 ** ' kmg'.indexOf((m[2] || ' ').toLowerCase());
}

/** What ReportGraph needs of a build, beyond schemas and references. */
function reportGraphErrors(objects: KubeObject[]): string[] {
  const errors: string[] = [];
  const settings = configMap(objects);
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name.startsWith('reportgraph-secrets'));
  const secretKeys = Object.keys(obj(secret?.data));

  // Every key is a setting (or a key for the infrastructure), so that a misspelt one fails here.
  for (const key of Object.keys(settings)) {
    if (!SETTING_NAMES.includes(key)) errors.push(`ConfigMap: ${key} is no setting of lib/config.ts`);
  }
  for (const key of secretKeys) {
    if (!SETTING_NAMES.includes(key) && !INFRASTRUCTURE_KEYS.has(key)) errors.push(`Secret: ${key} is no setting of lib/config.ts`);
    if (SETTING_NAMES.includes(key) && !(key in SECRET_STAND_INS)) errors.push(`Secret: no stand-in value for ${key} in this test`);
  }

  for (const { object, pod, container, command, entry } of parts(objects)) {
    const where = `${object.kind}/${object.metadata.name}`;
    errors.push(...commandErrors(where, container, command, entry));
    const env: Record<string, string> = { ...settings };
    for (const e of list(container.env)) {
      const name = String(e.name);
      if (name !== 'HOME' && !SETTING_NAMES.includes(name)) errors.push(`${where}: env ${name} is no setting`);
      if (typeof e.value === 'string') env[name] = e.value;
    }
    for (const key of secretKeys) if (SECRET_STAND_INS[key]) env[key] = SECRET_STAND_INS[key];
    let config: Config | undefined;
    try {
      config = loadConfig(env);
    } catch (err) {
      errors.push(`${where}: ${err instanceof ConfigError ? err.message : String(err)}`);
    }
    if (!config) continue;

    // A subgraph listens on its own URL's port, the gateway on PORT; the container must say so,
    // and the URL must reach this Deployment through a Service of that port.
    const ports = list(container.ports).map((p) => p.containerPort);
    const subgraph = /^dist\/subgraphs\/([\w-]+)\/main\.js$/.exec(entry)?.[1];
    if (subgraph) {
      const url = new URL(config.subgraphUrls[subgraph as keyof Config['subgraphUrls']]);
      if (!ports.includes(Number(url.port)))
        errors.push(`${where}: listens on ${url.port} (its URL) but declares ports ${ports.join(', ')}`);
      const service = named(objects, 'Service', url.hostname);
      const selector = obj(obj(service?.spec).selector) as Record<string, string>;
      const labels = obj(obj(obj(object.spec).template).metadata).labels as Record<string, string>;
      if (!service || !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
        errors.push(`${where}: its URL ${url.href} names no Service that selects it`);
      } else if (!list(obj(service.spec).ports).some((p) => p.port === Number(url.port))) {
        errors.push(`${where}: Service ${url.hostname} has no port ${url.port}`);
      }
    }
    if (entry === 'dist/gateway/main.js' && !ports.includes(config.port)) errors.push(`${where}: PORT ${config.port} is not declared`);

    // Servers: probes on the health endpoints, on the port the part listens on; /metrics there,
    // announced to Prometheus. Workers: /healthz and /metrics on WORKER_METRICS_PORT, no readiness
    // (no Service sends them traffic).
    const probe = (name: string) => obj(obj(container[name]).httpGet);
    const annotations = (obj(obj(obj(object.spec).template).metadata).annotations ?? {}) as Record<string, string>;
    if (entry === 'dist/subgraphs/insights/worker/main.js') {
      const metricsPort = list(container.ports).find((p) => p.name === 'metrics');
      if (!config.workerMetricsPort) errors.push(`${where}: WORKER_METRICS_PORT is not set (the worker serves no /healthz or /metrics)`);
      else if (metricsPort?.containerPort !== config.workerMetricsPort)
        errors.push(`${where}: WORKER_METRICS_PORT ${config.workerMetricsPort} is not its port named metrics`);
      for (const name of ['startupProbe', 'livenessProbe']) {
        if (probe(name).path !== '/healthz' || probe(name).port !== 'metrics')
          errors.push(`${where}: ${name} is not GET /healthz on metrics`);
      }
      if (container.readinessProbe) errors.push(`${where}: a readinessProbe on a worker decides nothing (no Service)`);
      errors.push(...scrapeErrors(where, pod, annotations));
    } else if (object.kind === 'Deployment') {
      if (probe('readinessProbe').path !== '/readyz') errors.push(`${where}: readinessProbe is not GET /readyz`);
      if (probe('livenessProbe').path !== '/healthz') errors.push(`${where}: livenessProbe is not GET /healthz`);
      if (!container.startupProbe) errors.push(`${where}: no startupProbe`);
      errors.push(...scrapeErrors(where, pod, annotations));
      const listens = subgraph ? Number(new URL(config.subgraphUrls[subgraph as keyof Config['subgraphUrls']]).port) : config.port;
      if (Number(annotations['prometheus.io/port']) !== listens)
        errors.push(`${where}: scraped on ${annotations['prometheus.io/port']}, listens on ${listens}`);
    }

    // Graceful shutdown fits in the grace period: preStop sleep + SHUTDOWN_TIMEOUT_SECONDS.
    const shutdown = config.shutdownTimeoutSeconds;
    const preStop = (obj(obj(obj(container.lifecycle).preStop).exec).command ?? []) as string[];
    const sleep = preStop[0] === 'sleep' ? Number(preStop[1]) : 0;
    const grace = Number(pod.terminationGracePeriodSeconds ?? 30);
    if (object.kind === 'Deployment' && grace < sleep + shutdown) {
      errors.push(`${where}: terminationGracePeriodSeconds ${grace} < preStop ${sleep} s + SHUTDOWN_TIMEOUT_SECONDS ${shutdown} s`);
    }
  }

  // Uploads pass the ingress whole: proxy-body-size at least the largest upload setting.
  const config = loadConfig({
    ...settings,
    ...Object.fromEntries(secretKeys.filter((k) => SECRET_STAND_INS[k]).map((k) => [k, SECRET_STAND_INS[k]!])),
  });
  for (const ingress of objects.filter((o) => o.kind === 'Ingress')) {
    const a = ingress.metadata.annotations ?? {};
    const largest = Math.max(config.datasets.ingestMaxBytes, config.models.maxBytes);
    const body = a['nginx.ingress.kubernetes.io/proxy-body-size'];
    if (!body || bytes(body) < largest) errors.push(`Ingress/${ingress.metadata.name}: proxy-body-size ${body} < ${largest} bytes`);
    if (a['nginx.ingress.kubernetes.io/proxy-request-buffering'] !== 'off')
      errors.push(`Ingress/${ingress.metadata.name}: request buffering is on`);
    for (const t of ['proxy-read-timeout', 'proxy-send-timeout']) {
      if (Number(a[`nginx.ingress.kubernetes.io/${t}`] ?? 60) < 3600)
        errors.push(`Ingress/${ingress.metadata.name}: ${t} under an hour cuts subscriptions`);
    }
  }

  // KEDA reads the queue depth the insights subgraph exports (one series per replica, all the
  // same count: max by priority), scraped by a ServiceMonitor of this build, and the wait list
  // BullMQ writes for this REDIS_KEY_PREFIX.
  const queue = `${queuePrefix(config)}:${ANALYSIS_QUEUE}`;
  for (const so of objects.filter((o) => o.kind === 'ScaledObject')) {
    const where = `ScaledObject/${so.metadata.name}`;
    for (const t of list(obj(so.spec).triggers)) {
      const meta = obj(t.metadata);
      if (t.type === 'redis' && meta.listName !== `${queue}:wait`)
        errors.push(`${where}: listName ${String(meta.listName)} is not ${queue}:wait`);
      if (t.type !== 'prometheus') continue;
      const depth = `max by (priority) (${QUEUE_DEPTH}{namespace="${so.metadata.namespace}"})`;
      if (!String(meta.query).includes(depth)) errors.push(`${where}: query ${String(meta.query)} does not read ${depth}`);
      const insights = named(objects, 'Service', 'insights');
      const scraped = objects.some(
        (m) =>
          m.kind === 'ServiceMonitor' &&
          insights &&
          selects(obj(m.spec).selector, insights.metadata.labels ?? {}) &&
          list(obj(m.spec).endpoints).some((e) => e.path === '/metrics'),
      );
      if (!scraped) errors.push(`${where}: no ServiceMonitor scrapes the insights subgraph's /metrics, whose queue depth it reads`);
    }
  }

  // Every pod: non-root, no privilege, read-only root, requests and limits.
  for (const { object, pod } of podOwners(objects)) {
    const where = `${object.kind}/${object.metadata.name}`;
    const security = obj(pod.securityContext);
    if (security.runAsNonRoot !== true || !(Number(security.runAsUser) > 0))
      errors.push(`${where}: not runAsNonRoot with a numeric runAsUser`);
    if (obj(security.seccompProfile).type !== 'RuntimeDefault') errors.push(`${where}: no RuntimeDefault seccomp profile`);
    for (const c of containersOf(pod)) {
      const s = obj(c.securityContext);
      if (s.allowPrivilegeEscalation !== false) errors.push(`${where}: ${String(c.name)} allows privilege escalation`);
      const drop = obj(s.capabilities).drop;
      if (!Array.isArray(drop) || !drop.includes('ALL')) {
        errors.push(`${where}: ${String(c.name)} keeps its capabilities`);
      }
      if (s.readOnlyRootFilesystem !== true) errors.push(`${where}: ${String(c.name)} has a writable root filesystem`);
      const r = obj(c.resources);
      for (const [kind, resource] of [
        ['requests', 'cpu'],
        ['requests', 'memory'],
        ['limits', 'cpu'],
        ['limits', 'memory'],
      ]) {
        if (obj(r[kind!])[resource!] === undefined) errors.push(`${where}: ${String(c.name)} has no ${kind} ${resource}`);
      }
    }
  }
  return errors;
}

describe('the manifest validator', () => {
  const deployment = (container: Record<string, unknown>) =>
    parseManifests(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: broken, namespace: ns }
spec:
  selector: { matchLabels: { app: broken } }
  template:
    metadata: { labels: { app: broken } }
    spec:
      containers: [${JSON.stringify({ name: 'c', image: 'i', ...container })}]
`);

  it('rejects a Deployment whose fields have the wrong types', async () => {
    const errors = await schemaErrors(deployment({ ports: [{ containerPort: 'http' }] }));
    expect(errors.join('\n')).toMatch(/Deployment\/broken: .*containerPort must be integer/);
  });

  it('rejects a Deployment without its required fields', async () => {
    const [broken] = deployment({});
    delete (broken!.spec as Obj).selector;
    expect((await schemaErrors([broken!])).join('\n')).toMatch(/Deployment\/broken: data\/spec must have required property selector/);
  });

  it('rejects a field the schema does not have (a misspelt probe)', async () => {
    const errors = await schemaErrors(deployment({ readinesProbe: { httpGet: { path: '/readyz', port: 80 } } }));
    expect(errors.join('\n')).toMatch(/Deployment\/broken: .*'"readinesProbe"' does not exist in type 'IContainer'/);
  });

  it('rejects a KEDA trigger whose metadata is not strings', async () => {
    const errors = await schemaErrors(
      parseManifests(`
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: broken }
spec:
  scaleTargetRef: { name: worker }
  triggers: [{ type: redis, metadata: { listName: q, listLength: 5 } }]
`),
    );
    expect(errors.join('\n')).toMatch(/ScaledObject\/broken: .*listLength must be string/);
  });

  it('rejects commands that no build output or image path backs', () => {
    const run = (command: string[], extra: Obj = {}) =>
      commandErrors('Deployment/x', { name: 'c', image: 'reportgraph:1', ...extra }, command, scriptOf(command));
    expect(run(['node', 'dist/gateway/main.js', 'distributed'])).toEqual([]);
    expect(run(['node', 'dist/subgraphs/insights/worker/main.js'], { image: 'r.example.com/reportgraph:1-gpu' })).toEqual([]);
    expect(run([])).toEqual([expect.stringMatching(/has no command/)]);
    expect(run(['node', 'dist/gateway/main.ts', 'distributed'])).toEqual([expect.stringMatching(/no production script/)]);
    expect(run(['node', 'dist/gateway/main.js', 'distributed'], { workingDir: '/srv' })).toEqual([
      expect.stringMatching(
        /\/srv\/dist\/gateway\/main\.js in the image \(stage runtime, WORKDIR \/srv\) is not the build's \/app\/dist\/gateway\/main\.js/,
      ),
    ]);
    expect(BUILD_OUTPUTS.get('dist/prisma/migrate.js')).toBe('prisma/migrate.ts');
    expect(BUILD_OUTPUTS.has('dist/prisma/seed.test.js')).toBe(false);
  });

  it('reads the queue-depth gauge that lib/metrics.ts registers', () => {
    expect(appMetrics.getSingleMetric(QUEUE_DEPTH)).toBe(metrics.queueDepth);
  });

  it('matches label selectors with expressions', () => {
    const selector = { matchLabels: { app: 'rg' }, matchExpressions: [{ key: 'part', operator: 'In', values: ['a', 'b'] }] };
    expect(selects(selector, { app: 'rg', part: 'a' })).toBe(true);
    expect(selects(selector, { app: 'rg', part: 'c' })).toBe(false);
    expect(selects(selector, { app: 'rg' })).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'part', operator: 'NotIn', values: ['a'] }] }, { part: 'b' })).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'part', operator: 'DoesNotExist' }] }, { part: 'b' })).toBe(false);
    expect(selects({}, { app: 'rg' })).toBe(false);
  });

  it('rejects a kind it has no schema for', async () => {
    const errors = await schemaErrors(parseManifests('apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n'));
    expect(errors).toEqual([expect.stringMatching(/Widget\/w: no schema/)]);
  });

  it('rejects references to nothing', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } },
      ...deployment({
        ports: [{ name: 'http', containerPort: 80 }],
        envFrom: [{ secretRef: { name: 'absent' } }],
        env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'Y' } } }],
        readinessProbe: { httpGet: { path: '/readyz', port: 'metrics' } },
      }),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'ns' }, data: { Z: '1' } },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'lonely', namespace: 'ns' },
        spec: { selector: { app: 'nobody' }, ports: [{ port: 80 }] },
      },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'h', namespace: 'ns' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gone' }, maxReplicas: 2 },
      },
      {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: 's', namespace: 'ns' },
        spec: { scaleTargetRef: { name: 'also-gone' }, triggers: [{ type: 'redis', metadata: {}, authenticationRef: { name: 'auth' } }] },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name: 'pods', namespace: 'ns' },
        spec: {
          selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['broken'] }] },
          podMetricsEndpoints: [{ port: 'metrics', authorization: { credentials: { name: 'settings', key: 'TOKEN' } } }],
        },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'services', namespace: 'ns' },
        spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['nobody'] }] }, endpoints: [{ port: 'http' }] },
      },
    ] as KubeObject[];
    expect(referenceErrors(objects)).toEqual([
      'Deployment/broken: Secret absent does not exist',
      'Deployment/broken: ConfigMap settings has no key Y',
      'Deployment/broken: readinessProbe of container c uses port metrics, which the container does not declare',
      'Service/lonely: selects no pods of any Deployment or StatefulSet',
      'HorizontalPodAutoscaler/h: scale target Deployment gone does not exist',
      'ScaledObject/s: scale target Deployment also-gone does not exist',
      'ScaledObject/s: TriggerAuthentication auth does not exist',
      'PodMonitor/pods: pods of Deployment/broken have no port named metrics',
      'PodMonitor/pods: Secret settings does not exist',
      'ServiceMonitor/services: selects no Service',
    ]);
  });
});

describe.skipIf(!kustomize)(`compose/kubernetes overlays (${kustomize?.command ?? 'no kustomize'} ${kustomize?.version ?? ''})`, () => {
  const OVERLAYS = ['dev', 'production', 'production-without-keda'] as const;
  const builds = {} as Record<(typeof OVERLAYS)[number], KubeObject[]>;

  beforeAll(() => {
    const tree = copyKubernetesTree();
    writeOverlay(
      tree,
      'production-without-keda',
      PRODUCTION_WITHOUT_KEDA(readFileSync(path.join(tree, 'overlays/production/kustomization.yaml'), 'utf8')),
      'production',
    );
    for (const name of OVERLAYS) builds[name] = kustomizeBuild(kustomize!, path.join(tree, 'overlays', name));
  });

  it.each(OVERLAYS)('%s: every object validates against its schema', async (name) => {
    expect(builds[name].length).toBeGreaterThan(20);
    expect(await schemaErrors(builds[name])).toEqual([]);
  });

  it.each(OVERLAYS)('%s: every reference resolves', (name) => {
    expect(referenceErrors(builds[name])).toEqual([]);
  });

  it.each(OVERLAYS)('%s: settings, ports, probes, shutdown, ingress limits, queue keys and pod security agree', (name) => {
    expect(reportGraphErrors(builds[name])).toEqual([]);
  });

  it('every part of the distributed topology runs, in every overlay', () => {
    for (const name of OVERLAYS) {
      const entries = parts(builds[name]).map((p) => `${p.object.kind}/${p.object.metadata.name}: ${p.entry}`);
      expect(entries, name).toEqual(
        expect.arrayContaining([
          'Job/migrate: dist/prisma/migrate.js',
          'Deployment/gateway: dist/gateway/main.js',
          'Deployment/templates: dist/subgraphs/templates/main.js',
          'Deployment/datasets: dist/subgraphs/datasets/main.js',
          'Deployment/insights: dist/subgraphs/insights/main.js',
          'Deployment/model-registry: dist/subgraphs/model-registry/main.js',
          'Deployment/worker: dist/subgraphs/insights/worker/main.js',
        ]),
      );
    }
    expect(parts(builds.production).map((p) => p.object.metadata.name)).toContain('worker-gpu');
    // The migration Job runs what db:migrate:prod runs.
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const name of OVERLAYS) {
      expect(
        parts(builds[name])
          .find((p) => p.object.kind === 'Job')
          ?.command.join(' '),
      ).toBe(pkg.scripts['db:migrate:prod']);
    }
  });

  it('dev: one replica of each part, PostgreSQL and Redis in the cluster, nothing that needs a CRD or a GPU', () => {
    const dev = builds.dev;
    expect(
      dev.filter((o) => !['v1', 'apps/v1', 'batch/v1', 'policy/v1', 'autoscaling/v2', 'networking.k8s.io/v1'].includes(o.apiVersion)),
    ).toEqual([]);
    for (const hpa of dev.filter((o) => o.kind === 'HorizontalPodAutoscaler'))
      expect(obj(hpa.spec)).toMatchObject({ minReplicas: 1, maxReplicas: 2 });
    expect(named(dev, 'StatefulSet', 'postgres')).toBeDefined();
    expect(named(dev, 'StatefulSet', 'redis')).toBeDefined();
    expect(JSON.stringify(dev)).not.toContain('nvidia.com/gpu');
  });

  it('production: workers scaled by KEDA, GPU workers on GPU nodes, managed data, backups', () => {
    const prod = builds.production;
    expect(named(prod, 'StatefulSet', 'postgres')).toBeUndefined();
    expect(obj(named(prod, 'HorizontalPodAutoscaler', 'gateway')?.spec).minReplicas).toBeGreaterThanOrEqual(3);
    const worker = obj(named(prod, 'ScaledObject', 'worker')?.spec);
    expect(worker).toMatchObject({ scaleTargetRef: { name: 'worker' }, minReplicaCount: 2, maxReplicaCount: 30 });
    expect(list(worker.triggers).map((t) => t.type)).toEqual(['prometheus', 'redis']);

    const gpu = podOwners([named(prod, 'Deployment', 'worker-gpu')!])[0]!;
    const container = containersOf(gpu.pod)[0]!;
    expect(obj(obj(container.resources).limits)['nvidia.com/gpu']).toBe(1);
    expect(list(container.env)).toContainEqual({ name: 'ONNX_DEVICE', value: 'cuda' });
    expect(String(container.image)).toMatch(/-gpu$/);
    expect(list(gpu.pod.tolerations)).toContainEqual(expect.objectContaining({ key: 'nvidia.com/gpu' }));
    expect(obj(gpu.pod.nodeSelector)).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(obj(named(prod, 'ScaledObject', 'worker-gpu')?.spec)).toMatchObject({
      minReplicaCount: 0,
      scaleTargetRef: { name: 'worker-gpu' },
    });

    // Prometheus Operator: the gateway and the subgraphs by Service, the workers (no Service) by pod.
    const subgraphs = obj(named(prod, 'ServiceMonitor', 'subgraphs')?.spec);
    for (const name of ['templates', 'datasets', 'insights', 'model-registry'])
      expect(selects(subgraphs.selector, named(prod, 'Service', name)!.metadata.labels!), name).toBe(true);
    expect(selects(subgraphs.selector, named(prod, 'Service', 'gateway')!.metadata.labels!)).toBe(false);
    const workers = obj(named(prod, 'PodMonitor', 'workers')?.spec);
    for (const w of podOwners(prod).filter((o) => ['worker', 'worker-gpu'].includes(o.object.metadata.name)))
      expect(selects(workers.selector, w.labels), w.object.metadata.name).toBe(true);
    expect(
      prod
        .filter((o) => o.kind === 'PodMonitor' || o.kind === 'ServiceMonitor')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['gateway', 'subgraphs', 'workers']);
    expect(named(prod, 'Deployment', 'redis-exporter')).toBeUndefined();

    const backup = named(prod, 'CronJob', 'postgres-backup');
    expect(JSON.stringify(backup)).toContain('pg_dump');
    expect(JSON.stringify(backup)).toMatch(/"BACKUP_RETENTION_DAYS","value":"30"/);
  });

  it('production without KEDA: an HPA scales the workers and nothing needs KEDA', () => {
    const objects = builds['production-without-keda'];
    expect(objects.filter((o) => o.apiVersion.startsWith('keda.sh/'))).toEqual([]);
    expect(obj(named(objects, 'HorizontalPodAutoscaler', 'worker')?.spec)).toMatchObject({ scaleTargetRef: { name: 'worker' } });
  });
});

describe.runIf(!kustomize && process.env.CI === 'true')('compose/kubernetes in CI', () => {
  it('has kustomize', () => {
    throw new Error(MISSING);
  });
});
