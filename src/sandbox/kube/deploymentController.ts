import { createHash } from 'node:crypto';
import type { SandboxRequest } from '../http';
import type { KubeClusterContext } from './clusterContext';
import { type LabelSelector, selectorRequirements } from './deploymentSpec';
import { recordEvent } from './events';
import { kubeTime, nextResourceVersion, type KubeObject } from './kubeState';
import { matchesLabels } from './labelSelector';
import { recordUpdate } from './managedFields';
import { deepClone, deepEqual, isPlainObject } from './schema';
import { KubeStatusError } from './status';
import { create } from './writes';

type Obj = Record<string, unknown>;

/**
 * A minimal deployment controller plus ReplicaSet controller and garbage collector (kubernetes
 * pkg/controller/deployment, pkg/controller/replicaset, pkg/controller/garbagecollector),
 * run synchronously after every Deployment write. ReplicaSets are not stored: each Deployment
 * has one virtual ReplicaSet per pod template, `<deployment>-<pod-template-hash>`, that its
 * pods name as their controller. Pods are created through the API's own pod-create path
 * (writes.ts create), so ServiceAccount admission and the workload identity webhook mutate
 * or refuse them exactly as they do a bare Pod.
 */
const MANAGER = 'kube-controller-manager';
const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';

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
  if (isPlainObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** A stable UID for the virtual ReplicaSet of a deployment and template hash. */
function replicaSetUid(deploymentUid: unknown, hash: string): string {
  return createHash('sha256').update(`${String(deploymentUid)}/${hash}`).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5');
}

function controllerRef(pod: KubeObject): Obj | undefined {
  return (((pod.metadata as Obj).ownerReferences ?? []) as Obj[]).find((r) => r.controller === true && r.kind === 'ReplicaSet');
}

/** The pods a deployment's virtual ReplicaSets control, with each pod's template hash. */
function ownedPods(ctx: KubeClusterContext, dep: KubeObject): { pod: KubeObject; hash: string }[] {
  const md = dep.metadata as Obj;
  const prefix = `${String(md.name)}-`;
  const out: { pod: KubeObject; hash: string }[] = [];
  for (const pod of Object.values(ctx.kube.pods[String(md.namespace)] ?? {})) {
    const ref = controllerRef(pod);
    if (!ref || typeof ref.name !== 'string' || !ref.name.startsWith(prefix)) continue;
    const hash = ref.name.slice(prefix.length);
    if (ref.uid === replicaSetUid(md.uid, hash)) out.push({ pod, hash });
  }
  return out;
}

/** Newest first, as the ReplicaSet controller picks pods to delete when scaling down (roughly). */
function newestFirst(a: KubeObject, b: KubeObject): number {
  const ta = String((a.metadata as Obj).creationTimestamp);
  const tb = String((b.metadata as Obj).creationTimestamp);
  return ta === tb ? String((b.metadata as Obj).name).localeCompare(String((a.metadata as Obj).name)) : tb.localeCompare(ta);
}

/** Runs the controllers for every Deployment of a namespace, then the garbage collector. */
export function runDeploymentController(ctx: KubeClusterContext, namespace: string, origin: string, now: Date): void {
  let changed = false;
  for (const dep of Object.values(ctx.kube.deployments[namespace] ?? {})) {
    changed = reconcile(ctx, dep, origin, now) || changed;
  }
  changed = collectGarbage(ctx, namespace) || changed;
  if (changed) ctx.persist();
}

/** `kubectl delete --cascade=orphan`: the pods lose their controller and stay. */
export function orphanPods(ctx: KubeClusterContext, dep: KubeObject): void {
  for (const { pod } of ownedPods(ctx, dep)) {
    const md = pod.metadata as Obj;
    md.ownerReferences = ((md.ownerReferences ?? []) as Obj[]).filter((r) => r !== controllerRef(pod));
    if (!(md.ownerReferences as Obj[]).length) delete md.ownerReferences;
    md.resourceVersion = nextResourceVersion(ctx.kube);
  }
}

/**
 * Background cascading deletion: pods whose controlling virtual ReplicaSet belongs to no
 * existing Deployment are deleted (the GC deletes the ReplicaSet, then its pods).
 */
function collectGarbage(ctx: KubeClusterContext, namespace: string): boolean {
  const pods = ctx.kube.pods[namespace] ?? {};
  const deployments = Object.values(ctx.kube.deployments[namespace] ?? {});
  let changed = false;
  for (const [name, pod] of Object.entries(pods)) {
    const ref = controllerRef(pod);
    if (!ref || ref.apiVersion !== 'apps/v1') continue;
    const alive = deployments.some((d) => {
      const dmd = d.metadata as Obj;
      const prefix = `${String(dmd.name)}-`;
      return typeof ref.name === 'string' && ref.name.startsWith(prefix) && ref.uid === replicaSetUid(dmd.uid, ref.name.slice(prefix.length));
    });
    if (!alive) {
      delete pods[name];
      changed = true;
    }
  }
  if (changed) nextResourceVersion(ctx.kube);
  return changed;
}

function reconcile(ctx: KubeClusterContext, dep: KubeObject, origin: string, now: Date): boolean {
  const md = dep.metadata as Obj;
  const spec = dep.spec as Obj;
  const ns = String(md.namespace);
  const name = String(md.name);
  const template = spec.template as Obj;
  const hash = podTemplateHash(template);
  const rsName = `${name}-${hash}`;
  const desired = Number(spec.replicas ?? 1);
  const before = deepClone(dep);
  const involved = { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: ns, uid: md.uid, resourceVersion: md.resourceVersion };
  let changed = false;

  const owned = ownedPods(ctx, dep);
  const current = owned.filter((o) => o.hash === hash).map((o) => o.pod);
  const old = owned.filter((o) => o.hash !== hash).map((o) => o.pod);
  const annotations = ((md.annotations ??= {}) as Record<string, string>);
  // A new ReplicaSet (template changed while old pods run) is a new revision (`kubectl rollout history`).
  if (!annotations[REVISION]) annotations[REVISION] = '1';
  else if (old.length && !current.length) annotations[REVISION] = String(Number(annotations[REVISION]) + 1);

  let failure: string | undefined;
  if (current.length < desired && !spec.paused) {
    const from = current.length;
    for (let i = current.length; i < desired; i++) {
      try {
        current.push(createPod(ctx, dep, hash, rsName, origin, now));
        changed = true;
      } catch (e) {
        if (!KubeStatusError.is(e)) throw e;
        // The ReplicaSet controller stops the batch at the first error, records a FailedCreate
        // event on the ReplicaSet ("Error creating: …") and a ReplicaFailure condition whose
        // message is the API error; the deployment controller copies that condition.
        failure = e.message;
        recordEvent(ctx, { involved: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, namespace: ns, uid: replicaSetUid(md.uid, hash) }, type: 'Warning', reason: 'FailedCreate', message: `Error creating: ${e.message}`, component: 'replicaset-controller' }, now);
        changed = true;
        break;
      }
    }
    if (current.length > from) {
      recordEvent(ctx, { involved, type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled up replica set ${rsName} from ${from} to ${current.length}`, component: 'deployment-controller' }, now);
    }
  } else if (current.length > desired) {
    const from = current.length;
    const extra = [...current].sort(newestFirst).slice(0, current.length - desired);
    for (const pod of extra) deletePod(ctx, pod);
    current.splice(0, current.length, ...current.filter((p) => !extra.includes(p)));
    recordEvent(ctx, { involved, type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled down replica set ${rsName} from ${from} to ${current.length}`, component: 'deployment-controller' }, now);
    changed = true;
  }
  // The rollout: old ReplicaSets are scaled to zero once the new one has all its pods; if the
  // new pods cannot be created the old ones keep serving, as a stuck rolling update does.
  const remaining = [...old];
  if (old.length && current.length >= desired) {
    const byRs = new Map<string, KubeObject[]>();
    for (const pod of old) {
      const rs = String(controllerRef(pod)?.name);
      byRs.set(rs, [...(byRs.get(rs) ?? []), pod]);
    }
    for (const [rs, pods] of byRs) {
      for (const pod of pods) deletePod(ctx, pod);
      recordEvent(ctx, { involved, type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled down replica set ${rs} from ${pods.length} to 0`, component: 'deployment-controller' }, now);
    }
    remaining.length = 0;
    changed = true;
  }

  // Two writes, as the controller makes them: the revision annotation on the Deployment, then
  // the status subresource; each is recorded in managedFields under its own entry.
  const annotated = !deepEqual((before.metadata as Obj).annotations, md.annotations);
  if (annotated) recordUpdate(before, dep, MANAGER, kubeTime(now));
  const mid = deepClone(dep);
  dep.status = computeStatus(dep, rsName, current, remaining, failure, now);
  const statusChanged = !deepEqual(mid.status, dep.status);
  if (statusChanged) recordUpdate(mid, dep, MANAGER, kubeTime(now), 'status');
  if (annotated || statusChanged) {
    md.resourceVersion = nextResourceVersion(ctx.kube);
    changed = true;
  }
  return changed;
}

function createPod(ctx: KubeClusterContext, dep: KubeObject, hash: string, rsName: string, origin: string, now: Date): KubeObject {
  const md = dep.metadata as Obj;
  const template = deepClone((dep.spec as Obj).template as Obj);
  const tmd = (template.metadata ?? {}) as Obj;
  const body: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...tmd,
      generateName: `${rsName}-`,
      labels: { ...((tmd.labels ?? {}) as Obj), [HASH_LABEL]: hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: replicaSetUid(md.uid, hash), controller: true, blockOwnerDeletion: true }],
    },
    spec: template.spec,
  };
  // The controller's own request: never a dry run, whatever the Deployment write was.
  const req: SandboxRequest = { method: 'POST', path: `/api/v1/namespaces/${String(md.namespace)}/pods`, query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0), origin };
  return create(ctx, req, 'pods', String(md.namespace), body, now, MANAGER);
}

function deletePod(ctx: KubeClusterContext, pod: KubeObject): void {
  const md = pod.metadata as Obj;
  delete ctx.kube.pods[String(md.namespace)]?.[String(md.name)];
  nextResourceVersion(ctx.kube);
}

/** DeploymentStatus as syncRolloutStatus/calculateStatus compute it (every sandbox pod is ready at once). */
function computeStatus(dep: KubeObject, rsName: string, current: KubeObject[], old: KubeObject[], failure: string | undefined, now: Date): Obj {
  const spec = dep.spec as Obj;
  const desired = Number(spec.replicas ?? 1);
  const sel = (spec.selector ?? {}) as LabelSelector;
  const all = [...current, ...old].filter((p) => matchesLabels(selectorRequirements(sel), (p.metadata as Obj).labels as Record<string, string>));
  const ready = all.filter((p) => (p.status as Obj | undefined)?.phase === 'Running').length;
  const available = ready; // minReadySeconds is not modelled
  const prev = ((dep.status as Obj | undefined)?.conditions ?? []) as Obj[];
  const t = kubeTime(now);
  const condition = (type: string, status: string, reason: string, message: string): Obj => {
    const was = prev.find((c) => c.type === type);
    const same = was && was.status === status && was.reason === reason && was.message === message;
    return { type, status, lastUpdateTime: same ? was.lastUpdateTime : t, lastTransitionTime: was && was.status === status ? was.lastTransitionTime : t, reason, message };
  };
  const conditions: Obj[] = [];
  if (available >= desired - maxUnavailable(spec, desired)) {
    conditions.push(condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'));
  } else {
    conditions.push(condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'));
  }
  const complete = current.length === desired && all.length === desired && available === desired;
  conditions.push(complete ? condition('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`) : condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`));
  if (failure) conditions.push(condition('ReplicaFailure', 'True', 'FailedCreate', failure));
  // Go's omitempty drops zero counts.
  const status: Obj = { observedGeneration: (dep.metadata as Obj).generation };
  if (all.length) status.replicas = all.length;
  if (current.length) status.updatedReplicas = current.length;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (desired - available > 0) status.unavailableReplicas = desired - available;
  status.conditions = conditions;
  return status;
}

/** deploymentutil.MaxUnavailable: 25% rounds down, and 0/0 surge/unavailable means 1 unavailable. */
function maxUnavailable(spec: Obj, desired: number): number {
  const strategy = (spec.strategy ?? {}) as Obj;
  if (strategy.type !== 'RollingUpdate' || desired === 0) return 0;
  const ru = (strategy.rollingUpdate ?? {}) as Obj;
  const scaled = (v: unknown, up: boolean): number => {
    if (typeof v === 'number') return v;
    const m = /^(\d+)%$/.exec(String(v ?? '25%'));
    const pct = m ? Number(m[1]) : 25;
    return up ? Math.ceil((pct * desired) / 100) : Math.floor((pct * desired) / 100);
  };
  let unavailable = scaled(ru.maxUnavailable, false);
  if (unavailable === 0 && scaled(ru.maxSurge, true) === 0) unavailable = 1;
  return Math.min(unavailable, desired);
}
