// Builds compose/kubernetes overlays with a real kustomize and checks what comes out: every object
// against the Kubernetes (and KEDA, Prometheus Operator) OpenAPI schemas, strictly (an unknown
// field is an error, as kubeconform -strict and the API server's strict field validation have it),
// and the references between objects that no schema sees.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './processes.js';

export const KUBERNETES_DIR = path.join(ROOT, 'compose/kubernetes');

/** A Kubernetes object as built: loosely typed, read through the helpers below. */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
};

// ---------------------------------------------------------------------------------------------
// kustomize

/** `kustomize build` or, where only kubectl is installed, `kubectl kustomize` (kustomize inside). */
export function findKustomize(): { command: string; args: string[]; version: string } | null {
  for (const [command, args, versionArgs] of [
    ['kustomize', ['build'], ['version']],
    ['kubectl', ['kustomize'], ['version', '--client']],
  ] as const) {
    try {
      const version = execFileSync(command, versionArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const kustomize = /Kustomize Version: (\S+)/.exec(version)?.[1] ?? version.trim().split('\n')[0]!;
      return { command, args: [...args], version: kustomize };
    } catch {
      // not installed: try the next
    }
  }
  return null;
}

/**
 * A copy of compose/kubernetes in a temporary folder, each overlay's secrets.env made from its
 * secrets.env.example (the real one is gitignored), ready for extra overlays to be written into.
 */
export function copyKubernetesTree(): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'reportgraph-k8s-')), 'kubernetes');
  cpSync(KUBERNETES_DIR, dir, { recursive: true, filter: (src) => path.basename(src) !== 'secrets.env' });
  for (const overlay of readdirSync(path.join(dir, 'overlays'))) {
    const example = path.join(dir, 'overlays', overlay, 'secrets.env.example');
    if (existsSync(example)) cpSync(example, path.join(dir, 'overlays', overlay, 'secrets.env'));
  }
  return dir;
}

/** Writes another overlay into a copied tree, with the secrets.env of `secretsFrom`. */
export function writeOverlay(tree: string, name: string, kustomization: string, secretsFrom: string): string {
  const dir = path.join(tree, 'overlays', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'kustomization.yaml'), kustomization);
  cpSync(path.join(tree, 'overlays', secretsFrom, 'secrets.env'), path.join(dir, 'secrets.env'));
  return dir;
}

export function kustomizeBuild(kustomize: NonNullable<ReturnType<typeof findKustomize>>, dir: string): KubeObject[] {
  const out = execFileSync(kustomize.command, [...kustomize.args, dir], { encoding: 'utf8', maxBuffer: 64 * 1024 ** 2 });
  return parseManifests(out);
}

export function parseManifests(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS() as KubeObject | null;
    })
    .filter((o): o is KubeObject => o !== null);
}

// ---------------------------------------------------------------------------------------------
// Schemas

/** Where each kind's model lives: [package path, exported interface]. An unknown kind fails. */
const MODELS: Record<string, string> = {
  'v1/Namespace': 'kubernetes-models/v1/Namespace',
  'v1/ServiceAccount': 'kubernetes-models/v1/ServiceAccount',
  'v1/ConfigMap': 'kubernetes-models/v1/ConfigMap',
  'v1/Secret': 'kubernetes-models/v1/Secret',
  'v1/Service': 'kubernetes-models/v1/Service',
  'v1/PersistentVolumeClaim': 'kubernetes-models/v1/PersistentVolumeClaim',
  'apps/v1/Deployment': 'kubernetes-models/apps/v1/Deployment',
  'apps/v1/StatefulSet': 'kubernetes-models/apps/v1/StatefulSet',
  'batch/v1/Job': 'kubernetes-models/batch/v1/Job',
  'batch/v1/CronJob': 'kubernetes-models/batch/v1/CronJob',
  'policy/v1/PodDisruptionBudget': 'kubernetes-models/policy/v1/PodDisruptionBudget',
  'autoscaling/v2/HorizontalPodAutoscaler': 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
  'networking.k8s.io/v1/Ingress': 'kubernetes-models/networking.k8s.io/v1/Ingress',
  'keda.sh/v1alpha1/ScaledObject': '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject',
  'keda.sh/v1alpha1/TriggerAuthentication': '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication',
  'monitoring.coreos.com/v1/ServiceMonitor': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor',
  'monitoring.coreos.com/v1/PodMonitor': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor',
};

const id = (o: KubeObject) => `${o.kind}/${o.metadata?.name ?? '?'}`;

interface Model {
  new (data: unknown): { validate(): void };
}

/**
 * Schema errors of each object: the models' validators (ajv, compiled from the OpenAPI schemas:
 * types, formats, enums, required fields), then the same schemas as TypeScript types checked by
 * the compiler, whose excess-property check rejects fields the schema does not have.
 */
