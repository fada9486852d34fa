import { KubeStatusError } from './status';
import { deepClone, deepEqual, isMapField, isSetList, listMapKeys } from './schema';
import { isRecord } from '../../core/is';

/**
 * Field ownership for server-side apply, after sigs.k8s.io/structured-merge-diff: a field set is
 * a set of paths; a path element is `f:<field>`, `k:<json of the list-map keys>` or
 * `v:<json value>` (set lists); `metadata.managedFields[].fieldsV1` is the trie of those paths,
 * with `.` marking a node that is itself a member (list items, maps set by the manager).
 */
export type PathElement = string;
export type FieldPath = readonly PathElement[];

export class FieldSet {
  private readonly members = new Map<string, FieldPath>();

  static of(paths: Iterable<FieldPath>): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.add(p);
    return s;
  }

  add(p: FieldPath): void {
    this.members.set(JSON.stringify(p), p);
  }
  has(p: FieldPath): boolean {
    return this.members.has(JSON.stringify(p));
  }
  delete(p: FieldPath): void {
    this.members.delete(JSON.stringify(p));
  }
  get size(): number {
    return this.members.size;
  }
  paths(): FieldPath[] {
    return [...this.members.values()];
  }
  /** Members that have no member below them: the values a manager actually set. */
  leaves(): FieldPath[] {
    const all = this.paths();
    return all.filter((p) => !all.some((q) => q.length > p.length && p.every((e, i) => q[i] === e)));
  }
  minus(other: FieldSet): FieldSet {
    return FieldSet.of(this.paths().filter((p) => !other.has(p)));
  }
  union(other: FieldSet): FieldSet {
    return FieldSet.of([...this.paths(), ...other.paths()]);
  }
}

/** Fields the API server owns or derives: never part of anyone's managed set. */
const IGNORED_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generateName',
]);

/** The set of fields an object (or an applied configuration) sets. */
export function fieldsOf(
  obj: Record<string, unknown>,
  opts: { includeStatus?: boolean; apply?: boolean } = {},
): FieldSet {
  const set = new FieldSet();
  // An applied configuration owns leaves and list items only; an update also owns the maps it creates.
  const walk = (s: FieldSet, path: PathElement[], field: string, value: unknown): void =>
    walkValue(s, path, field, value, !opts.apply);
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || (k === 'status' && !opts.includeStatus)) continue;
    if (k === 'metadata' && isRecord(v)) {
      for (const [mk, mv] of Object.entries(v)) {
        if (IGNORED_METADATA.has(mk)) continue;
        walk(set, ['f:metadata', `f:${mk}`], mk, mv);
      }
      continue;
    }
    walk(set, [`f:${k}`], k, v);
  }
  return set;
}

function walkValue(set: FieldSet, path: PathElement[], field: string, value: unknown, ownMaps: boolean): void {
  const walk = (s: FieldSet, p: PathElement[], f: string, v: unknown): void => walkValue(s, p, f, v, ownMaps);
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 || (ownMaps && isMapField(field))) set.add(path);
    for (const k of keys) walk(set, [...path, `f:${k}`], k, value[k]);
    return;
  }
  if (Array.isArray(value)) {
    const keys = listMapKeys(field);
    if (keys && value.every(isRecord)) {
      for (const item of value as Record<string, unknown>[]) {
        const itemPath = [...path, itemKey(keys, item)];
        set.add(itemPath);
        for (const k of Object.keys(item)) walk(set, [...itemPath, `f:${k}`], k, item[k]);
      }
      return;
    }
    if (isSetList(field)) {
      for (const item of value) set.add([...path, `v:${JSON.stringify(item)}`]);
      return;
    }
  }
  set.add(path);
}

/** `k:{"name":"app"}`; key fields absent from the item are left out, defaults (protocol TCP) assumed. */
function itemKey(keys: readonly string[], item: Record<string, unknown>): PathElement {
  const k: Record<string, unknown> = {};
  for (const name of keys) {
    if (item[name] !== undefined) k[name] = item[name];
    else if (name === 'protocol') k[name] = 'TCP';
  }
  return `k:${JSON.stringify(k)}`;
}

export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of set.paths()) {
    let node = root;
    for (const e of p) {
      node[e] ??= {};
      node = node[e] as Record<string, unknown>;
    }
    node['.'] = {};
  }
  // `.` only where the node also has children; a bare member is `{}`.
  const tidy = (n: Record<string, unknown>): Record<string, unknown> => {
    const keys = Object.keys(n);
    const out: Record<string, unknown> = {};
    if (keys.includes('.') && keys.length > 1) out['.'] = {};
    for (const k of keys.filter((x) => x !== '.').sort()) out[k] = tidy(n[k] as Record<string, unknown>);
    return out;
  };
  return tidy(root);
}

