/**
 * Discovery documents (legacy, unaggregated: clients fall back to it when the response is
 * plain `application/json`). Only what the sandbox serves is advertised.
 */
export const KUBERNETES_VERSION = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.5',
  gitCommit: '5bc6bd0b0da8e2a0f1fe1b0a8c0c1b6bb4f8a5d4',
  gitTreeState: 'clean',
  buildDate: '2025-09-09T19:44:50Z',
  goVersion: 'go1.24.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(host: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
  };
}

const OBJECT_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const CORE_V1_RESOURCES = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    {
      name: 'events',
      singularName: 'event',
      namespaced: true,
      kind: 'Event',
      verbs: ['get', 'list', 'watch'],
      shortNames: ['ev'],
    },
    {
      name: 'namespaces',
      singularName: 'namespace',
      namespaced: false,
      kind: 'Namespace',
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['ns'],
      storageVersionHash: 'Q3oi5N2YM8M=',
    },
    { name: 'namespaces/status', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['get'] },
    {
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: OBJECT_VERBS,
      shortNames: ['po'],
      categories: ['all'],
      storageVersionHash: 'xPOwRZ+Yhw8=',
    },
    { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
    { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
    {
      name: 'serviceaccounts',
      singularName: 'serviceaccount',
      namespaced: true,
      kind: 'ServiceAccount',
      verbs: OBJECT_VERBS,
      shortNames: ['sa'],
      storageVersionHash: 'pbx9ZvyFpBE=',
    },
    {
      name: 'serviceaccounts/token',
      singularName: '',
      namespaced: true,
      group: 'authentication.k8s.io',
      version: 'v1',
      kind: 'TokenRequest',
      verbs: ['create'],
    },
  ],
};

export const API_GROUP_LIST = { kind: 'APIGroupList', apiVersion: 'v1', groups: [] as unknown[] };

/** The apps group, of which the sandbox serves Deployments (kubernetes pkg/registry/apps/rest). */
const APPS_V1 = { groupVersion: 'apps/v1', version: 'v1' };
export const APPS_GROUP = { name: 'apps', versions: [APPS_V1], preferredVersion: APPS_V1 };

export const APPS_V1_RESOURCES = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'apps/v1',
  resources: [
    {
      name: 'deployments',
      singularName: 'deployment',
      namespaced: true,
      kind: 'Deployment',
      verbs: OBJECT_VERBS,
      shortNames: ['deploy'],
      categories: ['all'],
      storageVersionHash: '8aSe+NMegvE=',
    },
    // `kubectl scale` finds the Scale kind here (client-go scale.NewDiscoveryScaleKindResolver).
    {
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    },
    { name: 'deployments/status', singularName: '', namespaced: true, kind: 'Deployment', verbs: ['get'] },
    {
      name: 'daemonsets',
      singularName: 'daemonset',
      namespaced: true,
      kind: 'DaemonSet',
      verbs: OBJECT_VERBS,
      shortNames: ['ds'],
      categories: ['all'],
      storageVersionHash: 'dd7pWHUlMKQ=',
    },
    { name: 'daemonsets/status', singularName: '', namespaced: true, kind: 'DaemonSet', verbs: ['get'] },
    {
      name: 'replicasets',
      singularName: 'replicaset',
      namespaced: true,
      kind: 'ReplicaSet',
      verbs: OBJECT_VERBS,
      shortNames: ['rs'],
      categories: ['all'],
      storageVersionHash: 'P1RzHs8/mWQ=',
    },
    { name: 'replicasets/status', singularName: '', namespaced: true, kind: 'ReplicaSet', verbs: ['get'] },
    {
      name: 'statefulsets',
      singularName: 'statefulset',
      namespaced: true,
      kind: 'StatefulSet',
      verbs: OBJECT_VERBS,
      shortNames: ['sts'],
      categories: ['all'],
      storageVersionHash: 'H+vl74LkKdo=',
    },
    { name: 'statefulsets/status', singularName: '', namespaced: true, kind: 'StatefulSet', verbs: ['get'] },
  ],
};

/** batch/v1, of which the sandbox serves Jobs. */
const BATCH_V1 = { groupVersion: 'batch/v1', version: 'v1' };
export const BATCH_GROUP = { name: 'batch', versions: [BATCH_V1], preferredVersion: BATCH_V1 };

export const BATCH_V1_RESOURCES = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'batch/v1',
  resources: [
    {
      name: 'jobs',
      singularName: 'job',
      namespaced: true,
      kind: 'Job',
      verbs: OBJECT_VERBS,
      categories: ['all'],
      storageVersionHash: 'mudhfqk/qZY=',
    },
    { name: 'jobs/status', singularName: '', namespaced: true, kind: 'Job', verbs: ['get'] },
  ],
};