export async function schemaErrors(objects: KubeObject[]): Promise<string[]> {
  const errors: string[] = [];
  const known: KubeObject[] = [];
  for (const o of objects) {
    const modulePath = MODELS[`${o.apiVersion}/${o.kind}`];
    if (!modulePath) {
      errors.push(`${id(o)}: no schema for ${o.apiVersion} ${o.kind} (add it to MODELS in test/support/kubernetes.ts)`);
      continue;
    }
    known.push(o);
    const Model = ((await import(modulePath)) as Record<string, Model>)[o.kind]!;
    try {
      new Model(o).validate();
    } catch (err) {
      errors.push(`${id(o)}: ${(err as Error).message}`);
    }
  }
  return [...errors, ...unknownFieldErrors(known)];
}

/** Type-checks each object literal against its kind's interface; returns the compiler's complaints. */
function unknownFieldErrors(objects: KubeObject[]): string[] {
  if (!objects.length) return [];
  // Inside the checkout, so that module resolution finds node_modules; under node_modules/.cache,
  // which nothing lints or commits.
  const cache = path.join(ROOT, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(path.join(cache, 'k8s-schema-'));
  const file = path.join(dir, 'objects.ts');
  const lines: string[] = [];
  const owners: { from: number; object: KubeObject }[] = [];
  const kinds = [...new Set(objects.map((o) => `${o.apiVersion}/${o.kind}`))];
  kinds.forEach((k, i) => lines.push(`import type { I${k.split('/').pop()} as T${i} } from '${MODELS[k]}';`));
  objects.forEach((o, i) => {
    owners.push({ from: lines.length, object: o });
    const type = `T${kinds.indexOf(`${o.apiVersion}/${o.kind}`)}`;
    lines.push(...`export const o${i}: ${type} = ${JSON.stringify(o, null, 1)};`.split('\n'));
  });
  writeFileSync(file, lines.join('\n'));
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file || !d.file);
  const errors = diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n').pop()!;
    if (!d.file || d.start === undefined) return `schema types: ${message}`;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    const owner = [...owners].reverse().find((x) => x.from <= line);
    const text = d.file.text.split('\n')[line]!.trim();
    return `${owner ? id(owner.object) : '?'}: ${message} (at ${text})`;
  });
  rmSync(dir, { recursive: true, force: true });
  return errors;
}

// ---------------------------------------------------------------------------------------------
// References between objects

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export interface PodOwner {
  object: KubeObject;
  /** The pod template's labels and spec. */
  labels: Record<string, string>;
  pod: Obj;
}

/** Objects that run pods, with their pod templates (CronJobs' through their job template). */
export function podOwners(objects: KubeObject[]): PodOwner[] {
  return objects.flatMap((o) => {
    const spec = obj(o.spec);
    const template = o.kind === 'CronJob' ? obj(obj(obj(spec.jobTemplate).spec).template) : obj(spec.template);
    if (!['Deployment', 'StatefulSet', 'Job', 'CronJob'].includes(o.kind)) return [];
    return [{ object: o, labels: obj(obj(template.metadata).labels) as Record<string, string>, pod: obj(template.spec) }];
  });
}

export const containersOf = (pod: Obj) => [...list(pod.initContainers), ...list(pod.containers)];

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/**
 * Whether a LabelSelector (matchLabels and matchExpressions: In, NotIn, Exists, DoesNotExist)
 * selects these labels; an empty selector selects nothing here (in Kubernetes it selects all,
 * which no manifest of this project means).
 */
export function selects(selector: unknown, labels: Record<string, string>): boolean {
  const s = obj(selector);
  const matchLabels = obj(s.matchLabels) as Record<string, string>;
  const expressions = list(s.matchExpressions);
  if (!Object.keys(matchLabels).length && !expressions.length) return false;
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return expressions.every((e) => {
    const key = String(e.key);
    const values = Array.isArray(e.values) ? (e.values as string[]) : [];
    switch (e.operator) {
      case 'In':
        return key in labels && values.includes(labels[key]!);
      case 'NotIn':
        return !(key in labels) || !values.includes(labels[key]!);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        throw new Error(`unknown selector operator ${String(e.operator)}`);
    }
  });
}

/**
 * What the API server accepts but a cluster cannot run, or runs wrongly: names that point at
 * nothing (Secrets, ConfigMaps and their keys, Services, ports, scale targets, service accounts),
 * selectors that select nothing, and two autoscalers on one Deployment.
 */
