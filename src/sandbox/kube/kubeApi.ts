import { json, type SandboxRequest, type SandboxResponse } from '../http';
import { AUTH_GROUPS, AUTH_RESOURCES, review } from './access';
import { authenticateKube, isDiscoveryPath } from './authn';
import type { KubeClusterContext } from './clusterContext';
import { runControllers } from './controllers';
import { orphanDependents } from './deploymentController';
import {
  API_GROUP_LIST,
  APPS_GROUP,
  APPS_V1_RESOURCES,
  apiVersions,
  BATCH_GROUP,
  BATCH_V1_RESOURCES,
  CORE_V1_RESOURCES,
  KUBERNETES_VERSION,
} from './discovery';
import { ADMISSION_GROUP, ADMISSION_V1_RESOURCES, handleWebhookConfigurations } from './webhookConfiguration';
import { checkFields, warningHeader } from './knownFields';
import { nextResourceVersion, upgradeKubeState } from './kubeState';
import { openApiV3Doc, openApiV3Index } from './openapi';
import { podLog } from './podLog';
import { list, listEvents, select, withoutKind } from './reads';
import { fieldManager, header, isDryRun, methodNotAllowed, pageNotFound, readBody } from './request';
import {
  API_VERSIONS,
  getObject,
  groupOf,
  KINDS,
  store,
  withKind,
  WORKLOADS,
  type Obj,
  type Resource,
  type WorkloadResource,
} from './resources';
import { handleScale } from './scale';
import { KubeStatusError, methodNotSupported, statusResponse } from './status';

import { toTable, wantsTable } from './tables';
import { clusterIssuer, createTokenRequest } from './tokenRequest';
import { create, patch, remove, update } from './writes';
import { isRecord } from '../../core/is';

/** Every cluster's API server lives under `{origin}/k8s/{guid}` on the sandbox server. */
export const KUBE_API_PREFIX = '/k8s';

export function kubeApiServer(origin: string, guid: string): string {
  return `${origin}${KUBE_API_PREFIX}/${guid}`;
}

/** Where this cluster's API server sits on the origin the client addressed (clusterContext.ts). */
function apiServerPathOf(ctx: KubeClusterContext): string {
  return ctx.apiServerPath ?? `${KUBE_API_PREFIX}/${ctx.guid}`;
}

/**
 * The Kubernetes API of one sandbox cluster. `req.path` is what follows `/k8s/{guid}`.
 * Errors are `metav1.Status` objects with the API server's codes, reasons and messages.
 */
