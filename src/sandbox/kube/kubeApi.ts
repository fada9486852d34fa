import { parse as parseYaml } from 'yaml';
import { json, type SandboxRequest, type SandboxResponse } from '../http';
import type { KubeClusterContext } from './clusterContext';
import { AUTH_GROUPS, AUTH_RESOURCES, review } from './access';
import { API_GROUP_LIST, apiVersions, CORE_V1_RESOURCES, KUBERNETES_VERSION } from './discovery';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './labelSelector';
import { addNamespace, kubeTime, nextResourceVersion, stampNewObject, type KubeObject, type NamespacedResource } from './kubeState';
import { recordUpdate, serverSideApply } from './managedFields';
import { checkFields, warningHeader } from './knownFields';
import { decodeTokenRequest, isProtobuf } from './protobuf';
import { openApiV3Doc, openApiV3Index } from './openapi';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch';
import { admitServiceAccount, defaultPod, mountApiAccess, podEvents, randomSuffix, runPod } from './podLifecycle';
import { deepClone, deepEqual, isPlainObject } from './schema';
import { alreadyExists, badRequest, conflict, forbidden, KubeStatusError, methodNotSupported, notFound, statusResponse, unsupportedMediaType } from './status';
import { wantsTable, toTable } from './tables';
import { clusterIssuer, createTokenRequest } from './tokenRequest';
import { assertValid, checkDecodable, validateMeta, validatePodSpec, validatePodUpdate } from './validation';
import { mutatePod, webhookSelects } from './webhook';

/** Every cluster's API server lives under `{origin}/k8s/{guid}` on the sandbox server. */
export const KUBE_API_PREFIX = '/k8s';

export function kubeApiServer(origin: string, guid: string): string {
  return `${origin}${KUBE_API_PREFIX}/${guid}`;
}

type Obj = Record<string, unknown>;
type Resource = 'namespaces' | NamespacedResource;