export function fromFieldsV1(tree: unknown): FieldSet {
  const set = new FieldSet();
  const visit = (n: unknown, path: PathElement[]): void => {
    if (!isRecord(n)) return;
    const keys = Object.keys(n);
    if (keys.length === 0 || keys.includes('.')) set.add(path);
    for (const k of keys) if (k !== '.') visit(n[k], [...path, k]);
  };
  for (const [k, v] of Object.entries(isRecord(tree) ? tree : {})) visit(v, [k]);
  return set;
}

/** structured-merge-diff's path rendering: `.spec.containers[name="app"].image`. */
export function pathToString(p: FieldPath): string {
  return p
    .map((e) => {
      if (e.startsWith('f:')) return `.${e.slice(2)}`;
      if (e.startsWith('k:')) {
        const k = JSON.parse(e.slice(2)) as Record<string, unknown>;
        return `[${Object.entries(k)
          .map(([n, v]) => `${n}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      if (e.startsWith('v:')) return `[=${e.slice(2)}]`;
      return e;
    })
    .join('');
}

interface Located {
  found: boolean;
  value?: unknown;
}

export function valueAt(obj: unknown, p: FieldPath): Located {
  let cur: unknown = obj;
  for (const e of p) {
    if (e.startsWith('f:')) {
      if (!isRecord(cur) || !(e.slice(2) in cur)) return { found: false };
      cur = cur[e.slice(2)];
    } else if (e.startsWith('k:')) {
      const key = JSON.parse(e.slice(2)) as Record<string, unknown>;
      if (!Array.isArray(cur)) return { found: false };
      cur = cur.find(
        (item) =>
          isRecord(item) &&
          Object.entries(key).every(([n, v]) => deepEqual(item[n] ?? (n === 'protocol' ? 'TCP' : undefined), v)),
      );
      if (cur === undefined) return { found: false };
    } else if (e.startsWith('v:')) {
      const v = JSON.parse(e.slice(2)) as unknown;
      if (!Array.isArray(cur) || !cur.some((x) => deepEqual(x, v))) return { found: false };
      cur = v;
    }
  }
  return { found: true, value: cur };
}

/** Removes the member at `p` from `obj` (a field, a keyed list item or a set value). */
export function removeAt(obj: Record<string, unknown>, p: FieldPath): void {
  if (p.length === 0) return;
  const parent = valueAt(obj, p.slice(0, -1));
  if (!parent.found) return;
  const last = p[p.length - 1] as string;
  if (last.startsWith('f:') && isRecord(parent.value)) {
    delete parent.value[last.slice(2)];
  } else if (Array.isArray(parent.value)) {
    const target = valueAt(obj, p).value;
    const i = parent.value.findIndex((x) => x === target || (last.startsWith('v:') && deepEqual(x, target)));
    if (i >= 0) parent.value.splice(i, 1);
  }
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export function readEntries(obj: Record<string, unknown>): ManagedFieldsEntry[] {
  const md = obj.metadata as Record<string, unknown> | undefined;
  return Array.isArray(md?.managedFields) ? (deepClone(md.managedFields) as ManagedFieldsEntry[]) : [];
}

function writeEntries(obj: Record<string, unknown>, entries: ManagedFieldsEntry[]): void {
  const md = (obj.metadata ??= {}) as Record<string, unknown>;
  const kept = entries.filter((e) => Object.keys(e.fieldsV1).length > 0);
  if (kept.length) md.managedFields = kept;
  else delete md.managedFields;
}

/**
 * Records a non-apply write (create, update, patch) by `manager`: it takes every field whose
 * value it changed, others lose those fields, and removed fields leave every set.
 */
export function recordUpdate(
  oldObj: Record<string, unknown> | undefined,
  newObj: Record<string, unknown>,
  manager: string,
  time: string,
  subresource?: string,
): void {
  const entries = readEntries(oldObj ?? newObj);
  // A status write (the kubelet's) owns status only; a main-resource write never owns status.
  const all = fieldsOf(newObj, { includeStatus: subresource === 'status' });
  const newFields = subresource === 'status' ? FieldSet.of(all.paths().filter((p) => p[0] === 'f:status')) : all;
  const changed = FieldSet.of(
    newFields.paths().filter((p) => {
      if (!oldObj) return true;
      const before = valueAt(oldObj, p);
      if (!before.found) return true;
      // A map or list item is "changed" only when it appears; its fields carry the values.
      const after = valueAt(newObj, p).value;
      return !isRecord(after) && !deepEqual(before.value, after);
    }),
  );
  for (const e of entries) {
    const owned = fromFieldsV1(e.fieldsV1);
    const kept = FieldSet.of(owned.paths().filter((p) => !changed.has(p) && valueAt(newObj, p).found));
    e.fieldsV1 = toFieldsV1(kept);
  }
  if (changed.size > 0) {
    let entry = entries.find((e) => e.manager === manager && e.operation === 'Update' && e.subresource === subresource);
    if (!entry) {
      entry = {
        manager,
        operation: 'Update',
        apiVersion: typeof newObj.apiVersion === 'string' ? newObj.apiVersion : 'v1',
        time,
        fieldsType: 'FieldsV1',
        fieldsV1: {},
      };
      if (subresource) entry.subresource = subresource;
      entries.push(entry);
    }
    entry.fieldsV1 = toFieldsV1(fromFieldsV1(entry.fieldsV1).union(changed));
    entry.time = time;
  }
  writeEntries(newObj, entries);
}

/**
 * Server-side apply of `applied` by `manager` onto `live` (k8s.io/apiserver fieldmanager):
 * conflicts with other managers' differing values fail unless `force`; fields this manager
 * applied before and no longer applies are removed unless someone else owns them.
 */
export function serverSideApply(
  live: Record<string, unknown>,
  applied: Record<string, unknown>,
  manager: string,
  force: boolean,
  time: string,
): Record<string, unknown> {
  const entries = readEntries(live);
  const appliedSet = fieldsOf(applied, { apply: true });
  const leaves = appliedSet.leaves();
  const conflicts: { manager: string; operation: string; path: FieldPath }[] = [];
  for (const e of entries) {
    if (e.manager === manager && e.operation === 'Apply') continue;
    const owned = fromFieldsV1(e.fieldsV1);
    for (const p of leaves) {
      // Only values conflict; owning a map's or item's existence never does.
      if (!owned.has(p) || isRecord(valueAt(applied, p).value)) continue;
      const now = valueAt(live, p);
      if (now.found && !deepEqual(now.value, valueAt(applied, p).value)) {
        conflicts.push({ manager: e.manager, operation: e.operation, path: p });
      }
    }
  }
  if (conflicts.length && !force) {
    throw applyConflict(conflicts);
  }

  const merged = mergeApplied(deepClone(live), applied) as Record<string, unknown>;
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Apply');
  const previous = mine ? fromFieldsV1(mine.fieldsV1) : new FieldSet();
  const others = entries.filter((e) => e !== mine).map((e) => fromFieldsV1(e.fieldsV1));
  // Deepest first, so a removed list item goes before its parent list is looked at.
  for (const p of previous
    .minus(appliedSet)
    .paths()
    .sort((a, b) => b.length - a.length)) {
    if (!others.some((o) => o.has(p))) removeAt(merged, p);
  }
  const conflicted = FieldSet.of(conflicts.map((c) => c.path));
  for (const e of entries) {
    if (e === mine) continue;
    const owned = fromFieldsV1(e.fieldsV1);
    e.fieldsV1 = toFieldsV1(FieldSet.of(owned.paths().filter((p) => !conflicted.has(p) && valueAt(merged, p).found)));
  }
  const entry: ManagedFieldsEntry = mine ?? {
    manager,
    operation: 'Apply',
    apiVersion: typeof applied.apiVersion === 'string' ? applied.apiVersion : 'v1',
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: {},
  };
  entry.fieldsV1 = toFieldsV1(appliedSet);
  entry.time = time;
  writeEntries(merged, mine ? entries : [...entries, entry]);
  return merged;
}

/** Structural merge of an applied configuration: maps merge, keyed lists merge by key, others replace. */
function mergeApplied(live: unknown, applied: unknown, field = ''): unknown {
  if (isRecord(applied)) {
    const out: Record<string, unknown> = isRecord(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied)) {
      if (v === null) continue;
      out[k] = mergeApplied(out[k], v, k);
    }
    return out;
  }
  if (Array.isArray(applied)) {
    const keys = listMapKeys(field);
    if (keys && Array.isArray(live) && applied.every(isRecord)) {
      const result = live.map((x) => deepClone(x));
      for (const item of applied as Record<string, unknown>[]) {
        const k = itemKey(keys, item);
        const idx = result.findIndex((x) => isRecord(x) && itemKey(keys, x) === k);
        if (idx >= 0) result[idx] = mergeApplied(result[idx], item);
        else result.push(deepClone(item));
      }
      return result;
    }
    if (isSetList(field) && Array.isArray(live)) {
      const result = [...live];
      for (const v of applied) if (!result.some((x) => deepEqual(x, v))) result.push(v);
      return result;
    }
    return deepClone(applied);
  }
  return applied;
}

/** errors.NewApplyConflict with fieldmanager's message format (internal/conflict.go). */
function applyConflict(conflicts: { manager: string; operation: string; path: FieldPath }[]): KubeStatusError {
  const who = (c: { manager: string; operation: string }): string =>
    c.operation === 'Update' ? `"${c.manager}" using v1` : `"${c.manager}"`;
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0] as (typeof conflicts)[number];
    message = `Apply failed with 1 conflict: conflict with ${who(c)}: ${pathToString(c.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const k = who(c);
      byManager.set(k, [...(byManager.get(k) ?? []), `- ${pathToString(c.path)}`]);
    }
    const lines: string[] = [];
    for (const k of [...byManager.keys()].sort()) lines.push(`conflicts with ${k}:`, ...(byManager.get(k) ?? []));
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new KubeStatusError(409, 'Conflict', message, {
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${who(c)}`,
      field: pathToString(c.path),
    })),
  });
}
