import { Analyzer } from '../../../src/core/analyzer';
import type { AnalyzerOptions, DocumentAnalysis } from '../../../src/core/analyzer';
import type { Finding, Fix, TextEdit } from '../../../src/core/findings';
import { applyTextEdits } from '../../../src/core/fixAll';
import { LineIndex } from '../../../src/core/lineIndex';

/** Applies edits as VS Code does (all ranges refer to the original text); overlapping edits are a bug. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits
    .map((e) => [lines.offsetAt(e.range.start), lines.offsetAt(e.range.end)] as const)
    .sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i][0] < spans[i - 1][1]) throw new Error('overlapping edits');
  }
  return applyTextEdits(text, edits);
}

export const CLIENT = '6f1c2a4e-1234-4bcd-9ef0-0123456f9f01';

export function sa(name: string, opts: { ns?: string; clientId?: string | null; extra?: string } = {}): string {
  const lines = ['apiVersion: v1', 'kind: ServiceAccount', 'metadata:', `  name: ${name}`];
  if (opts.ns) lines.push(`  namespace: ${opts.ns}`);
  if (opts.clientId !== null) {
    lines.push('  annotations:', `    azure.workload.identity/client-id: "${opts.clientId ?? CLIENT}"`);
  }
  if (opts.extra) lines.push(opts.extra);
  return `${lines.join('\n')}\n`;
}

export function analyzeWith(
  files: Record<string, string>,
  target: string,
  options?: AnalyzerOptions,
): DocumentAnalysis {
  const a = new Analyzer(options);
  for (const [uri, text] of Object.entries(files)) a.indexFile(uri, text);
  return a.analyze(target, files[target]);
}

export function rules(result: DocumentAnalysis): string[] {
  return result.findings.map((f) => f.rule);
}

export function only(result: DocumentAnalysis, rule: string): Finding[] {
  return result.findings.filter((f) => f.rule === rule);
}

/** The text a finding's range covers. */
export function covered(text: string, f: { range: Finding['range'] }): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offsetAt(f.range.start), lines.offsetAt(f.range.end));
}

function editsOf(fix: Fix | undefined, input?: string): readonly TextEdit[] {
  if (!fix) throw new Error('no fix');
  return fix.input ? fix.input.complete(input ?? CLIENT) : fix.edits;
}

export function applyFix(text: string, fix: Fix | undefined, input?: string): string {
  return applyEdits(text, editsOf(fix, input));
}

/** Applies a fix that may span files: each edit goes to its own `uri`, else to the fix's, else to `target`. */
export function applyFixToFiles(
  files: Record<string, string>,
  target: string,
  fix: Fix | undefined,
  input?: string,
): Record<string, string> {
  const edits = editsOf(fix, input);
  const fileOf = (e: TextEdit): string => e.uri ?? fix?.uri ?? target;
  const out = { ...files };
  for (const uri of new Set(edits.map(fileOf))) {
    out[uri] = applyEdits(
      files[uri],
      edits.filter((e) => fileOf(e) === uri),
    );
  }
  return out;
}
