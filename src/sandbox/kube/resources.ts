import type { KubeClusterContext } from './clusterContext';
import type { KubeObject, NamespacedResource } from './kubeState';
import { notFound } from './status';

// The resources the sandbox API server stores, and how to reach them in the cluster state.

export type Obj = Record<string, unknown>;
export type Resource = 'namespaces' | NamespacedResource;

export const KINDS: Record<Resource, string> = { namespaces: 'Namespace', serviceaccounts: 'ServiceAccount', pods: 'Pod' };
export const FIELD_SELECTABLE: Record<Resource | 'events', string[]> = {
  namespaces: ['metadata.name', 'status.phase'],
  serviceaccounts: ['metadata.name', 'metadata.namespace'],
  pods: ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  events: ['metadata.name', 'metadata.namespace', 'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
};

export function store(ctx: KubeClusterContext, resource: Resource, ns: string | undefined): Record<string, KubeObject> | undefined {
  if (resource === 'namespaces') return ctx.kube.namespaces;
  return ctx.kube[resource][ns as string];
}

export function getObject(ctx: KubeClusterContext, resource: Resource, ns: string | undefined, name: string): KubeObject {
  const obj = store(ctx, resource, ns)?.[name];
  if (!obj) throw notFound(resource, name);
  return obj;
}

/** Objects are stored with apiVersion and kind; list items are returned without them, as the API does. */
export function withKind(resource: Resource, obj: KubeObject): KubeObject {
  return { apiVersion: 'v1', kind: KINDS[resource], ...obj };
}

