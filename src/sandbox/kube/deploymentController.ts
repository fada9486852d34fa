import type { SandboxRequest } from '../http';
import type { KubeClusterContext } from './clusterContext';
import { type LabelSelector } from './deploymentSpec';
import { recordEvent } from './events';
import { kubeTime, nextResourceVersion, type KubeObject } from './kubeState';
import { recordUpdate } from './managedFields';
import { controllerRefTo, deleteStored, MANAGER, ownedBy } from './podControl';
import { reconcileReplicaSet, replicaFailure } from './replicaSets';
import { deepClone, deepEqual } from './schema';
import { create } from './writes';
import { isRecord } from '../../core/is';

type Obj = Record<string, unknown>;

/**
 * A minimal deployment controller (kubernetes pkg/controller/deployment: sync.go, rolling.go,
 * util/deployment_util.go), run synchronously after every write. Each pod template gets a
 * stored apps/v1 ReplicaSet `<deployment>-<pod-template-hash>` owned by the Deployment, with
 * the `deployment.kubernetes.io/revision` annotation `kubectl rollout history` and `rollout
 * undo` read; the ReplicaSet controller (replicaSets.ts) creates its pods. A rollout scales the
 * new ReplicaSet up and, once all its pods exist, the old ones to zero; old ReplicaSets beyond
 * `revisionHistoryLimit` are deleted.
 */
export const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const HASH_LABEL = 'pod-template-hash';
/** Annotations the controller does not copy from a Deployment to its ReplicaSets (annotationsToSkip). */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

/** rand.SafeEncodeString's alphabet (no vowels, no look-alikes). */
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * controller.ComputeHash: FNV-32a of the template, printed in decimal and passed through
 * rand.SafeEncodeString. The sandbox hashes canonical JSON rather than Go's DeepHashObject
 * dump, and pads the decimal to 10 digits so every hash has the usual 10 characters.
 */
