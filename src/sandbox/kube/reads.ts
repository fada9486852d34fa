import { json, type SandboxRequest, type SandboxResponse } from '../http';
import type { KubeClusterContext } from './clusterContext';
import type { KubeObject } from './kubeState';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './labelSelector';
import { recordedEvents } from './events';
import { podEvents } from './podLifecycle';
import { header } from './request';
import { API_VERSIONS, FIELD_SELECTABLE, KINDS, type Obj, type Resource } from './resources';

import { badRequest } from './status';
import { toTable, wantsTable } from './tables';
import { watchResponse } from './watch';
import { isRecord } from '../../core/is';

// Reads: list (with selectors, chunking and tables), watch (watch.ts), events.

export function select(
  ctx: KubeClusterContext,
  req: SandboxRequest,
  resource: Resource,
  ns: string | undefined,
): KubeObject[] {
  const labels = parseLabelSelector(req.query.get('labelSelector'));
  const fields = parseFieldSelector(req.query.get('fieldSelector'), FIELD_SELECTABLE[resource]);
  let all: KubeObject[];
  if (resource === 'namespaces') {
    all = Object.values(ctx.kube.namespaces);
  } else if (ns !== undefined) {
    all = Object.values(ctx.kube[resource][ns] ?? {});
  } else {
    all = Object.keys(ctx.kube[resource])
      .sort()
      .flatMap((n) => Object.values(ctx.kube[resource][n] ?? {}));
  }
  return all
    .filter((o) => matchesLabels(labels, (o.metadata as Obj).labels as Record<string, string> | undefined))
    .filter((o) => matchesFields(fields, selectableFields(o)))
    .sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
}

/** etcd key order: namespace, then name, by code point. */
type Key = [string, string];
function keyOf(o: KubeObject): Key {
  const md = o.metadata as Obj;
  return [String(md.namespace ?? ''), String(md.name)];
}
function compareKeys(a: Key, b: Key): number {
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return cmp(a[0], b[0]) || cmp(a[1], b[1]);
}

/** Flattens the selectable fields of an object (`spec.nodeName` → value). */
export function selectableFields(o: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  const md = o.metadata as Obj;
  out['metadata.name'] = String(md.name ?? '');
  out['metadata.namespace'] = String(md.namespace ?? '');
  for (const top of ['spec', 'status', 'involvedObject'] as const) {
    const v = o[top];
    if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (typeof x !== 'object') out[`${top}.${k}`] = String(x);
  }
  for (const k of ['reason', 'type', 'reportingComponent']) if (typeof o[k] === 'string') out[k] = o[k] as string;
  if (isRecord(o.source)) out.source = String(o.source.component ?? '');
  return out;
}

export function list(
  ctx: KubeClusterContext,
  req: SandboxRequest,
  resource: Resource,
  ns: string | undefined,
  now: Date,
): SandboxResponse | Promise<SandboxResponse> {
  if (isWatch(req)) {
    return watchResponse(req, {
      resource,
      kind: KINDS[resource],
      apiVersion: API_VERSIONS[resource],
      select: () => select(ctx, req, resource, ns),
      resourceVersion: () => ctx.kube.resourceVersion,
    });
  }
  let items = select(ctx, req, resource, ns);
  const rv = String(ctx.kube.resourceVersion);
  const metadata: Obj = { resourceVersion: rv };
  // Chunking (`limit` + `continue`), as kubectl get does with limit=500.
  const limit = Number(req.query.get('limit') ?? 0);
  const cont = req.query.get('continue');
  if (cont) {
    let after: Key;
    try {
      after = JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')) as Key;
    } catch {
      throw badRequest('continue key is not valid: illegal base64 data');
    }
    items = items.filter((o) => compareKeys(keyOf(o), after) > 0);
  }
  if (limit > 0 && items.length > limit) {
    const last = items[limit - 1] as KubeObject;
    metadata.continue = Buffer.from(JSON.stringify(keyOf(last))).toString('base64url');
    metadata.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
  }
  if (wantsTable(header(req, 'accept'))) {
    const table = toTable(resource, items, rv, req.query.get('includeObject'), now);
    if (metadata.continue) (table.metadata as Obj).continue = metadata.continue;
    return json(200, table);
  }
  return json(200, {
    kind: `${KINDS[resource]}List`,
    apiVersion: API_VERSIONS[resource],
    metadata,
    items: items.map(withoutKind),
  });
}

/** Items of a typed list carry no apiVersion/kind on the wire (kubectl adds them when printing). */
export function withoutKind(o: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

/** `watch=true` (or `1`), as the API server's query decoder reads the bool. */
export function isWatch(req: SandboxRequest): boolean {
  return ['true', '1'].includes(req.query.get('watch') ?? '');
}

export function listEvents(ctx: KubeClusterContext, req: SandboxRequest, ns: string | undefined): SandboxResponse {
  const fields = parseFieldSelector(req.query.get('fieldSelector'), FIELD_SELECTABLE.events);
  const selectEvents = (): KubeObject[] => {
    const namespaces = ns !== undefined ? [ns] : Object.keys(ctx.kube.pods).sort();
    return namespaces
      .flatMap((n) => Object.values(ctx.kube.pods[n] ?? {}))
      .flatMap((p) => podEvents(ctx, p))
      .concat(namespaces.flatMap((n) => recordedEvents(ctx, n)))
      .filter((e) => matchesFields(fields, selectableFields(e)));
  };
  if (isWatch(req)) {
    return watchResponse(req, {
      resource: 'events',
      kind: 'Event',
      apiVersion: 'v1',
      select: selectEvents,
      resourceVersion: () => ctx.kube.resourceVersion,
    });
  }
  const items = selectEvents();
  return json(200, {
    kind: 'EventList',
    apiVersion: 'v1',
    metadata: { resourceVersion: String(ctx.kube.resourceVersion) },
    items: items.map(withoutKind),
  });
}
