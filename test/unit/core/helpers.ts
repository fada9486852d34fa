import { Analyzer } from '../../../src/core/analyzer';
import type { AnalyzerOptions, DocumentAnalysis } from '../../../src/core/analyzer';
import type { Finding, Fix, TextEdit } from '../../../src/core/findings';
import { LineIndex } from '../../../src/core/lineIndex';

/** Applies non-overlapping edits (as VS Code does: all ranges refer to the original text). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }));
  spans.sort((a, b) => b.start - a.start || b.end - a.end);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].end > spans[i - 1].start) throw new Error('overlapping edits');
  }
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}

export const CLIENT = '6f1c2a4e-1234-4bcd-9ef0-0123456f9f01';

export function sa(name: string, opts: { ns?: string; clientId?: string | null; extra?: string } = {}): string {
  const lines = ['apiVersion: v1', 'kind: ServiceAccount', 'metadata:', `  name: ${name}`];
  if (opts.ns) lines.push(`  namespace: ${opts.ns}`);
  if (opts.clientId !== null) lines.push('  annotations:', `    azure.workload.identity/client-id: "${opts.clientId ?? CLIENT}"`);
  if (opts.extra) lines.push(opts.extra);
  return `${lines.join('\n')}\n`;
}

export function analyzeWith(files: Record<string, string>, target: string, options?: AnalyzerOptions): DocumentAnalysis {
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

export function applyFix(text: string, fix: Fix | undefined, input?: string): string {
  if (!fix) throw new Error('no fix');
  const edits = fix.input ? fix.input.complete(input ?? CLIENT) : fix.edits;
  return applyEdits(text, edits);
}

/** Applies a fix that may span files: each edit goes to its own `uri`, else to `target`. */
export function applyFixToFiles(files: Record<string, string>, target: string, fix: Fix | undefined, input?: string): Record<string, string> {
  if (!fix) throw new Error('no fix');
  const edits = fix.input ? fix.input.complete(input ?? CLIENT) : fix.edits;
  const out = { ...files };
  for (const uri of new Set(edits.map((e) => e.uri ?? fix.uri ?? target))) {
    out[uri] = applyEdits(files[uri], edits.filter((e) => (e.uri ?? fix.uri ?? target) === uri));
  }
  return out;
}
