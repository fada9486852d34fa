import { createHash } from 'node:crypto';
import { KUBERNETES_VERSION } from './discovery';

/**
 * A minimal OpenAPI v3 for core/v1, apps/v1 and batch/v1. kubectl (1.27+) fetches `/openapi/v3` before apply/create
 * to learn whether the server validates fields itself: when the PATCH operation of a kind
 * (found by `x-kubernetes-group-version-kind`) declares the `fieldValidation` query parameter,
 * kubectl skips client-side schema validation and sends `fieldValidation=Strict`
 * (k8s.io/cli-runtime pkg/resource/query_param_verifier_v3.go). Without it, kubectl demands the
 * full OpenAPI v2 document. Schemas are left out, so kubectl's apply computes strategic merge
 * patches from its compiled-in types, which carry the same patch metadata.
 */
interface ServedResource {
  plural: string;
  kind: string;
  namespaced: boolean;
}

/** One document per group/version, keyed as in the index (`api/v1`, `apis/apps/v1`). */
const GROUP_VERSIONS: Record<string, { group: string; tag: string; id: string; resources: ServedResource[] }> = {
  'api/v1': {
    group: '',
    tag: 'core_v1',
    id: 'CoreV1',
    resources: [
      { plural: 'pods', kind: 'Pod', namespaced: true },
      { plural: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
      { plural: 'namespaces', kind: 'Namespace', namespaced: false },
    ],
  },
  'apis/apps/v1': {
    group: 'apps',
    tag: 'apps_v1',
    id: 'AppsV1',
    resources: [
      { plural: 'deployments', kind: 'Deployment', namespaced: true },
      { plural: 'replicasets', kind: 'ReplicaSet', namespaced: true },
      { plural: 'statefulsets', kind: 'StatefulSet', namespaced: true },
      { plural: 'daemonsets', kind: 'DaemonSet', namespaced: true },
    ],
  },
  'apis/batch/v1': {
    group: 'batch',
    tag: 'batch_v1',
    id: 'BatchV1',
    resources: [{ plural: 'jobs', kind: 'Job', namespaced: true }],
  },
};

const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'pretty'].map((name) => ({
  name,
  in: 'query',
  description:
    name === 'fieldValidation'
      ? 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict'
      : name,
  schema: { type: 'string', uniqueItems: true },
}));

function operation(
  verb: string,
  group: string,
  tag: string,
  kind: string,
  id: string,
  extra: unknown[] = [],
): Record<string, unknown> {
  return {
    tags: [tag],
    description: `${verb} the specified ${kind}`,
    operationId: id,
    parameters: verb === 'read' || verb === 'delete' ? [] : [...WRITE_PARAMS, ...extra],
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': verb === 'read' ? 'get' : verb === 'replace' ? 'put' : verb,
    'x-kubernetes-group-version-kind': { group, kind, version: 'v1' },
  };
}

export function openApiV3Doc(groupVersion = 'api/v1'): Record<string, unknown> | undefined {
  const gv = GROUP_VERSIONS[groupVersion];
  if (!gv) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of gv.resources) {
    const base = r.namespaced ? `/${groupVersion}/namespaces/{namespace}/${r.plural}` : `/${groupVersion}/${r.plural}`;
    const suffix = `${gv.id}${r.namespaced ? 'Namespaced' : ''}${r.kind}`;
    const op = (verb: string, prefix: string, extra?: unknown[]): Record<string, unknown> =>
      operation(verb, gv.group, gv.tag, r.kind, `${prefix}${suffix}`, extra);
    paths[base] = { post: op('post', 'create') };
    paths[`${base}/{name}`] = {
      get: op('read', 'read'),
      put: op('replace', 'replace'),
      patch: op('patch', 'patch', [{ name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }]),
      delete: op('delete', 'delete'),
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: KUBERNETES_VERSION.gitVersion },
    paths,
    components: { schemas: {} },
  };
}

const cachedHash = new Map<string, string>();

function docHash(groupVersion: string): string {
  let hash = cachedHash.get(groupVersion);
  if (!hash) {
    hash = createHash('sha512')
      .update(JSON.stringify(openApiV3Doc(groupVersion)))
      .digest('hex')
      .toUpperCase()
      .slice(0, 128);
    cachedHash.set(groupVersion, hash);
  }
  return hash;
}

/**
 * The discovery index. `serverRelativeURL` is resolved against the server's root, not against
 * the kubeconfig's server path, so it must carry the API server's path (`/k8s/{guid}` on loopback).
 */
export function openApiV3Index(prefix: string): Record<string, unknown> {
  return {
    paths: Object.fromEntries(
      Object.keys(GROUP_VERSIONS).map((gv) => [
        gv,
        { serverRelativeURL: `${prefix}/openapi/v3/${gv}?hash=${docHash(gv)}` },
      ]),
    ),
  };
}
