import type { SandboxRequest } from '../http';
import type { KubeClusterContext } from './clusterContext';
import { nextResourceVersion, type KubeObject } from './kubeState';
import { recordEvent, type EventInput } from './events';
import { KINDS, API_VERSIONS, type Resource } from './resources';
import { KubeStatusError } from './status';
import { deepClone } from './schema';
import { create } from './writes';

type Obj = Record<string, unknown>;

/**
 * What every controller of the sandbox shares (kubernetes pkg/controller/controller_utils.go):
 * owner references, the objects a controller owns, and creating pods from a template through
 * the API's own create path, so ServiceAccount admission and the workload identity webhook
 * mutate or refuse them exactly as they do a bare Pod.
 */
export const MANAGER = 'kube-controller-manager';

/** metav1.NewControllerRef. */
export function controllerRefTo(owner: KubeObject, resource: Resource): Obj {
  const md = owner.metadata as Obj;
  return {
    apiVersion: API_VERSIONS[resource],
    kind: KINDS[resource],
    name: md.name,
    uid: md.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** metav1.GetControllerOf. */
export function controllerOf(obj: KubeObject): Obj | undefined {
  return (((obj.metadata as Obj).ownerReferences ?? []) as Obj[]).find((r) => r.controller === true);
}

/** The objects of a kind in a namespace whose controller is the object with this uid. */
export function ownedBy(
  ctx: KubeClusterContext,
  resource: Exclude<Resource, 'namespaces'>,
  namespace: string,
  uid: unknown,
): KubeObject[] {
  return Object.values(ctx.kube[resource][namespace] ?? {}).filter((o) => controllerOf(o)?.uid === uid);
}

/**
 * Creates a pod from a template as the named controller would: the template's labels and
 * annotations plus `labels`, the controller reference, a fixed `name` or a `generateName`.
 */
export function createPodFrom(
  ctx: KubeClusterContext,
  owner: KubeObject,
  ownerResource: Resource,
  template: Obj,
  naming: { name: string } | { generateName: string },
  labels: Record<string, string>,
  origin: string,
  now: Date,
  specExtra: Obj = {},
): KubeObject {
  const t = deepClone(template);
  const tmd = (t.metadata ?? {}) as Obj;
  const body: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...tmd,
      ...naming,
      labels: { ...((tmd.labels ?? {}) as Obj), ...labels },
      ownerReferences: [controllerRefTo(owner, ownerResource)],
    },
    spec: { ...((t.spec ?? {}) as Obj), ...specExtra },
  };
  // The controller's own request: never a dry run, whatever the write that triggered it was.
  const ns = String((owner.metadata as Obj).namespace);
  const req: SandboxRequest = {
    method: 'POST',
    path: `/api/v1/namespaces/${ns}/pods`,
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.alloc(0),
    origin,
  };
  return create(ctx, req, 'pods', ns, body, now, MANAGER);
}

/** Deletes an object the way the garbage collector or a controller does (immediately in the sandbox). */
export function deleteStored(
  ctx: KubeClusterContext,
  resource: Exclude<Resource, 'namespaces'>,
  obj: KubeObject,
): void {
  const md = obj.metadata as Obj;
  delete ctx.kube[resource][String(md.namespace)]?.[String(md.name)];
  nextResourceVersion(ctx.kube);
}

/** Newest first, as controllers pick pods to delete when scaling down (roughly: ActivePodsWithRanks). */
export function newestFirst(a: KubeObject, b: KubeObject): number {
  const ta = String((a.metadata as Obj).creationTimestamp);
  const tb = String((b.metadata as Obj).creationTimestamp);
  return ta === tb
    ? String((b.metadata as Obj).name).localeCompare(String((a.metadata as Obj).name))
    : tb.localeCompare(ta);
}

/** Sets `status` and bumps the resourceVersion only when it changed; true when it did. */
export function setStatus(ctx: KubeClusterContext, obj: KubeObject, status: Obj): boolean {
  if (JSON.stringify(obj.status ?? null) === JSON.stringify(status)) return false;
  obj.status = status;
  (obj.metadata as Obj).resourceVersion = nextResourceVersion(ctx.kube);
  return true;
}

export function isRunning(pod: KubeObject): boolean {
  return ((pod.status ?? {}) as Obj).phase === 'Running';
}

/** The event messages of a controller's pod creation (ReplicaSet, DaemonSet and Job wording by default). */
export interface CreateMessages {
  created(pod: KubeObject): string;
  failed(reason: string): string;
}

const CREATE_MESSAGES: CreateMessages = {
  created: (pod) => `Created pod: ${String((pod.metadata as Obj).name)}`,
  failed: (reason) => `Error creating: ${reason}`,
};

/**
 * Creates one pod as a controller does and records the event it emits for it, SuccessfulCreate or
 * FailedCreate (kubernetes pkg/controller/controller_utils.go, RealPodControl.createPods). Returns
 * the pod, or the API's refusal as `failure`; any error other than a Status is thrown.
 */
export function createPodWithEvent(
  ctx: KubeClusterContext,
  involved: EventInput['involved'],
  component: string,
  now: Date,
  make: () => KubeObject,
  messages: CreateMessages = CREATE_MESSAGES,
): { pod: KubeObject; failure?: undefined } | { pod?: undefined; failure: string } {
  try {
    const pod = make();
    recordEvent(
      ctx,
      { involved, type: 'Normal', reason: 'SuccessfulCreate', message: messages.created(pod), component },
      now,
    );
    return { pod };
  } catch (e) {
    if (!KubeStatusError.is(e)) throw e;
    recordEvent(
      ctx,
      { involved, type: 'Warning', reason: 'FailedCreate', message: messages.failed(e.message), component },
      now,
    );
    return { failure: e.message };
  }
}

/** The ReplicaFailure condition of a workload whose pods cannot be created (apps/v1 ReplicaSetCondition). */
export function replicaFailureCondition(message: string, since: unknown): Obj {
  return { type: 'ReplicaFailure', status: 'True', lastTransitionTime: since, reason: 'FailedCreate', message };
}