export function referenceErrors(objects: KubeObject[]): string[] {
  const errors: string[] = [];
  const find = (kind: string, name: string | undefined, namespace: string | undefined) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
  const keysOf = (o: KubeObject) => new Set([...Object.keys(obj(o.data)), ...Object.keys(obj(o.stringData))]);

  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(key)) errors.push(`${id(o)}: defined twice`);
    seen.add(key);
    if (o.kind !== 'Namespace' && o.metadata.namespace && !find('Namespace', o.metadata.namespace, undefined)) {
      errors.push(`${id(o)}: namespace ${o.metadata.namespace} is not created by this build`);
    }
  }

  const owners = podOwners(objects);
  for (const { object: o, labels, pod } of owners) {
    const ns = o.metadata.namespace;
    const where = id(o);
    const selector = obj(obj(obj(o.spec).selector).matchLabels) as Record<string, string>;
    if (['Deployment', 'StatefulSet'].includes(o.kind) && !matches(selector, labels)) {
      errors.push(`${where}: spec.selector does not select its own pod template`);
    }
    const sa = str(pod.serviceAccountName);
    if (sa && !find('ServiceAccount', sa, ns)) errors.push(`${where}: ServiceAccount ${sa} does not exist`);
    const needs = (kind: 'Secret' | 'ConfigMap', name: string | undefined, key: string | undefined, optional: unknown) => {
      if (optional === true) return;
      const target = find(kind, name, ns);
      if (!target) errors.push(`${where}: ${kind} ${name} does not exist`);
      else if (key !== undefined && !keysOf(target).has(key)) errors.push(`${where}: ${kind} ${name} has no key ${key}`);
    };
    for (const v of list(pod.volumes)) {
      if (v.secret) needs('Secret', str(obj(v.secret).secretName), undefined, obj(v.secret).optional);
      if (v.configMap) needs('ConfigMap', str(obj(v.configMap).name), undefined, obj(v.configMap).optional);
      const claim = str(obj(v.persistentVolumeClaim).claimName);
      if (claim && !find('PersistentVolumeClaim', claim, ns)) errors.push(`${where}: PersistentVolumeClaim ${claim} does not exist`);
    }
    const volumeNames = new Set([
      ...list(pod.volumes).map((v) => str(v.name)),
      ...list(obj(o.spec).volumeClaimTemplates).map((t) => str(obj(t.metadata).name)),
    ]);
    for (const c of containersOf(pod)) {
      for (const from of list(c.envFrom)) {
        if (from.secretRef) needs('Secret', str(obj(from.secretRef).name), undefined, obj(from.secretRef).optional);
        if (from.configMapRef) needs('ConfigMap', str(obj(from.configMapRef).name), undefined, obj(from.configMapRef).optional);
      }
      for (const e of list(c.env)) {
        const ref = obj(e.valueFrom);
        if (ref.secretKeyRef) {
          const r = obj(ref.secretKeyRef);
          needs('Secret', str(r.name), str(r.key), r.optional);
        }
        if (ref.configMapKeyRef) {
          const r = obj(ref.configMapKeyRef);
          needs('ConfigMap', str(r.name), str(r.key), r.optional);
        }
      }
      for (const m of list(c.volumeMounts)) {
        if (!volumeNames.has(str(m.name))) errors.push(`${where}: container ${str(c.name)} mounts unknown volume ${str(m.name)}`);
      }
      const ports = list(c.ports);
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) {
        const p = obj(c[probe]);
        const port = obj(p.httpGet).port ?? obj(p.tcpSocket).port ?? obj(p.grpc).port;
        if (port === undefined) continue;
        const found = typeof port === 'number' ? ports.some((x) => x.containerPort === port) : ports.some((x) => x.name === port);
        if (!found)
          errors.push(`${where}: ${probe} of container ${str(c.name)} uses port ${String(port)}, which the container does not declare`);
      }
    }
  }

  const portsOfPods = (selector: Record<string, string>, ns: string | undefined) =>
    owners
      .filter((w) => w.object.metadata.namespace === ns && matches(selector, w.labels))
      .flatMap((w) => containersOf(w.pod).flatMap((c) => list(c.ports)));

  // A monitor's bearer token: the Secret and its key.
  const credentialErrors = (where: string, endpoint: Obj, ns: string | undefined) => {
    const cred = obj(obj(endpoint.authorization).credentials);
    if (!cred.name) return;
    const target = find('Secret', str(cred.name), ns);
    if (!target) errors.push(`${where}: Secret ${str(cred.name)} does not exist`);
    else if (!keysOf(target).has(str(cred.key)!)) errors.push(`${where}: Secret ${str(cred.name)} has no key ${str(cred.key)}`);
  };

  for (const o of objects) {
    const ns = o.metadata.namespace;
    const spec = obj(o.spec);
    const where = id(o);
    if (o.kind === 'Service') {
      const selector = obj(spec.selector) as Record<string, string>;
      const selected = owners.filter((w) => w.object.metadata.namespace === ns && matches(selector, w.labels));
      if (!selected.length) errors.push(`${where}: selects no pods of any Deployment or StatefulSet`);
      const podPorts = portsOfPods(selector, ns);
      for (const p of list(spec.ports)) {
        const target = p.targetPort ?? p.port;
        const ok = typeof target === 'number' ? podPorts.some((x) => x.containerPort === target) : podPorts.some((x) => x.name === target);
        if (selected.length && !ok) errors.push(`${where}: targetPort ${String(target)} is no port of the pods it selects`);
      }
    }
    if (o.kind === 'PodDisruptionBudget') {
      const selector = obj(obj(spec.selector).matchLabels) as Record<string, string>;
      if (!owners.some((w) => w.object.metadata.namespace === ns && matches(selector, w.labels))) {
        errors.push(`${where}: selects no pods`);
      }
    }
    if (o.kind === 'HorizontalPodAutoscaler' || o.kind === 'ScaledObject') {
      const ref = obj(spec.scaleTargetRef);
      const kind = str(ref.kind) ?? 'Deployment';
      if (!find(kind, str(ref.name), ns)) errors.push(`${where}: scale target ${kind} ${str(ref.name)} does not exist`);
    }
    if (o.kind === 'ScaledObject') {
      for (const t of list(spec.triggers)) {
        const auth = str(obj(t.authenticationRef).name);
        if (auth && !find('TriggerAuthentication', auth, ns)) errors.push(`${where}: TriggerAuthentication ${auth} does not exist`);
      }
    }
    if (o.kind === 'TriggerAuthentication') {
      for (const r of list(spec.secretTargetRef)) {
        const target = find('Secret', str(r.name), ns);
        if (!target) errors.push(`${where}: Secret ${str(r.name)} does not exist`);
        else if (!keysOf(target).has(str(r.key)!)) errors.push(`${where}: Secret ${str(r.name)} has no key ${str(r.key)}`);
      }
    }
    if (o.kind === 'Ingress') {
      for (const rule of list(spec.rules)) {
        for (const p of list(obj(rule.http).paths)) {
          const service = obj(obj(p.backend).service);
          const target = find('Service', str(service.name), ns);
          const port = obj(service.port);
          if (!target) errors.push(`${where}: Service ${str(service.name)} does not exist`);
          else if (!list(obj(target.spec).ports).some((x) => (port.name !== undefined ? x.name === port.name : x.port === port.number))) {
            errors.push(`${where}: Service ${str(service.name)} has no port ${String(port.name ?? port.number)}`);
          }
        }
      }
    }
    if (o.kind === 'ServiceMonitor') {
      const services = objects.filter(
        (s) => s.kind === 'Service' && s.metadata.namespace === ns && selects(spec.selector, s.metadata.labels ?? {}),
      );
      if (!services.length) errors.push(`${where}: selects no Service`);
      for (const e of list(spec.endpoints)) {
        // Every selected Service must have the port: Prometheus scrapes only those that do.
        for (const s of services) {
          if (e.port && !list(obj(s.spec).ports).some((x) => x.name === e.port)) {
            errors.push(`${where}: Service ${s.metadata.name} has no port named ${str(e.port)}`);
          }
        }
        credentialErrors(where, e, ns);
      }
    }
    if (o.kind === 'PodMonitor') {
      const pods = owners.filter((w) => w.object.metadata.namespace === ns && selects(spec.selector, w.labels));
      if (!pods.length) errors.push(`${where}: selects no pods`);
      for (const e of list(spec.podMetricsEndpoints)) {
        for (const w of pods) {
          if (e.port && !containersOf(w.pod).some((c) => list(c.ports).some((x) => x.name === e.port))) {
            errors.push(`${where}: pods of ${id(w.object)} have no port named ${str(e.port)}`);
          }
        }
        credentialErrors(where, e, ns);
      }
    }
  }

  // One owner of a Deployment's replica count: KEDA makes an HPA of its own for a ScaledObject, and
  // a `replicas` field would be reset by every apply.
  const scaled = objects
    .filter((o) => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'ScaledObject')
    .map((o) => ({ o, target: str(obj(obj(o.spec).scaleTargetRef).name) }));
  for (const { o, target } of scaled) {
    const others = scaled.filter((x) => x.target === target && x.o !== o);
    if (others.length) errors.push(`${id(o)}: Deployment ${target} is also scaled by ${others.map((x) => id(x.o)).join(', ')}`);
    const deployment = find('Deployment', target, o.metadata.namespace);
    if (deployment && obj(deployment.spec).replicas !== undefined) {
      errors.push(`${id(deployment)}: sets replicas although ${id(o)} scales it`);
    }
  }
  return errors;
}
