import { json, type SandboxRequest, type SandboxResponse } from '../http';
import type { KubeClusterContext } from './clusterContext';
import { checkFields, warningHeader } from './knownFields';
import { addNamespace, kubeTime, nextResourceVersion, stampNewObject, type KubeObject } from './kubeState';
import { recordUpdate, serverSideApply } from './managedFields';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch';
import { defaultDeployment, validateDeploymentSpec, validateDeploymentUpdate } from './deploymentSpec';
import { admitServiceAccount, defaultPod, mountApiAccess, randomSuffix, runPod } from './podLifecycle';
import { fieldManager, header, isDryRun, readBody } from './request';
import {
  API_VERSIONS,
  getObject,
  GROUP_RESOURCES,
  groupOf,
  isWorkload,
  KINDS,
  store,
  withKind,
  type Obj,
  type Resource,
} from './resources';
import { deepClone, deepEqual } from './schema';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  KubeStatusError,
  notFound,
  unsupportedMediaType,
} from './status';
import { assertValid, checkDecodable, validateMeta, validatePodSpec, validatePodUpdate } from './validation';
import { mutatePod } from './webhook';
import { configurationSelects } from './webhookConfiguration';
import { defaultWorkload, generateJobSelector, validateWorkloadSpec, validateWorkloadUpdate } from './workloadSpec';
import { isRecord } from '../../core/is';

// Writes: create (defaulting, admission, the webhook), update, the four patch types, delete.

/** Namespaces the API server refuses to delete (NamespaceLifecycle admission). */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** Checks apiVersion/kind of a request body like the API server's decoder does. */
export function checkTypeMeta(resource: Resource, body: unknown): Obj {
  if (!isRecord(body)) {
    throw badRequest(
      `${KINDS[resource]} in version "v1" cannot be handled as a ${KINDS[resource]}: json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  if (body.apiVersion !== undefined && body.apiVersion !== API_VERSIONS[resource]) {
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${API_VERSIONS[resource]})`,
    );
  }
  if (body.kind !== undefined && body.kind !== KINDS[resource]) {
    throw badRequest(
      `the kind in the data (${String(body.kind)}) does not match the expected kind (${KINDS[resource]})`,
    );
  }
  checkDecodable(KINDS[resource], body);
  return body;
}

/** Go's `omitempty`: empty or null maps and nil fields vanish when the API server re-encodes. */
function omitEmpty(obj: Obj): void {
  const md = (obj.metadata ?? {}) as Obj;
  for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences']) {
    const v = md[k];
    if (v === null || (isRecord(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0)) {
      delete md[k];
    }
  }
  const spec = obj.spec as Obj | undefined;
  if (spec) {
    for (const [k, v] of Object.entries(spec)) {
      if (v === null || (k === 'nodeSelector' && isRecord(v) && Object.keys(v).length === 0)) delete spec[k];
    }
  }
}

/** Drops fields clients may not set on create and normalises empty maps. */
function scrubForCreate(resource: Resource, obj: Obj): void {
  const md = (obj.metadata ??= {}) as Obj;
  for (const k of [
    'uid',
    'resourceVersion',
    'creationTimestamp',
    'generation',
    'managedFields',
    'selfLink',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
  ]) {
    delete md[k];
  }
  // Status is the controllers' (the status subresource): ignored on create.
  if (resource === 'pods' || isWorkload(resource)) delete obj.status;
  omitEmpty(obj);
  obj.apiVersion = API_VERSIONS[resource];
  obj.kind = KINDS[resource];
}

