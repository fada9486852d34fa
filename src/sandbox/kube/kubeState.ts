import { randomUUID } from 'node:crypto';

/** A Kubernetes object exactly as the API returns it (apiVersion, kind, metadata, spec, status). */
export type KubeObject = Record<string, unknown>;

/**
 * One cluster's objects. Plain JSON so the Azure side can keep it inside its state file.
 * `resourceVersion` is cluster-wide and only grows, like etcd's revision that the API server
 * exposes as every object's `metadata.resourceVersion`.
 */
export interface KubeState {
  resourceVersion: number;
  namespaces: Record<string, KubeObject>;
  /** By namespace, then name. */
  serviceaccounts: Record<string, Record<string, KubeObject>>;
  /** By namespace, then name. */
  pods: Record<string, Record<string, KubeObject>>;
  /** apps/v1 Deployments, by namespace, then name (absent in state files saved before them). */
  deployments: Record<string, Record<string, KubeObject>>;
  /** apps/v1 ReplicaSets (the deployment controller's), StatefulSets, DaemonSets; batch/v1 Jobs. */
  replicasets: Record<string, Record<string, KubeObject>>;
  statefulsets: Record<string, Record<string, KubeObject>>;
  daemonsets: Record<string, Record<string, KubeObject>>;
  jobs: Record<string, Record<string, KubeObject>>;
  /**
   * Events the controllers record (ScalingReplicaSet, FailedCreate), by namespace; pod events
   * are synthesised from the pods instead (podLifecycle.ts). Optional for older state files.
   */
  events?: Record<string, KubeObject[]>;
}

/** The namespaced kinds stored per namespace. */
export type NamespacedResource =
  'serviceaccounts' | 'pods' | 'deployments' | 'replicasets' | 'statefulsets' | 'daemonsets' | 'jobs';

/** Maps added after the first state files were written: filled in on load. */
const LATER_KINDS = ['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs'] as const;

/**
 * State files written before Deployments (and the other workload kinds) existed lack their maps: fill it in place, once per
 * request, so the rest of the code can index `deployments` like the other kinds.
 */
export function upgradeKubeState(state: KubeState): void {
  for (const kind of LATER_KINDS) {
    const byNs = (state[kind] ??= {});
    for (const ns of Object.keys(state.namespaces)) byNs[ns] ??= {};
  }
}

/** Namespaces a fresh AKS cluster starts with (kube-node-lease exists since Kubernetes 1.14). */
const INITIAL_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

export function createKubeState(now: Date = new Date()): KubeState {
  const state: KubeState = {
    resourceVersion: 1000,
    namespaces: {},
    serviceaccounts: {},
    pods: {},
    deployments: {},
    replicasets: {},
    statefulsets: {},
    daemonsets: {},
    jobs: {},
  };
  for (const name of INITIAL_NAMESPACES) {
    addNamespace(state, name, now);
  }
  return state;
}

export function nextResourceVersion(state: KubeState): string {
  state.resourceVersion += 1;
  return String(state.resourceVersion);
}

/** RFC 3339 with second precision, the format of every Kubernetes metav1.Time. */
export function kubeTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Fills the fields the API server owns on create. */
export function stampNewObject(state: KubeState, obj: KubeObject, now: Date): void {
  const metadata = (obj.metadata ?? {}) as Record<string, unknown>;
  metadata.uid = randomUUID();
  metadata.creationTimestamp = kubeTime(now);
  metadata.resourceVersion = nextResourceVersion(state);
  obj.metadata = metadata;
}

/**
 * Creates a namespace plus its `default` ServiceAccount: the ServiceAccount controller adds one
 * to every namespace within moments of its creation (kubernetes pkg/controller/serviceaccount).
 */
export function addNamespace(state: KubeState, name: string, now: Date, extra?: KubeObject): KubeObject {
  const extraMeta = (extra?.metadata ?? {}) as Record<string, unknown>;
  const ns: KubeObject = {
    ...(extra ?? {}),
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      ...extraMeta,
      name,
      // Added by the NamespaceDefaultLabelName admission since Kubernetes 1.21.
      labels: { ...((extraMeta.labels ?? {}) as Record<string, string>), 'kubernetes.io/metadata.name': name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
  stampNewObject(state, ns, now);
  state.namespaces[name] = ns;
  state.serviceaccounts[name] ??= {};
  state.pods[name] ??= {};
  for (const kind of LATER_KINDS) (state[kind] ??= {})[name] ??= {};
  if (!state.serviceaccounts[name].default) {
    const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } };
    stampNewObject(state, sa, now);
    state.serviceaccounts[name].default = sa;
  }
  return ns;
}
