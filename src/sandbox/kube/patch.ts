import { KubeStatusError } from './status';
import { deepClone, deepEqual, isSetList, patchMergeKey } from './schema';
import { isRecord } from '../../core/is';

type Json = unknown;
type JsonObject = Record<string, unknown>;

/** The error kube-apiserver returns when a patch cannot be applied (NewGenericServerResponse 422). */
function patchFailed(detail: string): KubeStatusError {
  return new KubeStatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message: detail }],
  });
}

/** RFC 7386 JSON merge patch (`application/merge-patch+json`): objects merge, null deletes, lists replace. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isRecord(patch)) {
    return deepClone(patch);
  }
  const result: JsonObject = isRecord(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete result[k];
    } else {
      result[k] = mergePatch(result[k], v);
    }
  }
  return result;
}

/** RFC 6902 JSON patch (`application/json-patch+json`) with RFC 6901 pointers. */
export function jsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) {
    throw new KubeStatusError(400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  let doc = deepClone(target);
  for (const raw of operations) {
    const op = raw as { op?: string; path?: string; from?: string; value?: unknown };
    const path = op.path ?? '';
    switch (op.op) {
      case 'add':
        doc = setAt(doc, path, deepClone(op.value), 'add');
        break;
      case 'replace':
        getAt(doc, path, 'replace');
        doc = setAt(doc, path, deepClone(op.value), 'replace');
        break;
      case 'remove':
        getAt(doc, path, 'remove');
        doc = removeAt(doc, path);
        break;
      case 'move': {
        const value = getAt(doc, op.from ?? '', 'move');
        doc = removeAt(doc, op.from ?? '');
        doc = setAt(doc, path, value, 'add');
        break;
      }
      case 'copy':
        doc = setAt(doc, path, deepClone(getAt(doc, op.from ?? '', 'copy')), 'add');
        break;
      case 'test':
        if (!deepEqual(getAt(doc, path, 'test'), op.value)) {
          throw patchFailed(`testing value ${path} failed: test failed`);
        }
        break;
      default:
        throw patchFailed(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return doc;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw patchFailed(`add operation does not apply: doc is missing path: "${pointer}": missing value`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(doc: Json, pointer: string, opName: string): Json {
  let cur: Json = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(cur)) {
      const i = Number(token);
      if (!/^\d+$/.test(token) || i >= cur.length) {
        throw patchFailed(`${opName} operation does not apply: doc is missing path: "${pointer}": missing value`);
      }
      cur = cur[i];
    } else if (isRecord(cur) && Object.prototype.hasOwnProperty.call(cur, token)) {
      cur = cur[token];
    } else {
      throw patchFailed(`${opName} operation does not apply: doc is missing path: "${pointer}": missing value`);
    }
  }
  return cur;
}

function setAt(doc: Json, pointer: string, value: Json, mode: 'add' | 'replace'): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const parent = getAt(doc, parentPointer(tokens), mode === 'add' ? 'add' : 'replace');
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!(last === '-' || /^\d+$/.test(last)) || i > parent.length) {
      throw patchFailed(`${mode} operation does not apply: doc is missing path: "${pointer}": missing value`);
    }
    if (mode === 'add') parent.splice(i, 0, value);
    else parent[i] = value;
  } else if (isRecord(parent)) {
    parent[last] = value;
  } else {
    throw patchFailed(`${mode} operation does not apply: doc is missing path: "${pointer}": missing value`);
  }
  return doc;
}

function removeAt(doc: Json, pointer: string): Json {
  const tokens = parsePointer(pointer);
  const parent = getAt(doc, parentPointer(tokens), 'remove');
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isRecord(parent)) delete parent[last];
  return doc;
}

function parentPointer(tokens: string[]): string {
  return tokens
    .slice(0, -1)
    .map((t) => `/${escapeToken(t)}`)
    .join('');
}

function escapeToken(t: string): string {
  return t.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Strategic merge patch (`application/strategic-merge-patch+json`, k8s.io/apimachinery
 * pkg/util/strategicpatch): like a merge patch, but lists with a patch merge key merge by that
 * key, set lists merge as sets, and the directives `$patch` (replace/delete/merge),
 * `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` apply.
 * kubectl apply sends `$setElementOrder` on every list it touches.
 */
export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isRecord(patch)) {
    throw patchFailed('unable to find api field in struct for the patch');
  }
  return mergeMap(isRecord(target) ? target : {}, patch);
}

function mergeMap(original: JsonObject, patch: JsonObject): JsonObject {
  const directive = patch.$patch;
  if (directive === 'replace') {
    const { $patch: _drop, ...rest } = patch;
    return stripDirectives(rest) as JsonObject;
  }
  let result: JsonObject = { ...original };
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    result = Object.fromEntries(Object.entries(result).filter(([k]) => keep.has(k)));
  }
  const orders: Record<string, unknown[]> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/')) {
      orders[key.slice('$setElementOrder/'.length)] = value as unknown[];
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const drop = (value as unknown[]) ?? [];
      if (Array.isArray(result[field])) {
        result[field] = (result[field] as unknown[]).filter((x) => !drop.some((d) => deepEqual(d, x)));
      }
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    if (isRecord(value)) {
      if (value.$patch === 'delete') {
        delete result[key];
        continue;
      }
      result[key] = mergeMap(isRecord(result[key]) ? (result[key] as JsonObject) : {}, value);
    } else if (Array.isArray(value)) {
      result[key] = mergeList(key, Array.isArray(result[key]) ? (result[key] as unknown[]) : [], value);
    } else {
      result[key] = value;
    }
  }
  for (const [field, order] of Object.entries(orders)) {
    if (Array.isArray(result[field])) {
      result[field] = applyElementOrder(field, result[field] as unknown[], order);
    }
  }
  return result;
}

function mergeList(field: string, original: unknown[], patch: unknown[]): unknown[] {
  const key = patchMergeKey(field);
  if (patch.some((p) => isRecord(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isRecord(p) && p.$patch === 'replace')).map(stripDirectives);
  }
  if (key) {
    const result = original.map((x) => deepClone(x));
    for (const item of patch) {
      if (!isRecord(item)) continue;
      const idx = result.findIndex((o) => isRecord(o) && deepEqual(o[key], item[key]));
      if (item.$patch === 'delete') {
        if (idx >= 0) result.splice(idx, 1);
        continue;
      }
      if (idx >= 0) {
        result[idx] = mergeMap(result[idx] as JsonObject, item);
      } else {
        result.push(stripDirectives(item));
      }
    }
    return result;
  }
  if (isSetList(field)) {
    const result = [...original];
    for (const item of patch) {
      if (!result.some((o) => deepEqual(o, item))) result.push(item);
    }
    return result;
  }
  return patch.map(stripDirectives);
}

/** Orders merged items as `$setElementOrder` says; items the patch did not name keep their place after. */
function applyElementOrder(field: string, items: unknown[], order: unknown[]): unknown[] {
  const key = patchMergeKey(field);
  const identity = (x: unknown): unknown => (key && isRecord(x) ? x[key] : x);
  const ordered: unknown[] = [];
  const rest = [...items];
  for (const o of order) {
    const want = key && isRecord(o) ? o[key] : o;
    const i = rest.findIndex((x) => deepEqual(identity(x), want));
    if (i >= 0) ordered.push(...rest.splice(i, 1));
  }
  return [...ordered, ...rest];
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isRecord(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) continue;
    out[k] = stripDirectives(x);
  }
  return out;
}