const KINDS: Record<Resource, string> = { namespaces: 'Namespace', serviceaccounts: 'ServiceAccount', pods: 'Pod' };
const FIELD_SELECTABLE: Record<Resource | 'events', string[]> = {
  namespaces: ['metadata.name', 'status.phase'],
  serviceaccounts: ['metadata.name', 'metadata.namespace'],
  pods: ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  events: ['metadata.name', 'metadata.namespace', 'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
};

/** Namespaces the API server refuses to delete (NamespaceLifecycle admission). */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/**
 * The Kubernetes API of one sandbox cluster. `req.path` is what follows `/k8s/{guid}`.
 * Errors are `metav1.Status` objects with the API server's codes, reasons and messages.
 */
export function handleKubeRequest(ctx: KubeClusterContext, req: SandboxRequest): SandboxResponse | Promise<SandboxResponse> {
  try {
    return route(ctx, req, new Date());
  } catch (e) {
    if (KubeStatusError.is(e)) return e.toResponse();
    return statusResponse(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`);
  }
}

function route(ctx: KubeClusterContext, req: SandboxRequest, now: Date): SandboxResponse | Promise<SandboxResponse> {
  const auth = header(req, 'authorization') ?? '';
  if (!/^Bearer\s+\S+/i.test(auth)) {
    // kube-apiserver with anonymous auth off (AKS): 401 for an unauthenticated request.
    return statusResponse(401, 'Unauthorized', 'Unauthorized');
  }
  const path = req.path.replace(/\/+$/, '') || '/';
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  const method = req.method.toUpperCase();

  if (path === '/version' && method === 'GET') return json(200, KUBERNETES_VERSION);
  if (['/healthz', '/livez', '/readyz'].includes(path)) return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' };
  if (path === '/api' && method === 'GET') return json(200, apiVersions(new URL(req.origin).host));
  if (path === '/api/v1' && method === 'GET') return json(200, CORE_V1_RESOURCES);
  if (path === '/apis' && method === 'GET') return json(200, { ...API_GROUP_LIST, groups: AUTH_GROUPS });
  if (seg[0] === 'apis' && seg.length === 3 && method === 'GET') {
    const list = AUTH_RESOURCES[`${seg[1]}/${seg[2]}`];
    return list ? json(200, list) : pageNotFound();
  }
  if (seg[0] === 'apis' && seg[2] === 'v1' && method === 'POST') {
    const body = isProtobuf(header(req, 'content-type')) ? {} : readBody(req, 'Review');
    const out = review(String(seg[1]), String(seg[seg.length - 1]), body);
    return out ? json(201, out) : pageNotFound();
  }
  if (path === '/openapi/v3' && method === 'GET') return json(200, openApiV3Index(`${KUBE_API_PREFIX}/${ctx.guid}`));
  if (path === '/openapi/v3/api/v1' && method === 'GET') return json(200, openApiV3Doc(), { 'cache-control': 'public, immutable' });
  if (path === '/.well-known/openid-configuration' && method === 'GET') return json(200, apiServerDiscovery(ctx, req));
  if (path === '/openid/v1/jwks' && method === 'GET') return json(200, { keys: [ctx.signingKey.publicJwk] }, { 'content-type': 'application/jwk-set+json' });
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
    if (name === undefined) return collection(ctx, req, resource, ns, method, now);
    if (sub === undefined) return item(ctx, req, resource, ns, name, method, now);
    if (resource === 'serviceaccounts' && sub === 'token') {
      if (method !== 'POST') throw methodNotSupported('serviceaccounts/token', method);
      const body = isProtobuf(header(req, 'content-type')) ? decodeTokenRequest(req.body) : readBody(req, 'TokenRequest');
      const tr = createTokenRequest(ctx, ns, name, body, now);
      return json(201, tr);
    }
    if (resource === 'pods' && sub === 'status' && method === 'GET') return json(200, withKind('pods', getObject(ctx, 'pods', ns, name)));
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
    if (rest.length === 3 && rest[2] === 'status' && method === 'GET') return json(200, withKind('namespaces', getObject(ctx, 'namespaces', undefined, rest[1] as string)));
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
    jwks_uri: ctx.issuerUrl ? `${ctx.issuerUrl}openid/v1/jwks` : `${kubeApiServer(req.origin, ctx.guid)}/openid/v1/jwks`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
}

/** What kube-apiserver answers for an unknown path: a 404 Status without reason details. */
function pageNotFound(): SandboxResponse {
  return statusResponse(404, 'NotFound', 'the server could not find the requested resource', {});
}

function methodNotAllowed(resource: string, method: string): SandboxResponse {
  return methodNotSupported(resource, method.toLowerCase()).toResponse();
}

function header(req: SandboxRequest, name: string): string | undefined {
  const v = req.headers[name] ?? req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** JSON or YAML bodies (kubectl sends JSON; `apply-patch+yaml` and hand-made requests send YAML). */
function readBody(req: SandboxRequest, kind: string): unknown {
  const text = req.body.toString('utf8');
  const type = (header(req, 'content-type') ?? 'application/json').toLowerCase();
  if (isProtobuf(type)) {
    throw new KubeStatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (the sandbox reads protobuf only for TokenRequest)`);
  }
  if (!text.trim()) {
    throw badRequest(`Object 'Kind' is missing in '${text}'`);
  }
  try {
    if (type.includes('yaml')) {
      // sigs.k8s.io/yaml follows YAML 1.1: `yes`, `on`, `true` are booleans.
      return parseYaml(text, { version: '1.1' }) as unknown;
    }
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: ${type.includes('yaml') ? 'error converting YAML to JSON' : 'invalid character'}: ${(e as Error).message.split('\n')[0]}`);
  }
}

function fieldManager(req: SandboxRequest): string {
  const explicit = req.query.get('fieldManager');
  if (explicit) return explicit;
  // fieldmanager's default: the user agent up to the first '/'.
  return (header(req, 'user-agent') ?? 'unknown').split('/')[0]?.slice(0, 128) || 'unknown';
}

function isDryRun(req: SandboxRequest): boolean {
  return req.query.getAll('dryRun').includes('All');
}

function store(ctx: KubeClusterContext, resource: Resource, ns: string | undefined): Record<string, KubeObject> | undefined {
  if (resource === 'namespaces') return ctx.kube.namespaces;
  return ctx.kube[resource][ns as string];
}

function getObject(ctx: KubeClusterContext, resource: Resource, ns: string | undefined, name: string): KubeObject {
  const obj = store(ctx, resource, ns)?.[name];
  if (!obj) throw notFound(resource, name);
  return obj;
}

/** Objects are stored with apiVersion and kind; list items are returned without them, as the API does. */
function withKind(resource: Resource, obj: KubeObject): KubeObject {
  return { apiVersion: 'v1', kind: KINDS[resource], ...obj };
}

function collection(ctx: KubeClusterContext, req: SandboxRequest, resource: Resource, ns: string | undefined, method: string, now: Date): SandboxResponse | Promise<SandboxResponse> {
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
    return json(200, { kind: `${KINDS[resource]}List`, apiVersion: 'v1', metadata: { resourceVersion: String(ctx.kube.resourceVersion) }, items: selected });
  }
  return methodNotAllowed(resource, method);
}

function select(ctx: KubeClusterContext, req: SandboxRequest, resource: Resource, ns: string | undefined): KubeObject[] {
  const labels = parseLabelSelector(req.query.get('labelSelector'));
  const fields = parseFieldSelector(req.query.get('fieldSelector'), FIELD_SELECTABLE[resource]);
  let all: KubeObject[];
  if (resource === 'namespaces') {
    all = Object.values(ctx.kube.namespaces);
  } else if (ns !== undefined) {
    all = Object.values(ctx.kube[resource][ns] ?? {});
  } else {
    all = Object.keys(ctx.kube[resource]).sort().flatMap((n) => Object.values(ctx.kube[resource][n] ?? {}));
  }
  const name = (o: KubeObject): string => String((o.metadata as Obj).name);
  return all
    .filter((o) => matchesLabels(labels, (o.metadata as Obj).labels as Record<string, string> | undefined))
    .filter((o) => matchesFields(fields, selectableFields(o)))
    .sort((a, b) => (ns === undefined && resource !== 'namespaces' ? String((a.metadata as Obj).namespace).localeCompare(String((b.metadata as Obj).namespace)) : 0) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
}

/** Flattens the selectable fields of an object (`spec.nodeName` → value). */
function selectableFields(o: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  const md = o.metadata as Obj;
  out['metadata.name'] = String(md.name ?? '');
  out['metadata.namespace'] = String(md.namespace ?? '');
  for (const top of ['spec', 'status', 'involvedObject'] as const) {
    const v = o[top];
    if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x !== 'object') out[`${top}.${k}`] = String(x);
  }
  for (const k of ['reason', 'type', 'reportingComponent']) if (typeof o[k] === 'string') out[k] = o[k] as string;
  if (isPlainObject(o.source)) out.source = String(o.source.component ?? '');
  return out;
}

function list(ctx: KubeClusterContext, req: SandboxRequest, resource: Resource, ns: string | undefined, now: Date): SandboxResponse | Promise<SandboxResponse> {
  if (['true', '1'].includes(req.query.get('watch') ?? '')) return watch(req, resource, select(ctx, req, resource, ns));
  let items = select(ctx, req, resource, ns);
  const rv = String(ctx.kube.resourceVersion);
  const metadata: Obj = { resourceVersion: rv };
  // Chunking (`limit` + `continue`), as kubectl get does with limit=500.
  const limit = Number(req.query.get('limit') ?? 0);
  const cont = req.query.get('continue');
  if (cont) {
    const after = Buffer.from(cont, 'base64url').toString('utf8');
    const key = (o: KubeObject): string => `${String((o.metadata as Obj).namespace ?? '')}/${String((o.metadata as Obj).name)}`;
    items = items.filter((o) => key(o) > after);
  }
  if (limit > 0 && items.length > limit) {
    const last = items[limit - 1] as KubeObject;
    metadata.continue = Buffer.from(`${String((last.metadata as Obj).namespace ?? '')}/${String((last.metadata as Obj).name)}`).toString('base64url');
    metadata.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
  }
  if (wantsTable(header(req, 'accept'))) {
    const table = toTable(resource, items, rv, req.query.get('includeObject'), now);
    if (metadata.continue) (table.metadata as Obj).continue = metadata.continue;
    return json(200, table);
  }
  return json(200, { kind: `${KINDS[resource]}List`, apiVersion: 'v1', metadata, items });
}

/**
 * A watch that reports what changed after the requested resourceVersion and then ends, as a
 * real watch does when its timeout expires: the sandbox server answers in one piece, so clients
 * (kubectl wait, informers) simply re-list and re-watch. Deletions are not replayed.
 */
function watch(req: SandboxRequest, resource: Resource, items: KubeObject[]): SandboxResponse {
  const since = Number(req.query.get('resourceVersion') ?? 0);
  const lines = items
    .filter((o) => Number((o.metadata as Obj).resourceVersion) > since)
    .map((o) => JSON.stringify({ type: 'ADDED', object: withKind(resource, o) }) + '\n')
    .join('');
  // A bookmark (when the client accepts them) tells client-go the watch was healthy, so an
  // immediately closed watch is not reported as "very short" and is simply renewed.
  const bookmark =
    req.query.get('allowWatchBookmarks') === 'true'
      ? JSON.stringify({ type: 'BOOKMARK', object: { kind: KINDS[resource], apiVersion: 'v1', metadata: { resourceVersion: String(Math.max(since, ...items.map((o) => Number((o.metadata as Obj).resourceVersion)))) } } }) + '\n'
      : '';
  return { status: 200, headers: { 'content-type': 'application/json' }, body: lines + bookmark };
}

function listEvents(ctx: KubeClusterContext, req: SandboxRequest, ns: string | undefined): SandboxResponse {
  const fields = parseFieldSelector(req.query.get('fieldSelector'), FIELD_SELECTABLE.events);
  const namespaces = ns !== undefined ? [ns] : Object.keys(ctx.kube.pods).sort();
  const items = namespaces
    .flatMap((n) => Object.values(ctx.kube.pods[n] ?? {}))
    .flatMap((p) => podEvents(ctx, p))
    .filter((e) => matchesFields(fields, selectableFields(e)));
  return json(200, { kind: 'EventList', apiVersion: 'v1', metadata: { resourceVersion: String(ctx.kube.resourceVersion) }, items });
}

function item(ctx: KubeClusterContext, req: SandboxRequest, resource: Resource, ns: string | undefined, name: string, method: string, now: Date): SandboxResponse {
  switch (method) {
    case 'GET': {
      const obj = withKind(resource, getObject(ctx, resource, ns, name));
      if (wantsTable(header(req, 'accept'))) return json(200, toTable(resource, [obj], String(ctx.kube.resourceVersion), req.query.get('includeObject'), now));
      return json(200, obj);
    }
    case 'PUT': {
      const body = readBody(req, KINDS[resource]);
      const warnings = checkFields(KINDS[resource], body, req.query.get('fieldValidation'));
      return json(200, update(ctx, req, resource, ns, name, body, now, fieldManager(req)), warningHeader(warnings));
    }
    case 'PATCH':
      return patch(ctx, req, resource, ns, name, now);
    case 'DELETE':
      return json(200, remove(ctx, req, resource, ns, name, now));
    default:
      return methodNotAllowed(resource, method);
  }
}

/** Checks apiVersion/kind of a request body like the API server's decoder does. */
function checkTypeMeta(resource: Resource, body: unknown): Obj {
  if (!isPlainObject(body)) throw badRequest(`${KINDS[resource]} in version "v1" cannot be handled as a ${KINDS[resource]}: json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  if (body.apiVersion !== undefined && body.apiVersion !== 'v1') {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (v1)`);
  }
  if (body.kind !== undefined && body.kind !== KINDS[resource]) {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${KINDS[resource]})`);
  }
  checkDecodable(KINDS[resource], body);
  return body;
}

/** Go's `omitempty`: empty or null maps and nil fields vanish when the API server re-encodes. */
function omitEmpty(obj: Obj): void {
  const md = (obj.metadata ?? {}) as Obj;
  for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences']) {
    const v = md[k];
    if (v === null || (isPlainObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0)) delete md[k];
  }
  const spec = obj.spec as Obj | undefined;
  if (spec) {
    for (const [k, v] of Object.entries(spec)) {
      if (v === null || (k === 'nodeSelector' && isPlainObject(v) && Object.keys(v).length === 0)) delete spec[k];
    }
  }
}

