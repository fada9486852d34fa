/**
 * The little of the core/v1 OpenAPI schema that merging needs: which lists merge by a key
 * (`x-kubernetes-patch-merge-key` / `x-kubernetes-list-map-keys` in k8s.io/api core/v1
 * types.go), which lists are sets of scalars, and which objects are free-form maps rather than
 * structs. Keyed by field name: in Pod, ServiceAccount and Namespace a field name has one meaning.
 */
import { isRecord } from '../../core/is';

const MERGE_KEYS: Readonly<Record<string, readonly string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  ports: ['containerPort', 'protocol'],
  imagePullSecrets: ['name'],
  secrets: ['name'],
  ownerReferences: ['uid'],
  hostAliases: ['ip'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
  resourceClaims: ['name'],
  conditions: ['type'],
  schedulingGates: ['name'],
};

/** Lists of scalars merged as sets (`patchStrategy: merge` without a key). */
const SET_LISTS: ReadonlySet<string> = new Set(['finalizers']);

/** Fields that are `map[string]…` rather than structs (ownership of `.` is tracked on them). */
const MAP_FIELDS: ReadonlySet<string> = new Set([
  'labels',
  'annotations',
  'nodeSelector',
  'limits',
  'requests',
  'overhead',
  'data',
]);

/**
 * The strategic-merge-patch key is the first of the list-map keys (for `ports`, SMP uses
 * `containerPort` alone while server-side apply uses both keys).
 */
export function patchMergeKey(field: string): string | undefined {
  return MERGE_KEYS[field]?.[0];
}

export function listMapKeys(field: string): readonly string[] | undefined {
  return MERGE_KEYS[field];
}

export function isSetList(field: string): boolean {
  return SET_LISTS.has(field);
}

export function isMapField(field: string): boolean {
  return MAP_FIELDS.has(field);
}

export function deepClone<T>(v: T): T {
  return structuredClone(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}
