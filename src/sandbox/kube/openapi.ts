import { createHash } from 'node:crypto';
import { KUBERNETES_VERSION } from './discovery';

/**
 * A minimal OpenAPI v3 for core/v1. kubectl (1.27+) fetches `/openapi/v3` before apply/create
 * to learn whether the server validates fields itself: when the PATCH operation of a kind
 * (found by `x-kubernetes-group-version-kind`) declares the `fieldValidation` query parameter,
 * kubectl skips client-side schema validation and sends `fieldValidation=Strict`
 * (k8s.io/cli-runtime pkg/resource/query_param_verifier_v3.go). Without it, kubectl demands the
 * full OpenAPI v2 document. Schemas are left out, so kubectl's apply computes strategic merge
 * patches from its compiled-in types, which carry the same patch metadata.
 */
const RESOURCES = [
  { plural: 'pods', kind: 'Pod', namespaced: true },
  { plural: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  { plural: 'namespaces', kind: 'Namespace', namespaced: false },
];

const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'pretty'].map((name) => ({
  name,
  in: 'query',
  description: name === 'fieldValidation' ? 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict' : name,
  schema: { type: 'string', uniqueItems: true },
}));

function operation(verb: string, kind: string, id: string, extra: unknown[] = []): Record<string, unknown> {
  return {
    tags: ['core_v1'],
    description: `${verb} the specified ${kind}`,
    operationId: id,
    parameters: verb === 'read' || verb === 'delete' ? [] : [...WRITE_PARAMS, ...extra],
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': verb === 'read' ? 'get' : verb === 'replace' ? 'put' : verb,
    'x-kubernetes-group-version-kind': { group: '', kind, version: 'v1' },
  };
}

export function openApiV3Doc(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const r of RESOURCES) {
    const base = r.namespaced ? `/api/v1/namespaces/{namespace}/${r.plural}` : `/api/v1/${r.plural}`;
    const suffix = `${r.namespaced ? 'Namespaced' : ''}${r.kind}`;
    paths[base] = { post: operation('post', r.kind, `createCore${'V1'}${suffix}`) };
    paths[`${base}/{name}`] = {
      get: operation('read', r.kind, `readCoreV1${suffix}`),
      put: operation('replace', r.kind, `replaceCoreV1${suffix}`),
      patch: operation('patch', r.kind, `patchCoreV1${suffix}`, [{ name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }]),
      delete: operation('delete', r.kind, `deleteCoreV1${suffix}`),
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: KUBERNETES_VERSION.gitVersion }, paths, components: { schemas: {} } };
}

let cachedHash: string | undefined;

function docHash(): string {
  cachedHash ??= createHash('sha512').update(JSON.stringify(openApiV3Doc())).digest('hex').toUpperCase().slice(0, 128);
  return cachedHash;
}

/**
 * The discovery index. `serverRelativeURL` is resolved against the server's root, not against
 * the kubeconfig's server path, so it must carry the `/k8s/{guid}` prefix.
 */
export function openApiV3Index(prefix: string): Record<string, unknown> {
  return { paths: { 'api/v1': { serverRelativeURL: `${prefix}/openapi/v3/api/v1?hash=${docHash()}` } } };
}