/** Drops fields clients may not set on create and normalises empty maps. */
function scrubForCreate(resource: Resource, obj: Obj): void {
  const md = (obj.metadata ??= {}) as Obj;
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds']) delete md[k];
  if (resource === 'pods') delete obj.status;
  omitEmpty(obj);
  obj.apiVersion = 'v1';
  obj.kind = KINDS[resource];
}

export function create(ctx: KubeClusterContext, req: SandboxRequest, resource: Resource, ns: string | undefined, body: unknown, now: Date, manager: string, applyManager?: string): KubeObject {
  const obj = deepClone(checkTypeMeta(resource, body));
  scrubForCreate(resource, obj);
  const md = obj.metadata as Obj;
  if (ns !== undefined) {
    if (md.namespace !== undefined && md.namespace !== '' && md.namespace !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    md.namespace = ns;
    if (!ctx.kube.namespaces[ns]) throw notFound('namespaces', ns);
  } else {
    delete md.namespace;
  }
  if (!md.name && typeof md.generateName === 'string' && md.generateName) {
    // Webhooks see a generateName pod before its name exists (hence the webhook's "(prefix)").
  }
  const existing = store(ctx, resource, ns);
  if (md.name && existing?.[String(md.name)]) throw alreadyExists(resource, String(md.name));

  if (resource === 'pods') {
    defaultPod(obj);
    const sa = admitServiceAccount(ctx, ns as string, obj);
    if (webhookSelects(ctx, ns as string, obj)) {
      mutatePod(ctx, ns as string, obj, sa);
      defaultPod(obj);
      // Built-in mutating admission is re-run after a webhook changed the object.
      const spec = obj.spec as Obj;
      if ((spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true) !== false) mountApiAccess(spec);
    }
  }
  if (!md.name && typeof md.generateName === 'string' && md.generateName) {
    md.name = `${md.generateName}${randomSuffix()}`;
  }
  const name = String(md.name ?? '');
  assertValid(KINDS[resource], name, validateMeta(obj, resource === 'namespaces' ? 'label' : 'subdomain'));
  if (resource === 'pods') assertValid('Pod', name, validatePodSpec(obj.spec as Obj));
  if (store(ctx, resource, ns)?.[name]) throw alreadyExists(resource, name);

  if (resource === 'namespaces') {
    if (isDryRun(req)) return obj;
    const created = addNamespace(ctx.kube, name, now, obj);
    finishCreate(created, manager, applyManager, now);
    ctx.persist();
    return created;
  }
  stampNewObject(ctx.kube, obj, now);
  if (resource === 'pods') {
    md.generation = 1;
    runPod(ctx, obj, now);
  }
  finishCreate(obj, manager, applyManager, now);
  if (resource === 'pods') {
    recordUpdate(undefined, obj, 'kubelet', kubeTime(now), 'status');
  }
  if (isDryRun(req)) return obj;
  (ctx.kube[resource][ns as string] ??= {})[name] = obj;
  ctx.persist();
  return obj;
}

function finishCreate(obj: KubeObject, manager: string, applyManager: string | undefined, now: Date): void {
  if (applyManager !== undefined) return; // the caller records the Apply entry
  recordUpdate(undefined, obj, manager, kubeTime(now));
}

/**
 * PUT semantics: optimistic concurrency on `metadata.resourceVersion` (when given), server-owned
 * fields preserved, pod spec immutability, no new resourceVersion when nothing changed.
 */
function update(ctx: KubeClusterContext, req: SandboxRequest, resource: Resource, ns: string | undefined, name: string, body: unknown, now: Date, manager: string, applied = false): KubeObject {
  const current = getObject(ctx, resource, ns, name);
  const obj = deepClone(checkTypeMeta(resource, body));
  const md = (obj.metadata ??= {}) as Obj;
  const curMd = current.metadata as Obj;
  if (md.name !== undefined && md.name !== name) {
    throw badRequest(`the name of the object (${String(md.name)}) does not match the name on the URL (${name})`);
  }
  if (ns !== undefined && md.namespace !== undefined && md.namespace !== ns) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (md.resourceVersion !== undefined && md.resourceVersion !== '' && md.resourceVersion !== curMd.resourceVersion) {
    throw conflict(resource, name);
  }
  omitEmpty(obj);
  obj.apiVersion = 'v1';
  obj.kind = KINDS[resource];
  md.name = name;
  if (ns !== undefined) md.namespace = ns;
  md.uid = curMd.uid;
  md.creationTimestamp = curMd.creationTimestamp;
  md.resourceVersion = curMd.resourceVersion;
  if (curMd.generation !== undefined) md.generation = curMd.generation;
  if (!applied) md.managedFields = curMd.managedFields;
  if (resource === 'pods' || resource === 'namespaces') obj.status = deepClone(current.status);
  if (resource === 'namespaces') obj.spec = deepClone(current.spec);
  if (resource === 'pods') {
    // Defaulting applies to updates too; then only the mutable fields may differ.
    defaultPod(obj);
    assertValid('Pod', name, validatePodUpdate(current, obj));
  }
  if (resource === 'namespaces') {
    md.labels = { ...((md.labels ?? {}) as Obj), 'kubernetes.io/metadata.name': name };
  }
  assertValid(KINDS[resource], name, validateMeta(obj, resource === 'namespaces' ? 'label' : 'subdomain'));
  if (!applied) recordUpdate(current, obj, manager, kubeTime(now));
  if (deepEqual(stripVolatile(obj), stripVolatile(current))) {
    return withKind(resource, current);
  }
  if (resource === 'pods' && !deepEqual(obj.spec, current.spec)) md.generation = Number(md.generation ?? 1) + 1;
  md.resourceVersion = nextResourceVersion(ctx.kube);
  if (isDryRun(req)) return obj;
  (store(ctx, resource, ns) as Record<string, KubeObject>)[name] = obj;
  ctx.persist();
  return obj;
}

/** A write that changes nothing but managedFields timestamps is a no-op, as in the API server. */
function stripVolatile(o: KubeObject): unknown {
  const c = deepClone(o) as Obj;
  const md = (c.metadata ?? {}) as Obj;
  delete md.resourceVersion;
  if (Array.isArray(md.managedFields)) md.managedFields = (md.managedFields as Obj[]).map((e) => ({ ...e, time: undefined }));
  return c;
}

function patch(ctx: KubeClusterContext, req: SandboxRequest, resource: Resource, ns: string | undefined, name: string, now: Date): SandboxResponse {
  const type = (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/apply-patch+yaml' || type === 'application/apply-patch+cbor') {
    const manager = req.query.get('fieldManager');
    if (!manager) {
      throw new KubeStatusError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
      });
    }
    const force = req.query.get('force') === 'true';
    const applied = checkTypeMeta(resource, readBody({ ...req, headers: { ...req.headers, 'content-type': 'application/yaml' } }, KINDS[resource]));
    const amd = (applied.metadata ?? {}) as Obj;
    if (amd.name !== undefined && amd.name !== name) {
      throw badRequest(`the name of the object (${String(amd.name)}) does not match the name on the URL (${name})`);
    }
    const warnings = checkFields(KINDS[resource], applied, req.query.get('fieldValidation'));
    const existing = store(ctx, resource, ns)?.[name];
    if (!existing) {
      const body = deepClone(applied);
      ((body.metadata ??= {}) as Obj).name = name;
      const created = create(ctx, req, resource, ns, body, now, manager, manager);
      const fresh = serverSideApply(stripManaged(created), applied, manager, true, kubeTime(now));
      Object.assign(created.metadata as Obj, { managedFields: (fresh.metadata as Obj).managedFields });
      if (resource === 'pods') recordUpdate(undefined, created, 'kubelet', kubeTime(now), 'status');
      ctx.persist();
      return json(201, created, warningHeader(warnings));
    }
    const merged = serverSideApply(deepClone(existing), applied, manager, force, kubeTime(now));
    return json(200, update(ctx, req, resource, ns, name, merged, now, manager, true), warningHeader(warnings));
  }
  const current = withKind(resource, getObject(ctx, resource, ns, name));
  const body = readBody({ ...req, headers: { ...req.headers, 'content-type': 'application/json' } }, KINDS[resource]);
  let patched: unknown;
  switch (type) {
    case 'application/merge-patch+json':
      patched = mergePatch(current, body);
      break;
    case 'application/strategic-merge-patch+json':
      patched = strategicMergePatch(current, body);
      break;
    case 'application/json-patch+json':
      patched = jsonPatch(current, body);
      break;
    default:
      throw unsupportedMediaType(type);
  }
  const warnings = checkFields(KINDS[resource], patched, req.query.get('fieldValidation'));
  return json(200, update(ctx, req, resource, ns, name, patched, now, fieldManager(req)), warningHeader(warnings));
}

