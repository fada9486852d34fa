/**
 * Multi-document YAML: split at `---` lines, parse each document on its own, and cache the
 * result by the document's exact text so that after a keystroke only the edited document is parsed
 * again. A `---` at column 0 followed by a space or line end is always a document marker
 * (yaml.org/spec/1.2.2 §9.1.2, c-directives-end): it cannot occur inside any scalar, so splitting
 * on it is exact.
 */
import { scanBlockYaml } from './fastYaml';
import { parseWithYaml } from './yamlFallback';
import type { EditGuard, YNode } from './yamlModel';

/** Beyond these sizes a document or a file is not analyzed (bounded work on any input). */
export const MAX_DOCUMENT_CHARS = 1_000_000;
export const MAX_FILE_CHARS = 5_000_000;

export interface ParsedDocument {
  readonly root: YNode | null;
  /** False when `yaml` reported a syntax error: the document yields no findings. */
  readonly ok: boolean;
  /** True when the fast scanner handled it (for benchmarks and tests). */
  readonly fast: boolean;
  /** Spans fixes must leave alone (anchors reused by aliases, tagged scalars); the fast scanner handles neither. */
  readonly guards: readonly EditGuard[];
}

export interface DocumentSlice {
  /** Offset of the document's first character in the file. */
  readonly base: number;
  readonly text: string;
  /** Undefined when the pre-filter found nothing of interest, or the document is too large. */
  readonly parsed: ParsedDocument | undefined;
}

const MARKER_RE = /^---(?=[ \t\r\n]|$)/gm;

export function splitDocuments(text: string): Array<{ base: number; text: string }> {
  const out: Array<{ base: number; text: string }> = [];
  let last = 0;
  MARKER_RE.lastIndex = 0;
  for (let m = MARKER_RE.exec(text); m; m = MARKER_RE.exec(text)) {
    if (m.index > last) out.push({ base: last, text: text.slice(last, m.index) });
    last = m.index;
  }
  if (last < text.length) out.push({ base: last, text: text.slice(last) });
  return out;
}

/** How many documents each parser handled since start (benchmarks and tests read it). */
export const parseStats = { fast: 0, fallback: 0 };

export function parseDocumentText(text: string): ParsedDocument {
  const fast = scanBlockYaml(text);
  if (fast) {
    parseStats.fast++;
    return { root: fast.root, ok: true, fast: true, guards: [] };
  }
  parseStats.fallback++;
  const full = parseWithYaml(text);
  return { root: full.root, ok: !full.hasErrors, fast: false, guards: full.guards };
}

/** Substrings one of which every document a rule reads must contain (the cheap pre-filter). */
const ANALYSIS_MARKERS = [
  'ServiceAccount',
  'azure.workload.identity',
  'aadpodidbinding',
  'AzureIdentity',
  'AzurePodIdentityException',
  'eks.amazonaws.com',
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'List',
];
/** The subset the cross-file index needs. */
export const INDEX_MARKERS = ['ServiceAccount', 'AzureIdentity'];

export function containsAny(text: string, markers: readonly string[]): boolean {
  for (const m of markers) if (text.includes(m)) return true;
  return false;
}

/** Helm and other templates are not YAML until rendered: stay silent on them. */
export function isTemplated(text: string): boolean {
  return text.includes('{{');
}

/** Text that could hold something the rules read (a cheap substring test, no parse). */
export function mayNeedAnalysis(text: string): boolean {
  return !isTemplated(text) && containsAny(text, ANALYSIS_MARKERS);
}

export function wantsAnalysis(text: string): boolean {
  return text.length <= MAX_DOCUMENT_CHARS && !isTemplated(text) && containsAny(text, ANALYSIS_MARKERS);
}

/** Per-uri cache of parsed documents keyed by exact document text. */
export class DocumentCache {
  private readonly byUri = new Map<string, Map<string, ParsedDocument>>();

  parseFile(uri: string, text: string, wants: (doc: string) => boolean = wantsAnalysis): DocumentSlice[] {
    if (text.length > MAX_FILE_CHARS) {
      this.byUri.delete(uri);
      return [];
    }
    const previous = this.byUri.get(uri);
    const next = new Map<string, ParsedDocument>();
    const slices: DocumentSlice[] = [];
    for (const chunk of splitDocuments(text)) {
      let parsed: ParsedDocument | undefined = next.get(chunk.text) ?? previous?.get(chunk.text);
      // Keep what an earlier, wider call parsed (analyze after indexFile and back) even when this
      // caller does not need it.
      if (parsed) next.set(chunk.text, parsed);
      if (wants(chunk.text)) {
        if (!parsed) next.set(chunk.text, (parsed = parseDocumentText(chunk.text)));
      } else {
        parsed = undefined;
      }
      slices.push({ base: chunk.base, text: chunk.text, parsed });
    }
    this.byUri.set(uri, next);
    return slices;
  }

  delete(uri: string): void {
    this.byUri.delete(uri);
  }
}
