import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../core/analyzer';
import type { Fix, TextEdit } from '../core/findings';
import type { AnalysisService } from './analysisService';
import { toWorkspaceEdit } from './convert';
import { ui } from './ui';

export const APPLY_FIX_COMMAND = 'kwi.applyFix';

/**
 * Names a fix by where it came from instead of carrying the Fix object itself: command
 * arguments must survive serialization (code lenses and actions cross to the renderer), and
 * the document may have changed between rendering the lens and clicking it, so the command
 * re-analyzes the current text and looks the fix up again.
 */
export interface FixRef {
  readonly source: 'lens' | 'finding';
  readonly line: number;
  readonly character: number;
  readonly title: string;
  /** For findings: the rule id, since several rules can start at the same position. */
  readonly rule?: string;
}

export function findFix(analysis: DocumentAnalysis, ref: FixRef): Fix | undefined {
  const at = (r: { start: { line: number; character: number } }) =>
    r.start.line === ref.line && r.start.character === ref.character;
  if (ref.source === 'lens') {
    const lens = analysis.lenses.find((l) => at(l.range) && l.fix?.title === ref.title);
    return lens?.fix;
  }
  for (const finding of analysis.findings) {
    if (!at(finding.range) || (ref.rule !== undefined && finding.rule !== ref.rule)) continue;
    const fix = finding.fixes.find((f) => f.title === ref.title);
    if (fix) return fix;
  }
  return undefined;
}

/** A fix may edit another file than the analyzed one (the ServiceAccount a pod names, defined elsewhere). */
export function fixTarget(fix: Fix, analyzed: vscode.Uri): vscode.Uri {
  return fix.uri !== undefined ? vscode.Uri.parse(fix.uri) : analyzed;
}

/** Asks for the fix's input when it needs one (validated as the core says); undefined = cancelled. */
async function editsFor(fix: Fix, value: string | undefined): Promise<readonly TextEdit[] | undefined> {
  const input = fix.input;
  if (!input) return fix.edits;
  if (value === undefined) {
    value = await ui().showInputBox({
      title: fix.title,
      prompt: input.prompt,
      placeHolder: '00000000-0000-0000-0000-000000000000',
      ignoreFocusOut: true,
      validateInput: (v) => input.validate(v.trim()),
    });
    if (value === undefined) return undefined;
  }
  value = value.trim();
  const problem = input.validate(value);
  if (problem !== undefined) {
    void ui().showErrorMessage(problem);
    return undefined;
  }
  return input.complete(value);
}

/**
 * `kwi.applyFix(uri, ref, value?)`: the one entry point of lenses and of quick fixes that need input.
 * `value` answers the fix's input without a prompt (scripts, tests, keybindings). Resolves to
 * whether an edit was applied.
 */
export function registerFixCommands(service: AnalysisService): vscode.Disposable {
  return vscode.commands.registerCommand(
    APPLY_FIX_COMMAND,
    async (uri: string | vscode.Uri, ref: FixRef, value?: string): Promise<boolean> => {
      const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
      const document = await vscode.workspace.openTextDocument(target);
      const fix = findFix(service.analyze(document), ref);
      if (!fix) {
        void ui().showInformationMessage(vscode.l10n.t('This fix no longer applies: the document has changed.'));
        return false;
      }
      const edits = await editsFor(fix, value);
      if (!edits || edits.length === 0) return false;
      return vscode.workspace.applyEdit(toWorkspaceEdit(fixTarget(fix, document.uri), edits));
    },
  );
}
