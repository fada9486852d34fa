import type { KubeObject } from './kubeState';

/**
 * Who the sandbox kubeconfig's token is, and what it may do. An AKS cluster with local
 * accounts hands out a `clusterUser` credential that is cluster-admin (`masterclient` in
 * `system:masters`), so every access review is allowed (`kubectl auth can-i`, `auth whoami`).
 */
export const SANDBOX_USER = { username: 'masterclient', groups: ['system:masters', 'system:authenticated'] };

export const AUTH_GROUPS = [
  {
    name: 'authentication.k8s.io',
    versions: [{ groupVersion: 'authentication.k8s.io/v1', version: 'v1' }],
    preferredVersion: { groupVersion: 'authentication.k8s.io/v1', version: 'v1' },
  },
  {
    name: 'authorization.k8s.io',
    versions: [{ groupVersion: 'authorization.k8s.io/v1', version: 'v1' }],
    preferredVersion: { groupVersion: 'authorization.k8s.io/v1', version: 'v1' },
  },
];

export const AUTH_RESOURCES: Record<string, KubeObject> = {
  'authentication.k8s.io/v1': {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'authentication.k8s.io/v1',
    resources: [
      {
        name: 'selfsubjectreviews',
        singularName: 'selfsubjectreview',
        namespaced: false,
        kind: 'SelfSubjectReview',
        verbs: ['create'],
      },
    ],
  },
  'authorization.k8s.io/v1': {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'authorization.k8s.io/v1',
    resources: [
      {
        name: 'selfsubjectaccessreviews',
        singularName: 'selfsubjectaccessreview',
        namespaced: false,
        kind: 'SelfSubjectAccessReview',
        verbs: ['create'],
      },
      {
        name: 'selfsubjectrulesreviews',
        singularName: 'selfsubjectrulesreview',
        namespaced: true,
        kind: 'SelfSubjectRulesReview',
        verbs: ['create'],
      },
    ],
  },
};

/** `POST /apis/{group}/v1/{resource}`; the request body (JSON or protobuf) is echoed only when JSON. */
export function review(group: string, resource: string, body: unknown): KubeObject | undefined {
  const spec = (body as { spec?: unknown } | undefined)?.spec ?? {};
  if (group === 'authentication.k8s.io' && resource === 'selfsubjectreviews') {
    return {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      status: { userInfo: SANDBOX_USER },
    };
  }
  if (group === 'authorization.k8s.io' && resource === 'selfsubjectaccessreviews') {
    return {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec,
      status: { allowed: true },
    };
  }
  if (group === 'authorization.k8s.io' && resource === 'selfsubjectrulesreviews') {
    return {
      kind: 'SelfSubjectRulesReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec,
      status: {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      },
    };
  }
  return undefined;
}