export function create(
  ctx: KubeClusterContext,
  req: SandboxRequest,
  resource: Resource,
  ns: string | undefined,
  body: unknown,
  now: Date,
  manager: string,
  applyManager?: string,
): KubeObject {
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
  const existing = store(ctx, resource, ns);
  if (md.name && existing?.[String(md.name)]) throw alreadyExists(GROUP_RESOURCES[resource], String(md.name));
  let requested: KubeObject | undefined;

  if (resource === 'pods') {
    defaultPod(obj);
    // The request as defaulted: what its field manager owns. Fields added by admission (the
    // ServiceAccount volume, the webhook's env and volume) and by the scheduler belong to nobody.
    requested = deepClone(obj);
    const sa = admitServiceAccount(ctx, ns as string, obj);
    // The MutatingWebhookConfiguration's selectors decide (webhookConfiguration.ts).
    if (configurationSelects(ctx, ns as string, (md.labels ?? {}) as Record<string, string>)) {
      mutatePod(ctx, ns as string, obj, sa);
      defaultPod(obj);
      // Built-in mutating admission is re-run after a webhook changed the object.
      const spec = obj.spec as Obj;
      if ((spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true) !== false) {
        mountApiAccess(spec);
      }
    }
  }
  // The name is generated after mutating admission: webhooks see a generateName pod without
  // a name (hence the workload identity webhook's "<prefix> (prefix)").
  if (!md.name && typeof md.generateName === 'string' && md.generateName) {
    md.name = `${md.generateName}${randomSuffix()}`;
  }
  const name = String(md.name ?? '');
  if (resource === 'deployments') {
    defaultDeployment(obj);
    // ValidateDeployment: ObjectMeta and spec errors in one list.
    assertValid('Deployment', name, [...validateMeta(obj, 'subdomain'), ...validateDeploymentSpec(obj)], 'apps');
  } else if (isWorkload(resource)) {
    defaultWorkload(resource, obj);
    assertValid(
      KINDS[resource],
      name,
      [...validateMeta(obj, 'subdomain'), ...validateWorkloadSpec(resource, obj)],
      groupOf(resource),
    );
  }
  assertValid(
    KINDS[resource],
    name,
    validateMeta(obj, resource === 'namespaces' ? 'label' : 'subdomain'),
    groupOf(resource) || undefined,
  );
  if (resource === 'pods') assertValid('Pod', name, validatePodSpec(obj.spec as Obj));
  if (store(ctx, resource, ns)?.[name]) throw alreadyExists(GROUP_RESOURCES[resource], name);

  if (resource === 'namespaces') {
    if (isDryRun(req)) return obj;
    const created = addNamespace(ctx.kube, name, now, obj);
    finishCreate(created, manager, applyManager, now);
    ctx.persist();
    return created;
  }
  stampNewObject(ctx.kube, obj, now);
  if (resource === 'pods' || isWorkload(resource)) md.generation = 1;
  if (resource === 'jobs') generateJobSelector(obj);
  if (resource === 'pods') runPod(ctx, obj, now);
  finishCreate(obj, manager, applyManager, now, requested);
  if (resource === 'pods') {
    recordUpdate(undefined, obj, 'kubelet', kubeTime(now), 'status');
  }
  if (isDryRun(req)) return obj;
  (ctx.kube[resource][ns as string] ??= {})[name] = obj;
  ctx.persist();
  return obj;
}

function finishCreate(
  obj: KubeObject,
  manager: string,
  applyManager: string | undefined,
  now: Date,
  requested?: KubeObject,
): void {
  if (applyManager !== undefined) return; // the caller records the Apply entry
  const owned = requested ? deepClone(requested) : obj;
  recordUpdate(undefined, owned, manager, kubeTime(now));
  const entries = (owned.metadata as Obj).managedFields;
  if (entries) (obj.metadata as Obj).managedFields = entries;
  else delete (obj.metadata as Obj).managedFields;
}

/**
 * PUT semantics: optimistic concurrency on `metadata.resourceVersion` (when given), server-owned
 * fields preserved, pod spec immutability, no new resourceVersion when nothing changed.
 */