function stripManaged(o: KubeObject): KubeObject {
  const c = deepClone(o);
  delete (c.metadata as Obj).managedFields;
  return c;
}

function remove(ctx: KubeClusterContext, req: SandboxRequest, resource: Resource, ns: string | undefined, name: string, now: Date): KubeObject {
  const current = getObject(ctx, resource, ns, name);
  const md = current.metadata as Obj;
  const opts = req.body.length ? (readBody(req, 'DeleteOptions') as Obj) : {};
  const pre = (isPlainObject(opts.preconditions) ? opts.preconditions : {}) as Obj;
  if (pre.uid !== undefined && pre.uid !== md.uid) {
    throw conflict(resource, name, `Precondition failed: UID in precondition: ${String(pre.uid)}, UID in object meta: ${String(md.uid)}`);
  }
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== md.resourceVersion) {
    throw conflict(resource, name, `the ResourceVersion in the precondition (${String(pre.resourceVersion)}) does not match the ResourceVersion in record (${String(md.resourceVersion)}). The object might have been modified`);
  }
  if (resource === 'namespaces' && IMMORTAL_NAMESPACES.has(name)) {
    throw forbidden('namespaces', name, 'this namespace may not be deleted');
  }
  const gone = withKind(resource, deepClone(current));
  if (isDryRun(req)) return gone;
  // The sandbox has no kubelet or namespace controller to wait for: deletion is immediate,
  // as with `--grace-period=0 --force`; the returned object carries the deletion stamp.
  (gone.metadata as Obj).deletionTimestamp = kubeTime(now);
  (gone.metadata as Obj).deletionGracePeriodSeconds = 0;
  if (resource === 'namespaces') {
    delete ctx.kube.namespaces[name];
    delete ctx.kube.pods[name];
    delete ctx.kube.serviceaccounts[name];
    (gone.status as Obj).phase = 'Terminating';
  } else {
    delete ctx.kube[resource][ns as string]?.[name];
  }
  nextResourceVersion(ctx.kube);
  ctx.persist();
  return gone;
}
