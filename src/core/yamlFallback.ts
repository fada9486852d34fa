/**
 * Full YAML through the `yaml` package, for documents the fast scanner declines (anchors, tags,
 * multi-line scalars…). Converts `yaml`'s AST to our YNode tree. Aliases point at the anchored
 * node (shared, never copied), so an alias bomb costs nothing here. We never call `toJS`, the only
 * `yaml` API that expands aliases (its `maxAliasCount` guards that one).
 */
import { isAlias, isMap as yIsMap, isPair, isScalar as yIsScalar, isSeq as yIsSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, Scalar } from 'yaml';
import { isMergeKey } from './yamlModel';
import type { EditGuard, ScalarStyle, YMap, YNode, YPair } from './yamlModel';

const MAX_DEPTH = 100;

export interface FallbackResult {
  readonly root: YNode | null;
  /** `yaml` reported syntax errors: rules stay silent (the YAML extension reports them). */
  readonly hasErrors: boolean;
  /** Spans no automatic fix may edit (offsets relative to the document). */
  readonly guards: readonly EditGuard[];
}

function styleOf(type: Scalar['type']): ScalarStyle {
  switch (type) {
    case 'QUOTE_DOUBLE':
      return 'double';
    case 'QUOTE_SINGLE':
      return 'single';
    case 'BLOCK_FOLDED':
    case 'BLOCK_LITERAL':
      return 'block';
    default:
      return 'plain';
  }
}

/** What one conversion collects besides the tree: alias targets, anchored and tagged nodes. */
interface Conversion {
  /** Alias targets, each converted once (null while it is being built). */
  readonly memo: Map<unknown, YNode | null>;
  readonly anchored: Array<{ readonly node: unknown; readonly guard: EditGuard }>;
  readonly guards: EditGuard[];
}

/** `tag:yaml.org,2002:bool` → `!!bool`, as written. */
function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

function convert(doc: Document, node: unknown, depth: number, cx: Conversion): YNode | null {
  if (depth > MAX_DEPTH || node === null || node === undefined) return null;
  const memo = cx.memo;
  if (isAlias(node)) {
    const target = node.resolve(doc);
    // Shared, not copied: `memo` holds each anchored node once (and null while it is being built).
    if (!target) return null;
    if (memo.has(target)) return memo.get(target) ?? null;
    memo.set(target, null);
    const converted = convert(doc, target, depth + 1, cx);
    memo.set(target, converted);
    return converted;
  }
  const range = (node as YamlNode).range ?? [0, 0, 0];
  const anchor = (node as YamlNode).anchor;
  if (anchor && !memo.has(node)) {
    cx.anchored.push({
      node,
      guard: { kind: 'anchor', name: anchor, start: range[0], end: range[1], collection: !yIsScalar(node) },
    });
  }
  const tag = (node as YamlNode).tag;
  if (tag && yIsScalar(node)) {
    cx.guards.push({ kind: 'tag', name: shortTag(tag), start: range[0], end: range[1], collection: false });
  }
  if (yIsScalar(node)) {
    const v = node.value;
    const value =
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? v
        : typeof v === 'bigint'
          ? Number(v)
          : v === null || v === undefined
            ? null
            : String(v);
    return { kind: 'scalar', value, style: styleOf(node.type), start: range[0], end: range[1] };
  }
  if (yIsMap(node)) {
    const pairs: YPair[] = [];
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const k = item.key;
      let key: string;
      let keyStart = range[0];
      let keyEnd = range[0];
      let keyStyle: ScalarStyle = 'plain';
      if (yIsScalar(k)) {
        key = String(k.value);
        keyStart = k.range?.[0] ?? keyStart;
        keyEnd = k.range?.[1] ?? keyEnd;
        keyStyle = styleOf(k.type);
      } else {
        continue; // complex keys never name a Kubernetes field
      }
      pairs.push({ key, keyStart, keyEnd, keyStyle, value: convert(doc, item.value, depth + 1, cx) });
    }
    const merged = mergedPairs(pairs);
    return {
      kind: 'map',
      pairs,
      flow: Boolean(node.flow),
      start: range[0],
      end: range[1],
      ...(merged.length > 0 ? { merged } : {}),
    };
  }
  if (yIsSeq(node)) {
    const items: YNode[] = [];
    for (const item of node.items) {
      const c = convert(doc, item, depth + 1, cx);
      items.push(c ?? { kind: 'scalar', value: null, style: 'plain', start: range[0], end: range[0] });
    }
    return { kind: 'seq', items, flow: Boolean(node.flow), start: range[0], end: range[1] };
  }
  return null;
}

/**
 * The pairs `<<` keys bring in (yaml.org/type/merge.html): a map, or a sequence of maps of which
 * the earlier win; keys the map itself has always win. Merged maps' own merges count too.
 */
function mergedPairs(pairs: readonly YPair[]): YPair[] {
  const sources: YMap[] = [];
  for (const pair of pairs) {
    if (!isMergeKey(pair)) continue;
    const v = pair.value;
    if (v?.kind === 'map') sources.push(v);
    else if (v?.kind === 'seq') for (const item of v.items) if (item.kind === 'map') sources.push(item);
  }
  if (sources.length === 0) return [];
  const seen = new Set(pairs.filter((p) => !isMergeKey(p)).map((p) => p.key));
  const out: YPair[] = [];
  for (const source of sources) {
    for (const pair of [...source.pairs, ...(source.merged ?? [])]) {
      if (isMergeKey(pair) || seen.has(pair.key)) continue;
      seen.add(pair.key);
      out.push(pair);
    }
  }
  return out;
}

export function parseWithYaml(text: string): FallbackResult {
  try {
    const doc = parseDocument(text, {
      keepSourceTokens: false,
      prettyErrors: false,
      uniqueKeys: false,
      strict: false,
    });
    const cx: Conversion = { memo: new Map(), anchored: [], guards: [] };
    const root = convert(doc, doc.contents, 0, cx);
    // An anchored node matters only when an alias reuses it: an edit there changes every use.
    for (const { node, guard } of cx.anchored) if (cx.memo.has(node)) cx.guards.push(guard);
    return { root, hasErrors: doc.errors.length > 0, guards: cx.guards };
  } catch {
    return { root: null, hasErrors: true, guards: [] };
  }
}