export function update(
  ctx: KubeClusterContext,
  req: SandboxRequest,
  resource: Resource,
  ns: string | undefined,
  name: string,
  body: unknown,
  now: Date,
  manager: string,
  applied = false,
): KubeObject {
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
    throw conflict(GROUP_RESOURCES[resource], name);
  }
  omitEmpty(obj);
  obj.apiVersion = API_VERSIONS[resource];
  obj.kind = KINDS[resource];
  md.name = name;
  if (ns !== undefined) md.namespace = ns;
  md.uid = curMd.uid;
  md.creationTimestamp = curMd.creationTimestamp;
  md.resourceVersion = curMd.resourceVersion;
  if (curMd.generation !== undefined) md.generation = curMd.generation;
  if (!applied) md.managedFields = curMd.managedFields;
  if (resource === 'pods' || resource === 'namespaces' || isWorkload(resource)) obj.status = deepClone(current.status);
  if (resource === 'namespaces') obj.spec = deepClone(current.spec);
  if (resource === 'pods') {
    // Defaulting applies to updates too; then only the mutable fields may differ.
    defaultPod(obj);
    assertValid('Pod', name, validatePodUpdate(current, obj));
  }
  if (resource === 'deployments') {
    defaultDeployment(obj);
    assertValid(
      'Deployment',
      name,
      [...validateMeta(obj, 'subdomain'), ...validateDeploymentSpec(obj), ...validateDeploymentUpdate(current, obj)],
      'apps',
    );
  } else if (isWorkload(resource)) {
    defaultWorkload(resource, obj);
    assertValid(
      KINDS[resource],
      name,
      [
        ...validateMeta(obj, 'subdomain'),
        ...validateWorkloadSpec(resource, obj),
        ...validateWorkloadUpdate(resource, current, obj),
      ],
      groupOf(resource),
    );
  }
  if (resource === 'namespaces') {
    md.labels = { ...((md.labels ?? {}) as Obj), 'kubernetes.io/metadata.name': name };
  }
  assertValid(
    KINDS[resource],
    name,
    validateMeta(obj, resource === 'namespaces' ? 'label' : 'subdomain'),
    groupOf(resource) || undefined,
  );
  if (!applied) recordUpdate(current, obj, manager, kubeTime(now));
  if (deepEqual(stripVolatile(obj), stripVolatile(current))) {
    return withKind(resource, current);
  }
  // metadata.generation counts spec changes (pods since 1.31, Deployments always).
  if ((resource === 'pods' || isWorkload(resource)) && !deepEqual(obj.spec, current.spec)) {
    md.generation = Number(md.generation ?? 1) + 1;
  }
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
  if (Array.isArray(md.managedFields)) {
    md.managedFields = (md.managedFields as Obj[]).map((e) => ({ ...e, time: undefined }));
  }
  return c;
}

export function patch(
  ctx: KubeClusterContext,
  req: SandboxRequest,
  resource: Resource,
  ns: string | undefined,
  name: string,
  now: Date,
): SandboxResponse {
  const type = (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/apply-patch+yaml' || type === 'application/apply-patch+cbor') {
    const manager = req.query.get('fieldManager');
    if (!manager) {
      throw new KubeStatusError(
        422,
        'Invalid',
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        {
          group: 'meta.k8s.io',
          kind: 'PatchOptions',
          causes: [
            {
              reason: 'FieldValueRequired',
              message: 'Required value: is required for apply patch',
              field: 'fieldManager',
            },
          ],
        },
      );
    }
    const force = req.query.get('force') === 'true';
    const applied = checkTypeMeta(
      resource,
      readBody({ ...req, headers: { ...req.headers, 'content-type': 'application/yaml' } }, KINDS[resource]),
    );
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
      const entries = (fresh.metadata as Obj).managedFields;
      if (entries) (created.metadata as Obj).managedFields = entries;
      else delete (created.metadata as Obj).managedFields;
      if (resource === 'pods') recordUpdate(undefined, created, 'kubelet', kubeTime(now), 'status');
      if (!isDryRun(req)) ctx.persist();
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

export function remove(
  ctx: KubeClusterContext,
  req: SandboxRequest,
  resource: Resource,
  ns: string | undefined,
  name: string,
  now: Date,
): KubeObject {
  const current = getObject(ctx, resource, ns, name);
  const md = current.metadata as Obj;
  const opts = req.body.length ? (readBody(req, 'DeleteOptions') as Obj) : {};
  const pre = (isRecord(opts.preconditions) ? opts.preconditions : {}) as Obj;
  if (pre.uid !== undefined && pre.uid !== md.uid) {
    throw conflict(
      GROUP_RESOURCES[resource],
      name,
      `Precondition failed: UID in precondition: ${String(pre.uid)}, UID in object meta: ${String(md.uid)}`,
    );
  }
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== md.resourceVersion) {
    throw conflict(
      GROUP_RESOURCES[resource],
      name,
      `the ResourceVersion in the precondition (${String(pre.resourceVersion)}) does not match the ResourceVersion in record (${String(md.resourceVersion)}). The object might have been modified`,
    );
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
    for (const kind of ['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs'] as const) {
      delete ctx.kube[kind][name];
    }
    delete ctx.kube.events?.[name];
    (gone.status as Obj).phase = 'Terminating';
  } else {
    delete ctx.kube[resource][ns as string]?.[name];
  }
  nextResourceVersion(ctx.kube);
  ctx.persist();
  return gone;
}