export function handleKubeRequest(
  ctx: KubeClusterContext,
  req: SandboxRequest,
): SandboxResponse | Promise<SandboxResponse> {
  try {
    return route(ctx, req, new Date());
  } catch (e) {
    if (KubeStatusError.is(e)) return e.toResponse();
    return statusResponse(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`);
  }
}

function route(ctx: KubeClusterContext, req: SandboxRequest, now: Date): SandboxResponse | Promise<SandboxResponse> {
  upgradeKubeState(ctx.kube);
  const caller = authenticateKube(ctx, req.headers.authorization, now);
  // kube-apiserver with anonymous auth off (AKS): 401 for an unauthenticated request.
  if (!caller) return statusResponse(401, 'Unauthorized', 'Unauthorized');
  const path = req.path.replace(/\/+$/, '') || '/';
  const method = req.method.toUpperCase();
  if (caller.kind === 'serviceAccount' && !isDiscoveryPath(method, path)) {
    return statusResponse(
      403,
      'Forbidden',
      `forbidden: User "${caller.username}" cannot ${method.toLowerCase()} path "${path}"`,
    );
  }
  let seg: string[];
  try {
    seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    // A malformed percent-escape: the API server's request-info parser answers 400.
    return statusResponse(400, 'BadRequest', `invalid path: malformed percent-encoding in "${path}"`);
  }

  if (path === '/version' && method === 'GET') return json(200, KUBERNETES_VERSION);
  if (['/healthz', '/livez', '/readyz'].includes(path)) {
    return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' };
  }
  if (path === '/api' && method === 'GET') return json(200, apiVersions(new URL(req.origin).host));
  if (path === '/api/v1' && method === 'GET') return json(200, CORE_V1_RESOURCES);
  if (path === '/apis' && method === 'GET') {
    return json(200, { ...API_GROUP_LIST, groups: [APPS_GROUP, BATCH_GROUP, ADMISSION_GROUP, ...AUTH_GROUPS] });
  }
  if (path === '/apis/apps' && method === 'GET') {
    return json(200, { kind: 'APIGroup', apiVersion: 'v1', ...APPS_GROUP });
  }
  if (path === '/apis/apps/v1' && method === 'GET') return json(200, APPS_V1_RESOURCES);
  if (path === '/apis/batch' && method === 'GET') {
    return json(200, { kind: 'APIGroup', apiVersion: 'v1', ...BATCH_GROUP });
  }
  if (path === '/apis/batch/v1' && method === 'GET') return json(200, BATCH_V1_RESOURCES);
  if (path === '/apis/admissionregistration.k8s.io' && method === 'GET') {
    return json(200, { kind: 'APIGroup', apiVersion: 'v1', ...ADMISSION_GROUP });
  }
  if (path === '/apis/admissionregistration.k8s.io/v1' && method === 'GET') return json(200, ADMISSION_V1_RESOURCES);
  if (seg[0] === 'apis' && seg[1] === 'admissionregistration.k8s.io' && seg[2] === 'v1') {
    return handleWebhookConfigurations(ctx, req, seg.slice(3), method, now);
  }
  if (seg[0] === 'apis' && (seg[1] === 'apps' || seg[1] === 'batch') && seg[2] === 'v1') {
    return workloads(ctx, req, seg[1], seg.slice(3), method, now);
  }
  if (seg[0] === 'apis' && seg.length === 3 && method === 'GET') {
    const list = AUTH_RESOURCES[`${seg[1]}/${seg[2]}`];
    return list ? json(200, list) : pageNotFound();
  }
  if (seg[0] === 'apis' && seg[2] === 'v1' && method === 'POST') {
    const resource = String(seg[seg.length - 1]);
    const kind =
      {
        selfsubjectreviews: 'SelfSubjectReview',
        selfsubjectaccessreviews: 'SelfSubjectAccessReview',
        selfsubjectrulesreviews: 'SelfSubjectRulesReview',
      }[resource] ?? 'Review';
    const out = review(String(seg[1]), resource, readBody(req, kind));
    return out ? json(201, out) : pageNotFound();
  }
  if (path === '/openapi/v3' && method === 'GET') return json(200, openApiV3Index(apiServerPathOf(ctx)));
  if (path.startsWith('/openapi/v3/') && method === 'GET') {
    const doc = openApiV3Doc(path.slice('/openapi/v3/'.length));
    return doc ? json(200, doc, { 'cache-control': 'public, immutable' }) : pageNotFound();
  }
  if (path === '/.well-known/openid-configuration' && method === 'GET') return json(200, apiServerDiscovery(ctx, req));
  if (path === '/openid/v1/jwks' && method === 'GET') {
    return json(200, { keys: [ctx.signingKey.publicJwk] }, { 'content-type': 'application/jwk-set+json' });
  }
  if (seg[0] !== 'api' || seg[1] !== 'v1') return pageNotFound();

  const rest = seg.slice(2);
  // /api/v1/{resource}[/{name}] for namespaces; /api/v1/{resource} lists across namespaces.
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== undefined) {
    const ns = rest[1] as string;
    const resource = rest[2];
    const name = rest[3];
    const sub = rest[4];
    if (rest.length > 5) return pageNotFound();
    if (resource === 'events') {
      return name === undefined && method === 'GET' ? listEvents(ctx, req, ns) : methodNotAllowed('events', method);
    }
    if (resource !== 'serviceaccounts' && resource !== 'pods') return pageNotFound();
    if (resource === 'pods' && (method === 'DELETE' || method === 'PUT' || method === 'PATCH') && !isDryRun(req)) {
      // A deleted pod of a ReplicaSet, StatefulSet, DaemonSet or Job is replaced by its controller.
      const response =
        name === undefined
          ? collection(ctx, req, resource, ns, method, now)
          : sub === undefined
            ? item(ctx, req, resource, ns, name, method, now)
            : undefined;
      if (response) {
        runControllers(ctx, ns, req.origin, now);
        return response;
      }
    }
    if (name === undefined) return collection(ctx, req, resource, ns, method, now);
    if (sub === undefined) return item(ctx, req, resource, ns, name, method, now);
    if (resource === 'serviceaccounts' && sub === 'token') {
      if (method !== 'POST') throw methodNotSupported('serviceaccounts/token', method);
      const body = readBody(req, 'TokenRequest');
      const tr = createTokenRequest(ctx, ns, name, body, now);
      return json(201, tr);
    }
    if (resource === 'pods' && sub === 'status' && method === 'GET') {
      return json(200, withKind('pods', getObject(ctx, 'pods', ns, name)));
    }
    if (resource === 'pods' && sub === 'log' && method === 'GET') {
      return podLog(ctx, req, ns, name).catch((e: unknown) =>
        KubeStatusError.is(e) ? e.toResponse() : Promise.reject(e),
      );
    }
    return pageNotFound();
  }
  if (rest.length === 1 && (rest[0] === 'pods' || rest[0] === 'serviceaccounts')) {
    if (method !== 'GET') return methodNotAllowed(rest[0], method);
    return list(ctx, req, rest[0], undefined, now);
  }
  if (rest.length === 1 && rest[0] === 'events' && method === 'GET') return listEvents(ctx, req, undefined);
  if (rest[0] === 'namespaces') {
    if (rest.length === 1) return collection(ctx, req, 'namespaces', undefined, method, now);
    if (rest.length === 2) return item(ctx, req, 'namespaces', undefined, rest[1] as string, method, now);
    if (rest.length === 3 && rest[2] === 'status' && method === 'GET') {
      return json(200, withKind('namespaces', getObject(ctx, 'namespaces', undefined, rest[1] as string)));
    }
  }
  return pageNotFound();
}

/**
 * ServiceAccountIssuerDiscovery on the API server itself (kubernetes
 * pkg/serviceaccount/openidmetadata.go): the issuer, and a jwks_uri that is
 * `--service-account-jwks-uri` (AKS points it at the public issuer) or else the API server's
 * own `/openid/v1/jwks`.
 */
function apiServerDiscovery(ctx: KubeClusterContext, req: SandboxRequest): Obj {
  return {
    issuer: clusterIssuer(ctx),
    jwks_uri: ctx.issuerUrl ? `${ctx.issuerUrl}openid/v1/jwks` : `${req.origin}${apiServerPathOf(ctx)}/openid/v1/jwks`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
}

function collection(
  ctx: KubeClusterContext,
  req: SandboxRequest,
  resource: Resource,
  ns: string | undefined,
  method: string,
  now: Date,
): SandboxResponse | Promise<SandboxResponse> {
  if (method === 'GET') return list(ctx, req, resource, ns, now);
  if (method === 'POST') {
    const body = readBody(req, KINDS[resource]);
    const warnings = checkFields(KINDS[resource], body, req.query.get('fieldValidation'));
    const created = create(ctx, req, resource, ns, body, now, fieldManager(req));
    return json(201, created, warningHeader(warnings));
  }
  if (method === 'DELETE' && resource !== 'namespaces') {
    const selected = select(ctx, req, resource, ns);
    if (!isDryRun(req)) {
      for (const o of selected) delete store(ctx, resource, ns)?.[String((o.metadata as Obj).name)];
      if (selected.length) {
        nextResourceVersion(ctx.kube);
        ctx.persist();
      }
    }
    return json(200, {
      kind: `${KINDS[resource]}List`,
      apiVersion: API_VERSIONS[resource],
      metadata: { resourceVersion: String(ctx.kube.resourceVersion) },
      items: selected.map(withoutKind),
    });
  }
  return methodNotAllowed(resource, method);
}

function item(
  ctx: KubeClusterContext,
  req: SandboxRequest,
  resource: Resource,
  ns: string | undefined,
  name: string,
  method: string,
  now: Date,
): SandboxResponse {
  switch (method) {
    case 'GET': {
      const obj = withKind(resource, getObject(ctx, resource, ns, name));
      if (wantsTable(header(req, 'accept'))) {
        return json(
          200,
          toTable(resource, [obj], String(ctx.kube.resourceVersion), req.query.get('includeObject'), now),
        );
      }
      return json(200, obj);
    }
    case 'PUT': {
      const body = readBody(req, KINDS[resource]);
      const warnings = checkFields(KINDS[resource], body, req.query.get('fieldValidation'));
      return json(200, update(ctx, req, resource, ns, name, body, now, fieldManager(req)), warningHeader(warnings));
    }
    case 'PATCH':
      return patch(ctx, req, resource, ns, name, now);
    case 'DELETE': {
      const gone = remove(ctx, req, resource, ns, name, now);
      // Kinds without ReturnDeletedObject in their registry (Deployments) answer a Success Status.
      if (groupOf(resource)) {
        const md = gone.metadata as Obj;
        return json(200, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name, group: groupOf(resource), kind: resource, uid: md.uid },
        });
      }
      return json(200, gone);
    }
    default:
      return methodNotAllowed(resource, method);
  }
}

/**
 * `/apis/apps/v1/…` and `/apis/batch/v1/…`: Deployments (with their scale subresource),
 * ReplicaSets, StatefulSets, DaemonSets and Jobs, and their status subresources. After every
 * write the controllers run for the namespace (synchronously, so the next read sees the pods);
 * the write's own response is the object as stored, before the controllers acted, as on a cluster.
 */
function workloads(
  ctx: KubeClusterContext,
  req: SandboxRequest,
  group: string,
  rest: string[],
  method: string,
  now: Date,
): SandboxResponse | Promise<SandboxResponse> {
  const served = WORKLOADS.filter((r) => groupOf(r) === group) as WorkloadResource[];
  const asResource = (s: string | undefined): WorkloadResource | undefined => served.find((r) => r === s);
  if (rest.length === 1) {
    const resource = asResource(rest[0]);
    if (!resource) return pageNotFound();
    return method === 'GET' ? list(ctx, req, resource, undefined, now) : methodNotAllowed(resource, method);
  }
  const resource = asResource(rest[2]);
  if (rest[0] !== 'namespaces' || !resource || rest.length > 5) return pageNotFound();
  const ns = rest[1] as string;
  const name = rest[3];
  const sub = rest[4];
  let response: SandboxResponse | Promise<SandboxResponse>;
  if (name === undefined) {
    response = collection(ctx, req, resource, ns, method, now);
  } else if (sub === undefined) {
    if (method === 'DELETE' && !isDryRun(req) && propagationPolicy(req) === 'Orphan') {
      orphanDependents(
        ctx,
        getObject(ctx, resource, ns, name),
        resource === 'deployments' ? ['replicasets'] : ['pods'],
      );
    }
    response = item(ctx, req, resource, ns, name, method, now);
  } else if (sub === 'scale' && resource === 'deployments') {
    response = handleScale(ctx, req, ns, name, method, now);
  } else if (sub === 'status' && method === 'GET') {
    response = json(200, withKind(resource, getObject(ctx, resource, ns, name)));
  } else {
    return pageNotFound();
  }
  if (method !== 'GET' && !isDryRun(req)) runControllers(ctx, ns, req.origin, now);
  return response;
}

/** DeleteOptions.propagationPolicy from the body, or the query parameter of the same name. */
function propagationPolicy(req: SandboxRequest): string | undefined {
  const q = req.query.get('propagationPolicy');
  if (q) return q;
  if (!req.body.length) return undefined;
  const opts = readBody(req, 'DeleteOptions');
  return isRecord(opts) && typeof opts.propagationPolicy === 'string' ? opts.propagationPolicy : undefined;
}
