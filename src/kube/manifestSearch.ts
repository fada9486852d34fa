/**
 * Finds ServiceAccount manifests in YAML text, for "Reveal manifest". Pure: the VS Code layer
 * reads the files and opens the result. A missing `metadata.namespace` means `default`, as the
 * API server reads it; Helm templates and non-YAML text simply yield nothing.
 */
import { isMap, LineCounter, parseAllDocuments, type Node as YamlNode } from 'yaml';

export interface ServiceAccountQuery {
  readonly namespace?: string;
  readonly name?: string;
  /** Match on the `azure.workload.identity/client-id` annotation instead (case-insensitive). */
  readonly clientId?: string;
}

export interface ManifestHit {
  readonly namespace: string;
  readonly name: string;
  /** The `azure.workload.identity/client-id` annotation, when it is a string. */
  readonly clientId?: string;
  /** 0-based line and character of the `name:` value (or the document start). */
  readonly line: number;
  readonly character: number;
  /** 0-based line where the object starts (where editors put a lens for the whole object). */
  readonly objectLine: number;
}

export function findServiceAccounts(text: string, query: ServiceAccountQuery): ManifestHit[] {
  if (!/\bServiceAccount\b/.test(text)) return [];
  const lc = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false });
  } catch {
    return [];
  }
  if (!Array.isArray(docs)) return [];
  const hits: ManifestHit[] = [];
  for (const doc of docs) {
    let obj: unknown;
    try {
      obj = doc.toJS({ maxAliasCount: 50 });
    } catch {
      continue;
    }
    for (const item of flatten(obj)) {
      const o = item as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown; annotations?: Record<string, unknown> } };
      if (o?.kind !== 'ServiceAccount' || typeof o.metadata?.name !== 'string') continue;
      const name = o.metadata.name;
      const namespace = typeof o.metadata.namespace === 'string' && o.metadata.namespace ? o.metadata.namespace : 'default';
      if (query.name !== undefined && query.name !== name) continue;
      if (query.namespace !== undefined && query.namespace !== namespace) continue;
      const annotation = o.metadata.annotations?.['azure.workload.identity/client-id'];
      const clientId = typeof annotation === 'string' ? annotation.trim() : undefined;
      if (query.clientId !== undefined && clientId?.toLowerCase() !== query.clientId.trim().toLowerCase()) continue;
      const pos = namePosition(doc.contents, name) ?? doc.contents?.range?.[0] ?? 0;
      const { line, col } = lc.linePos(pos);
      const objectLine = lc.linePos(objectStart(doc.contents, name) ?? doc.contents?.range?.[0] ?? pos).line - 1;
      hits.push({ namespace, name, ...(clientId ? { clientId } : {}), line: line - 1, character: col - 1, objectLine });
    }
  }
  return hits;
}

/** `kind: List` documents carry their objects in `items`. */
function flatten(obj: unknown): unknown[] {
  const o = obj as { kind?: unknown; items?: unknown };
  if (o && typeof o === 'object' && typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) return o.items;
  return [obj];
}

function namePosition(root: YamlNode | null | undefined, name: string): number | undefined {
  // Walk to the first `metadata.name` scalar with this value (also inside List items).
  const stack: unknown[] = [root];
  while (stack.length) {
    const n = stack.pop();
    if (isMap(n)) {
      for (const pair of n.items) {
        const key = (pair.key as { value?: unknown } | null)?.value;
        const value = pair.value as { value?: unknown; range?: [number, number, number]; items?: unknown[] } | null;
        if (key === 'metadata' && isMap(value)) {
          const namePair = (value.items as Array<{ key: unknown; value: unknown }>).find((p) => (p.key as { value?: unknown } | null)?.value === 'name');
          const nameNode = namePair?.value as { value?: unknown; range?: [number, number, number] } | undefined;
          if (nameNode?.value === name && nameNode.range) return nameNode.range[0];
        }
        if (value && typeof value === 'object') stack.push(value);
      }
    } else if (n && typeof n === 'object' && Array.isArray((n as { items?: unknown[] }).items)) {
      stack.push(...(n as { items: unknown[] }).items);
    }
  }
  return undefined;
}

/** Start of the map that holds `metadata.name: name` (the document, or a `kind: List` item). */
function objectStart(root: YamlNode | null | undefined, name: string): number | undefined {
  const stack: unknown[] = [root];
  while (stack.length) {
    const n = stack.pop();
    if (isMap(n)) {
      const items = n.items as Array<{ key: unknown; value: unknown }>;
      const metadata = items.find((p) => (p.key as { value?: unknown } | null)?.value === 'metadata')?.value;
      if (isMap(metadata) && (metadata.items as Array<{ key: unknown; value: unknown }>).some(
        (p) => (p.key as { value?: unknown } | null)?.value === 'name' && (p.value as { value?: unknown } | null)?.value === name)) {
        return n.range?.[0];
      }
      for (const p of items) if (p.value && typeof p.value === 'object') stack.push(p.value);
    } else if (n && typeof n === 'object' && Array.isArray((n as { items?: unknown[] }).items)) {
      stack.push(...(n as { items: unknown[] }).items);
    }
  }
  return undefined;
}
