import type { KubeClusterContext } from './clusterContext';
import type { KubeObject, NamespacedResource } from './kubeState';
import { notFound } from './status';

// The resources the sandbox API server stores, and how to reach them in the cluster state.

export type Obj = Record<string, unknown>;
export type Resource = 'namespaces' | NamespacedResource;

export const KINDS: Record<Resource, string> = {
  namespaces: 'Namespace',
  serviceaccounts: 'ServiceAccount',
  pods: 'Pod',
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
};

/** The group/version each resource is served under (`/api/v1` or `/apis/apps/v1`). */
export const API_VERSIONS: Record<Resource, string> = {
  namespaces: 'v1',
  serviceaccounts: 'v1',
  pods: 'v1',
  deployments: 'apps/v1',
  replicasets: 'apps/v1',
  statefulsets: 'apps/v1',
  daemonsets: 'apps/v1',
  jobs: 'batch/v1',
};

/** The workload kinds whose controllers create pods from `spec.template`. */
export const WORKLOADS = ['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs'] as const;
export type WorkloadResource = (typeof WORKLOADS)[number];
export function isWorkload(resource: Resource): resource is WorkloadResource {
  return (WORKLOADS as readonly string[]).includes(resource);
}

/**
 * The group-qualified resource as the API server names it in errors: `deployments.apps "x"
 * not found` (schema.GroupResource.String(); the core group is empty so `pods` stays bare).
 */
export const GROUP_RESOURCES: Record<Resource, string> = {
  namespaces: 'namespaces',
  serviceaccounts: 'serviceaccounts',
  pods: 'pods',
  deployments: 'deployments.apps',
  replicasets: 'replicasets.apps',
  statefulsets: 'statefulsets.apps',
  daemonsets: 'daemonsets.apps',
  jobs: 'jobs.batch',
};

/** The API group of a resource, '' for core. */
export function groupOf(resource: Resource): string {
  const gv = API_VERSIONS[resource];
  return gv.includes('/') ? (gv.split('/')[0] as string) : '';
}
export const FIELD_SELECTABLE: Record<Resource | 'events', string[]> = {
  namespaces: ['metadata.name', 'status.phase'],
  serviceaccounts: ['metadata.name', 'metadata.namespace'],
  // apps/v1 Deployments support only the generic metadata fields (pkg/registry/apps/deployment/strategy.go).
  deployments: ['metadata.name', 'metadata.namespace'],
  // ReplicaSets add status.replicas (pkg/registry/apps/replicaset/strategy.go); Jobs add status.successful.
  replicasets: ['metadata.name', 'metadata.namespace', 'status.replicas'],
  statefulsets: ['metadata.name', 'metadata.namespace'],
  daemonsets: ['metadata.name', 'metadata.namespace'],
  jobs: ['metadata.name', 'metadata.namespace', 'status.successful'],
  pods: [
    'metadata.name',
    'metadata.namespace',
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  events: [
    'metadata.name',
    'metadata.namespace',
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
};

export function store(
  ctx: KubeClusterContext,
  resource: Resource,
  ns: string | undefined,
): Record<string, KubeObject> | undefined {
  if (resource === 'namespaces') return ctx.kube.namespaces;
  return ctx.kube[resource]?.[ns as string];
}

export function getObject(
  ctx: KubeClusterContext,
  resource: Resource,
  ns: string | undefined,
  name: string,
): KubeObject {
  const obj = store(ctx, resource, ns)?.[name];
  if (!obj) throw notFound(GROUP_RESOURCES[resource], name);
  return obj;
}

/** Objects are stored with apiVersion and kind; list items are returned without them, as the API does. */
export function withKind(resource: Resource, obj: KubeObject): KubeObject {
  return { apiVersion: API_VERSIONS[resource], kind: KINDS[resource], ...obj };
}
