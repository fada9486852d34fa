import * as vscode from 'vscode';
import { fixAll } from '../core/fixAll';
import type { AnalysisService } from './analysisService';
import { toRange, toWorkspaceEdit } from './convert';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { APPLY_FIX_COMMAND, fixTarget, type FixRef } from './fixCommands';

/** `source.fixAll.kwi`: usable in `editor.codeActionsOnSave` on its own or through `source.fixAll`. */
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('kwi');

/**
 * Quick fixes from the core's findings: a plain edit when the fix is mechanical, the fix command
 * when it needs input; and one "fix all" source action with every mechanical fix of the file.
 */
export class WorkloadIdentityCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly service: AnalysisService) {}

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (!this.service.isAnalyzable(document)) return [];
    if (context.only && FIX_ALL_KIND.intersects(context.only)) return this.fixAllAction(document);
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const actions: vscode.CodeAction[] = [];
    for (const finding of this.service.analyze(document).findings) {
      const findingRange = toRange(finding.range);
      if (!findingRange.intersection(range)) continue;
      // Tie the action to the diagnostic VS Code already shows, so the lightbulb groups them.
      const diagnostics = context.diagnostics.filter(
        (d) =>
          d.source === DIAGNOSTIC_SOURCE &&
          d.range.isEqual(findingRange) &&
          typeof d.code === 'object' &&
          d.code.value === finding.rule,
      );
      for (const fix of finding.fixes) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = diagnostics;
        action.isPreferred = fix.isPreferred;
        if (fix.input) {
          const ref: FixRef = {
            source: 'finding',
            line: finding.range.start.line,
            character: finding.range.start.character,
            title: fix.title,
            rule: finding.rule,
          };
          action.command = { title: fix.title, command: APPLY_FIX_COMMAND, arguments: [document.uri.toString(), ref] };
        } else {
          action.edit = toWorkspaceEdit(fixTarget(fix, document.uri), fix.edits);
        }
        actions.push(action);
      }
    }
    return actions;
  }

  private fixAllAction(document: vscode.TextDocument): vscode.CodeAction[] {
    const { edits } = fixAll(this.service.analyze(document).findings);
    if (edits.length === 0) return [];
    const action = new vscode.CodeAction(vscode.l10n.t('Fix all workload identity problems'), FIX_ALL_KIND);
    action.edit = toWorkspaceEdit(document.uri, edits);
    return [action];
  }
}
