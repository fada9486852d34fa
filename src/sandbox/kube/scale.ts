import { json, type SandboxRequest, type SandboxResponse } from '../http';
import type { KubeClusterContext } from './clusterContext';
import { selectorString, type LabelSelector } from './deploymentSpec';
import type { KubeObject } from './kubeState';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch';
import { fieldManager, header, readBody } from './request';
import { getObject } from './resources';
import { deepClone } from './schema';
import { badRequest, conflict, invalid, invalidValue, methodNotSupported, unsupportedMediaType } from './status';
import { update } from './writes';
import { isRecord } from '../../core/is';

type Obj = Record<string, unknown>;

/**
 * The `deployments/{name}/scale` subresource (autoscaling/v1 Scale; kubernetes
 * pkg/registry/apps/deployment/storage ScaleREST), which `kubectl scale` patches with
 * `{"spec":{"replicas":N}}`. Writing it changes only the Deployment's `spec.replicas`.
 */
export function scaleOf(dep: KubeObject): Obj {
  const md = dep.metadata as Obj;
  const spec = (dep.spec ?? {}) as Obj;
  const replicas = Number(spec.replicas ?? 0);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: md.name,
      namespace: md.namespace,
      uid: md.uid,
      resourceVersion: md.resourceVersion,
      creationTimestamp: md.creationTimestamp,
    },
    // ScaleSpec.replicas is omitempty; ScaleStatus.replicas is not.
    spec: replicas ? { replicas } : {},
    status: {
      replicas: Number(((dep.status ?? {}) as Obj).replicas ?? 0),
      selector: selectorString((spec.selector ?? {}) as LabelSelector),
    },
  };
}

export function handleScale(
  ctx: KubeClusterContext,
  req: SandboxRequest,
  ns: string,
  name: string,
  method: string,
  now: Date,
): SandboxResponse {
  const current = getObject(ctx, 'deployments', ns, name);
  if (method === 'GET') return json(200, scaleOf(current));
  let wanted: unknown;
  if (method === 'PUT') {
    wanted = readBody(req, 'Scale');
  } else if (method === 'PATCH') {
    const type = (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const body = readBody({ ...req, headers: { ...req.headers, 'content-type': 'application/json' } }, 'Scale');
    const base = scaleOf(current);
    if (type === 'application/merge-patch+json') wanted = mergePatch(base, body);
    else if (type === 'application/strategic-merge-patch+json') wanted = strategicMergePatch(base, body);
    else if (type === 'application/json-patch+json') wanted = jsonPatch(base, body);
    else throw unsupportedMediaType(type);
  } else {
    throw methodNotSupported('deployments/scale', method.toLowerCase());
  }
  if (!isRecord(wanted)) {
    throw badRequest(
      'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal into Go value of type v1.Scale',
    );
  }
  const md = (wanted.metadata ?? {}) as Obj;
  const rv = md.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== (current.metadata as Obj).resourceVersion) {
    throw conflict('deployments.apps', name);
  }
  const replicas = Number(((wanted.spec ?? {}) as Obj).replicas ?? 0);
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw invalid(
      'Scale',
      name,
      [invalidValue('spec.replicas', replicas, 'must be greater than or equal to 0')],
      'autoscaling',
    );
  }
  const next = deepClone(current);
  (next.spec as Obj).replicas = replicas;
  return json(200, scaleOf(update(ctx, req, 'deployments', ns, name, next, now, fieldManager(req))));
}
