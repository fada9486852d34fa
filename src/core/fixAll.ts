/**
 * "Fix all": the preferred mechanical fix of each finding, as one list of edits to the analyzed
 * document. Used by VS Code's `source.fixAll` (e.g. on save) and `kwi lint --fix`.
 */
import type { Finding, Position, TextEdit } from './findings';
import { LineIndex } from './lineIndex';

export interface FixAllResult {
  /** Non-overlapping edits to the analyzed document, in document order. */
  readonly edits: readonly TextEdit[];
  /** How many findings those edits fix. */
  readonly fixed: number;
  /**
   * Findings with a fix that was left out: it needs input (a client ID), edits another file, or
   * touches text another chosen fix already edits. Running fix-all again picks up the last kind.
   */
  readonly skipped: number;
}

const before = (a: Position, b: Position): boolean =>
  a.line < b.line || (a.line === b.line && a.character < b.character);
const same = (a: Position, b: Position): boolean => a.line === b.line && a.character === b.character;

/**
 * Two edits conflict when their ranges overlap, or when both insert at the same point (their
 * order would be arbitrary, and two fixes adding the same key there would duplicate it).
 */
function conflicts(a: TextEdit, b: TextEdit): boolean {
  if (same(a.range.start, a.range.end) && same(b.range.start, b.range.end)) return same(a.range.start, b.range.start);
  return (
    (before(a.range.start, b.range.end) && before(b.range.start, a.range.end)) || same(a.range.start, b.range.start)
  );
}

const sameEdit = (a: TextEdit, b: TextEdit): boolean =>
  same(a.range.start, b.range.start) && same(a.range.end, b.range.end) && a.newText === b.newText;

/**
 * Fixes that are decisions rather than corrections stay one-by-one: migrating off AAD Pod Identity
 * changes how the pod authenticates, and picking a ServiceAccount picks an identity.
 */
const DECISIONS = new Set(['podidentity/binding-label', 'wi/service-account-default']);

export function fixAll(findings: readonly Finding[]): FixAllResult {
  const chosen: TextEdit[] = [];
  let fixed = 0;
  let skipped = 0;
  for (const finding of findings) {
    if (DECISIONS.has(finding.rule)) {
      if (finding.fixes.length > 0) skipped++;
      continue;
    }
    const fix = finding.fixes.find((f) => f.isPreferred) ?? (finding.fixes.length === 1 ? finding.fixes[0] : undefined);
    if (!fix) {
      if (finding.fixes.length > 0) skipped++;
      continue;
    }
    const local =
      fix.uri === undefined && !fix.input && fix.edits.length > 0 && fix.edits.every((e) => e.uri === undefined);
    // Two findings can share one fix (a missing label and the misspelt annotation it replaces):
    // edits already chosen fix this finding too.
    if (local && fix.edits.every((e) => chosen.some((c) => sameEdit(c, e)))) {
      fixed++;
      continue;
    }
    if (!local || fix.edits.some((e) => chosen.some((c) => conflicts(c, e)))) {
      skipped++;
      continue;
    }
    chosen.push(...fix.edits);
    fixed++;
  }
  chosen.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { edits: chosen, fixed, skipped };
}

/** Applies non-overlapping edits whose ranges all refer to `text` (as VS Code applies them). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}
