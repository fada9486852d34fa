/**
 * The small YAML tree the rules read. Offsets are relative to the text of one YAML document
 * (see yamlDocuments.ts, which adds the document's base offset). Two producers build it: the fast
 * block-style scanner (fastYaml.ts) and the `yaml` package for everything else (yamlFallback.ts).
 */
export type ScalarStyle = 'plain' | 'single' | 'double' | 'block';

export interface YScalar {
  readonly kind: 'scalar';
  /** Resolved value under the YAML 1.2 core schema (what `yaml` returns by default). */
  readonly value: string | number | boolean | null;
  readonly style: ScalarStyle;
  readonly start: number;
  readonly end: number;
}

export interface YPair {
  readonly key: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly keyStyle: ScalarStyle;
  /** null when the value is absent (`key:` with nothing after it). */
  readonly value: YNode | null;
}

export interface YMap {
  readonly kind: 'map';
  readonly pairs: readonly YPair[];
  readonly flow: boolean;
  readonly start: number;
  /** End of the last value (block) or offset just past `}` (flow). */
  readonly end: number;
  /**
   * Pairs a YAML 1.1 merge key (`<<: *base`, yaml.org/type/merge.html) brings in, for the keys
   * `pairs` does not have. Kubernetes decodes manifests with go-yaml, which honours merge keys.
   */
  readonly merged?: readonly YPair[];
}

export interface YSeq {
  readonly kind: 'seq';
  readonly items: readonly YNode[];
  readonly flow: boolean;
  readonly start: number;
  readonly end: number;
}

export type YNode = YScalar | YMap | YSeq;

/**
 * A span an automatic fix must not edit: a node with an anchor that an alias reuses (the edit
 * would change every use, e.g. an immutable selector reused as template labels), or a scalar with
 * an explicit tag (a new value would keep the tag: `!!bool "true"` is still a boolean).
 */
export interface EditGuard {
  readonly kind: 'anchor' | 'tag';
  /** The anchor's name (without `&`) or the tag as written (`!!bool`). */
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** A map or sequence: an insertion at its edges adds to it. */
  readonly collection: boolean;
}

export function isMap(node: YNode | null | undefined): node is YMap {
  return node !== null && node !== undefined && node.kind === 'map';
}

export function isSeq(node: YNode | null | undefined): node is YSeq {
  return node !== null && node !== undefined && node.kind === 'seq';
}

export function isScalar(node: YNode | null | undefined): node is YScalar {
  return node !== null && node !== undefined && node.kind === 'scalar';
}

export function getPair(map: YNode | null | undefined, key: string): YPair | undefined {
  if (!isMap(map)) return undefined;
  for (const pair of map.pairs) if (pair.key === key) return pair;
  if (map.merged) for (const pair of map.merged) if (pair.key === key) return pair;
  return undefined;
}

export function getNode(map: YNode | null | undefined, ...path: string[]): YNode | null | undefined {
  let node: YNode | null | undefined = map;
  for (const key of path) {
    const pair = getPair(node, key);
    if (!pair) return undefined;
    node = pair.value;
  }
  return node;
}

/** The scalar value as a string when it is a string, else undefined. */
export function getString(map: YNode | null | undefined, ...path: string[]): string | undefined {
  const node = getNode(map, ...path);
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** The scalar as text whatever its type (`3600` and `"3600"` both give "3600"). */
export function scalarText(node: YNode | null | undefined): string | undefined {
  if (!isScalar(node) || node.value === null) return undefined;
  return String(node.value);
}

/** Plain JS value, for tests and differential checks. Depth-capped. */
export function toJS(node: YNode | null, depth = 0): unknown {
  if (node === null || depth > 200) return null;
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map((item) => toJS(item, depth + 1));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const pair of node.merged ?? []) out[pair.key] = toJS(pair.value, depth + 1);
      for (const pair of node.pairs) if (!isMergeKey(pair)) out[pair.key] = toJS(pair.value, depth + 1);
      return out;
    }
  }
}

/** A plain `<<` key: a merge (a quoted '<<' is an ordinary key). */
export function isMergeKey(pair: YPair): boolean {
  return pair.key === '<<' && pair.keyStyle === 'plain';
}