export function podTemplateHash(template: unknown): string {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(canonical(template), 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h).padStart(10, '0')].map((c) => SAFE[c.charCodeAt(0) % SAFE.length]).join('');
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isRecord(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * deploymentutil.EqualIgnoreHash: templates equal but for the pod-template-hash label. A null
 * `creationTimestamp` (what Go clients such as `kubectl rollout undo` send in a template) is
 * the same as none.
 */
function equalIgnoreHash(a: unknown, b: unknown): boolean {
  const strip = (t: unknown): unknown => {
    const c = deepClone((t ?? {}) as Obj);
    const tmd = (c.metadata ??= {}) as Obj;
    if (tmd.creationTimestamp === null) delete tmd.creationTimestamp;
    const labels = tmd.labels as Obj | undefined;
    if (labels) delete labels[HASH_LABEL];
    if (labels && !Object.keys(labels).length) delete (c.metadata as Obj).labels;
    return c;
  };
  return deepEqual(strip(a), strip(b));
}

function revisionOf(rs: KubeObject): number {
  return Number((((rs.metadata as Obj).annotations ?? {}) as Obj)[REVISION] ?? 0);
}

/** `kubectl delete --cascade=orphan`: the Deployment's ReplicaSets lose their controller and stay. */
export function orphanDependents(
  ctx: KubeClusterContext,
  owner: KubeObject,
  kinds: readonly ('replicasets' | 'pods')[],
): void {
  const md = owner.metadata as Obj;
  for (const kind of kinds) {
    for (const obj of ownedBy(ctx, kind, String(md.namespace), md.uid)) {
      const omd = obj.metadata as Obj;
      omd.ownerReferences = ((omd.ownerReferences ?? []) as Obj[]).filter((r) => r.uid !== md.uid);
      if (!(omd.ownerReferences as Obj[]).length) delete omd.ownerReferences;
      omd.resourceVersion = nextResourceVersion(ctx.kube);
    }
  }
}

export function reconcileDeployment(ctx: KubeClusterContext, dep: KubeObject, origin: string, now: Date): boolean {
  const md = dep.metadata as Obj;
  const spec = dep.spec as Obj;
  const ns = String(md.namespace);
  const name = String(md.name);
  const desired = Number(spec.replicas ?? 1);
  const before = deepClone(dep);
  const involved = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name,
    namespace: ns,
    uid: md.uid,
    resourceVersion: md.resourceVersion,
  };
  let changed = false;

  const all = ownedBy(ctx, 'replicasets', ns, md.uid);
  let newRs = all.find((rs) => equalIgnoreHash((rs.spec as Obj).template, spec.template));
  const maxRevision = Math.max(0, ...all.map(revisionOf));
  const annotations = (md.annotations ??= {}) as Record<string, string>;
  if (!newRs && !spec.paused) {
    newRs = createReplicaSet(ctx, dep, maxRevision + 1, desired, origin, now);
    recordEvent(
      ctx,
      {
        involved,
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message: `Scaled up replica set ${String((newRs.metadata as Obj).name)} from 0 to ${desired}`,
        component: 'deployment-controller',
      },
      now,
    );
    changed = true;
  } else if (newRs) {
    const rmd = newRs.metadata as Obj;
    const ra = (rmd.annotations ??= {}) as Record<string, string>;
    // Rolling back to an older ReplicaSet makes it the newest revision (SetNewReplicaSetAnnotations).
    const own = revisionOf(newRs);
    if (own < maxRevision) {
      ra[REVISION_HISTORY] = [ra[REVISION_HISTORY], String(own)].filter(Boolean).join(',');
      ra[REVISION] = String(maxRevision + 1);
      changed = true;
    }
    for (const [k, v] of Object.entries(annotations)) {
      if (!NOT_COPIED.has(k) && ra[k] !== v) {
        ra[k] = v;
        changed = true;
      }
    }
    const rspec = newRs.spec as Obj;
    if (!spec.paused && Number(rspec.replicas ?? 0) !== desired) {
      const from = Number(rspec.replicas ?? 0);
      rspec.replicas = desired;
      ra[DESIRED] = String(desired);
      rmd.generation = Number(rmd.generation ?? 1) + 1;
      recordEvent(
        ctx,
        {
          involved,
          type: 'Normal',
          reason: 'ScalingReplicaSet',
          message: `Scaled ${from < desired ? 'up' : 'down'} replica set ${String(rmd.name)} from ${from} to ${desired}`,
          component: 'deployment-controller',
        },
        now,
      );
      changed = true;
    }
    if (changed) rmd.resourceVersion = nextResourceVersion(ctx.kube);
  }
  if (newRs) {
    changed = reconcileReplicaSet(ctx, newRs, origin, now) || changed;
    annotations[REVISION] = String(revisionOf(newRs));
  }
  const failure = newRs ? replicaFailure(newRs) : undefined;
  const newReady = newRs ? Number(((newRs.status ?? {}) as Obj).replicas ?? 0) : 0;
  // The rollout: old ReplicaSets go to zero once the new one has all its pods; if the new pods
  // cannot be created the old ones keep serving, as a stuck rolling update does.
  const old = all.filter((rs) => rs !== newRs);
  for (const rs of old) {
    const rspec = rs.spec as Obj;
    if (newRs && newReady >= desired && Number(rspec.replicas ?? 0) > 0 && !spec.paused) {
      const from = Number(rspec.replicas);
      rspec.replicas = 0;
      const rmd = rs.metadata as Obj;
      rmd.generation = Number(rmd.generation ?? 1) + 1;
      rmd.resourceVersion = nextResourceVersion(ctx.kube);
      recordEvent(
        ctx,
        {
          involved,
          type: 'Normal',
          reason: 'ScalingReplicaSet',
          message: `Scaled down replica set ${String(rmd.name)} from ${from} to 0`,
          component: 'deployment-controller',
        },
        now,
      );
      changed = true;
    }
    changed = reconcileReplicaSet(ctx, rs, origin, now) || changed;
  }
  changed = cleanupOldReplicaSets(ctx, dep, old) || changed;

  // Two writes, as the controller makes them: the revision annotation on the Deployment, then
  // the status subresource; each is recorded in managedFields under its own entry.
  const annotated = !deepEqual((before.metadata as Obj).annotations, md.annotations);
  if (annotated) recordUpdate(before, dep, MANAGER, kubeTime(now));
  const mid = deepClone(dep);
  dep.status = computeStatus(dep, newRs, old, failure, now);
  const statusChanged = !deepEqual(mid.status, dep.status);
  if (statusChanged) recordUpdate(mid, dep, MANAGER, kubeTime(now), 'status');
  if (annotated || statusChanged) {
    md.resourceVersion = nextResourceVersion(ctx.kube);
    changed = true;
  }
  return changed;
}

