/**
 * Full YAML through the `yaml` package, for documents the fast scanner declines (anchors, tags,
 * multi-line scalars…). Converts `yaml`'s AST to our YNode tree. Aliases point at the anchored
 * node (shared, never copied), so an alias bomb costs nothing here. We never call `toJS`, the only
 * `yaml` API that expands aliases (its `maxAliasCount` guards that one).
 */
import { isAlias, isMap as yIsMap, isPair, isScalar as yIsScalar, isSeq as yIsSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, Scalar } from 'yaml';
import type { ScalarStyle, YNode, YPair } from './yamlModel';

const MAX_DEPTH = 100;

export interface FallbackResult {
  readonly root: YNode | null;
  /** `yaml` reported syntax errors: rules stay silent (the YAML extension reports them). */
  readonly hasErrors: boolean;
}

function styleOf(type: Scalar['type']): ScalarStyle {
  switch (type) {
    case 'QUOTE_DOUBLE': return 'double';
    case 'QUOTE_SINGLE': return 'single';
    case 'BLOCK_FOLDED':
    case 'BLOCK_LITERAL': return 'block';
    default: return 'plain';
  }
}

type Memo = Map<unknown, YNode | null>;

function convert(doc: Document, node: unknown, depth: number, memo: Memo): YNode | null {
  if (depth > MAX_DEPTH || node === null || node === undefined) return null;
  if (isAlias(node)) {
    const target = node.resolve(doc);
    // Shared, not copied: `memo` holds each anchored node once (and null while it is being built).
    if (!target) return null;
    if (memo.has(target)) return memo.get(target) ?? null;
    memo.set(target, null);
    const converted = convert(doc, target, depth + 1, memo);
    memo.set(target, converted);
    return converted;
  }
  const range = (node as YamlNode).range ?? [0, 0, 0];
  if (yIsScalar(node)) {
    const v = node.value;
    const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v
      : typeof v === 'bigint' ? Number(v) : v === null || v === undefined ? null : String(v);
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
      pairs.push({ key, keyStart, keyEnd, keyStyle, value: convert(doc, item.value, depth + 1, memo) });
    }
    return { kind: 'map', pairs, flow: Boolean(node.flow), start: range[0], end: range[1] };
  }
  if (yIsSeq(node)) {
    const items: YNode[] = [];
    for (const item of node.items) {
      const c = convert(doc, item, depth + 1, memo);
      items.push(c ?? { kind: 'scalar', value: null, style: 'plain', start: range[0], end: range[0] });
    }
    return { kind: 'seq', items, flow: Boolean(node.flow), start: range[0], end: range[1] };
  }
  return null;
}

export function parseWithYaml(text: string): FallbackResult {
  try {
    const doc = parseDocument(text, {
      keepSourceTokens: false,
      prettyErrors: false,
      uniqueKeys: false,
      strict: false,
    });
    return { root: convert(doc, doc.contents, 0, new Map()), hasErrors: doc.errors.length > 0 };
  } catch {
    return { root: null, hasErrors: true };
  }
}
