/**
 * Kubernetes objects seen through the YAML tree: kind, namespace, and where the pod template is.
 * Pod templates: Pod (the object itself), Deployment/StatefulSet/DaemonSet/ReplicaSet/Job
 * (spec.template), CronJob (spec.jobTemplate.spec.template); `kind: List` items are objects too.
 */
import type { DocumentSlice } from './yamlDocuments';
import { getNode, getPair, getString, isMap, isScalar, isSeq } from './yamlModel';
import type { YMap, YPair, YScalar } from './yamlModel';

export const TEMPLATE_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'ReplicationController',
]);

export interface K8sObject {
  /** Offset of the YAML document in the file; node offsets are relative to it. */
  readonly base: number;
  readonly node: YMap;
  readonly kind: string;
  readonly kindNode: YScalar;
  readonly apiVersion: string;
  readonly name: string | undefined;
  readonly namespace: string;
  readonly metadata: YMap | undefined;
  readonly podTemplate: PodTemplate | undefined;
}

export interface PodTemplate {
  readonly owner: K8sObject;
  /** The map holding `metadata` and `spec`: the object for a Pod, the `template` map otherwise. */
  readonly map: YMap;
  /** The `template:` pair, undefined for a Pod. */
  readonly templatePair: YPair | undefined;
  readonly isPod: boolean;
  readonly metadata: YMap | undefined;
  readonly spec: YMap | undefined;
}

function toObject(base: number, node: YMap): K8sObject | undefined {
  const kindPair = getPair(node, 'kind');
  const kindNode = kindPair?.value;
  const apiVersion = getString(node, 'apiVersion');
  if (!isScalar(kindNode) || typeof kindNode.value !== 'string' || apiVersion === undefined) return undefined;
  const metadataNode = getNode(node, 'metadata');
  const metadata = isMap(metadataNode) ? metadataNode : undefined;
  const namespace = getString(metadata, 'namespace') || 'default';
  const obj: { -readonly [K in keyof K8sObject]: K8sObject[K] } = {
    base,
    node,
    kind: kindNode.value,
    kindNode,
    apiVersion,
    name: getString(metadata, 'name'),
    namespace,
    metadata,
    podTemplate: undefined,
  };
  obj.podTemplate = findPodTemplate(obj);
  return obj;
}

function findPodTemplate(obj: K8sObject): PodTemplate | undefined {
  let map: YMap | undefined;
  let templatePair: YPair | undefined;
  if (obj.kind === 'Pod') {
    map = obj.node;
  } else {
    const spec = obj.kind === 'CronJob' ? getNode(obj.node, 'spec', 'jobTemplate', 'spec') : getNode(obj.node, 'spec');
    if (obj.kind !== 'CronJob' && !TEMPLATE_KINDS.has(obj.kind)) return undefined;
    templatePair = getPair(spec, 'template');
    if (!templatePair || !isMap(templatePair.value)) return undefined;
    map = templatePair.value;
  }
  const metadata = getNode(map, 'metadata');
  const spec = getNode(map, 'spec');
  return {
    owner: obj,
    map,
    templatePair,
    isPod: obj.kind === 'Pod',
    metadata: isMap(metadata) ? metadata : undefined,
    spec: isMap(spec) ? spec : undefined,
  };
}

/** All Kubernetes objects of a file's parsed documents (non-Kubernetes YAML yields none). */
export function objectsOf(slices: readonly DocumentSlice[]): K8sObject[] {
  const out: K8sObject[] = [];
  for (const slice of slices) {
    const parsed = slice.parsed;
    if (!parsed || !parsed.ok || !isMap(parsed.root)) continue;
    const root = parsed.root;
    const items = getNode(root, 'items');
    const kind = getString(root, 'kind');
    if (kind !== undefined && kind.endsWith('List') && isSeq(items)) {
      for (const item of items.items) {
        if (!isMap(item)) continue;
        const obj = toObject(slice.base, item);
        if (obj) out.push(obj);
      }
      continue;
    }
    const obj = toObject(slice.base, root);
    if (obj) out.push(obj);
  }
  return out;
}

/** Container names of a pod spec (containers and initContainers). */
export function containerNames(spec: YMap | undefined): string[] {
  const names: string[] = [];
  for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
    const list = getNode(spec, field);
    if (!isSeq(list)) continue;
    for (const c of list.items) {
      const name = getString(c, 'name');
      if (name !== undefined) names.push(name);
    }
  }
  return names;
}