function createReplicaSet(
  ctx: KubeClusterContext,
  dep: KubeObject,
  revision: number,
  replicas: number,
  origin: string,
  now: Date,
): KubeObject {
  const md = dep.metadata as Obj;
  const spec = dep.spec as Obj;
  const template = deepClone(spec.template as Obj);
  const hash = podTemplateHash(template);
  const tmd = (template.metadata ??= {}) as Obj;
  tmd.labels = { ...((tmd.labels ?? {}) as Obj), [HASH_LABEL]: hash };
  const selector = deepClone((spec.selector ?? {}) as LabelSelector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries((md.annotations ?? {}) as Record<string, string>)) {
    if (!NOT_COPIED.has(k)) annotations[k] = v;
  }
  annotations[DESIRED] = String(replicas);
  annotations[MAX_REPLICAS] = String(replicas + maxSurge(spec, replicas));
  annotations[REVISION] = String(revision);
  const body: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${String(md.name)}-${hash}`,
      labels: { ...((tmd.labels ?? {}) as Obj) },
      annotations,
      ownerReferences: [controllerRefTo(dep, 'deployments')],
    },
    spec: { replicas, minReadySeconds: spec.minReadySeconds ?? 0, selector, template },
  };
  if (!body.spec || !(body.spec as Obj).minReadySeconds) delete (body.spec as Obj).minReadySeconds;
  const ns = String(md.namespace);
  const req: SandboxRequest = {
    method: 'POST',
    path: `/apis/apps/v1/namespaces/${ns}/replicasets`,
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.alloc(0),
    origin,
  };
  return create(ctx, req, 'replicasets', ns, body, now, MANAGER);
}

/** cleanupDeployment: old ReplicaSets without pods beyond revisionHistoryLimit go, oldest first. */
function cleanupOldReplicaSets(ctx: KubeClusterContext, dep: KubeObject, old: KubeObject[]): boolean {
  const limit = Number((dep.spec as Obj).revisionHistoryLimit ?? 10);
  const idle = old
    .filter(
      (rs) => Number((rs.spec as Obj).replicas ?? 0) === 0 && Number(((rs.status ?? {}) as Obj).replicas ?? 0) === 0,
    )
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  const extra = idle.slice(0, Math.max(0, idle.length - limit));
  for (const rs of extra) deleteStored(ctx, 'replicasets', rs);
  return extra.length > 0;
}

/** DeploymentStatus as syncRolloutStatus/calculateStatus compute it from the ReplicaSets. */
function computeStatus(
  dep: KubeObject,
  newRs: KubeObject | undefined,
  old: KubeObject[],
  failure: string | undefined,
  now: Date,
): Obj {
  const spec = dep.spec as Obj;
  const desired = Number(spec.replicas ?? 1);
  const sum = (list: KubeObject[], field: string): number =>
    list.reduce((n, rs) => n + Number(((rs.status ?? {}) as Obj)[field] ?? 0), 0);
  const all = newRs ? [newRs, ...old] : old;
  const replicas = sum(all, 'replicas');
  const updated = newRs ? sum([newRs], 'replicas') : 0;
  const ready = sum(all, 'readyReplicas');
  const available = sum(all, 'availableReplicas'); // minReadySeconds is not modelled
  const rsName = newRs ? String((newRs.metadata as Obj).name) : '';
  const prev = ((dep.status as Obj | undefined)?.conditions ?? []) as Obj[];
  const t = kubeTime(now);
  const condition = (type: string, status: string, reason: string, message: string): Obj => {
    const was = prev.find((c) => c.type === type);
    const same = was && was.status === status && was.reason === reason && was.message === message;
    return {
      type,
      status,
      lastUpdateTime: same ? was.lastUpdateTime : t,
      lastTransitionTime: was && was.status === status ? was.lastTransitionTime : t,
      reason,
      message,
    };
  };
  const conditions: Obj[] = [];
  if (available >= desired - maxUnavailable(spec, desired)) {
    conditions.push(condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'));
  } else {
    conditions.push(
      condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'),
    );
  }
  if (spec.paused) {
    conditions.push(condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused'));
  } else {
    const complete = updated === desired && replicas === desired && available === desired;
    conditions.push(
      complete
        ? condition(
            'Progressing',
            'True',
            'NewReplicaSetAvailable',
            `ReplicaSet "${rsName}" has successfully progressed.`,
          )
        : condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`),
    );
  }
  if (failure) conditions.push(condition('ReplicaFailure', 'True', 'FailedCreate', failure));
  // Go's omitempty drops zero counts.
  const status: Obj = { observedGeneration: (dep.metadata as Obj).generation };
  if (replicas) status.replicas = replicas;
  if (updated) status.updatedReplicas = updated;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (desired - available > 0) status.unavailableReplicas = desired - available;
  status.conditions = conditions;
  return status;
}

function scaled(v: unknown, desired: number, up: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v ?? '25%'));
  const pct = m ? Number(m[1]) : 25;
  return up ? Math.ceil((pct * desired) / 100) : Math.floor((pct * desired) / 100);
}

function maxSurge(spec: Obj, desired: number): number {
  const strategy = (spec.strategy ?? {}) as Obj;
  if (strategy.type !== 'RollingUpdate') return 0;
  return scaled(((strategy.rollingUpdate ?? {}) as Obj).maxSurge, desired, true);
}

/** deploymentutil.MaxUnavailable: 25% rounds down, and 0/0 surge/unavailable means 1 unavailable. */
function maxUnavailable(spec: Obj, desired: number): number {
  const strategy = (spec.strategy ?? {}) as Obj;
  if (strategy.type !== 'RollingUpdate' || desired === 0) return 0;
  const ru = (strategy.rollingUpdate ?? {}) as Obj;
  let unavailable = scaled(ru.maxUnavailable, desired, false);
  if (unavailable === 0 && scaled(ru.maxSurge, desired, true) === 0) unavailable = 1;
  return Math.min(unavailable, desired);
}
