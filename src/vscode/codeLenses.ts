import * as vscode from 'vscode';
import type { AnalysisService } from './analysisService';
import { toRange } from './convert';
import { APPLY_FIX_COMMAND, type FixRef } from './fixCommands';
import { codeLensEnabled } from './settings';

/**
 * One lens above every ServiceAccount and pod template, straight from the core's `lenses`.
 * A lens with a fix runs it (or asks for its input); a ready one opens the ServiceAccount it runs
 * as; any other is a status line.
 */
export class WorkloadIdentityCodeLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly service: AnalysisService) {}

  /** Lenses are re-requested by VS Code after each edit of their own document; this covers the rest. */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!codeLensEnabled() || !this.service.isAnalyzable(document)) return [];
    return this.service.analyze(document).lenses.map((lens) => {
      const range = toRange(lens.range);
      if (!lens.fix && lens.goto) {
        const at = new vscode.Position(lens.goto.position.line, lens.goto.position.character);
        const options: vscode.TextDocumentShowOptions = { selection: new vscode.Range(at, at) };
        return new vscode.CodeLens(range, { title: lens.title, tooltip: lens.tooltip, command: 'vscode.open', arguments: [vscode.Uri.parse(lens.goto.uri), options] });
      }
      if (!lens.fix) return new vscode.CodeLens(range, { title: lens.title, tooltip: lens.tooltip, command: '' });
      const ref: FixRef = { source: 'lens', line: lens.range.start.line, character: lens.range.start.character, title: lens.fix.title };
      return new vscode.CodeLens(range, {
        title: lens.title,
        tooltip: lens.tooltip ?? lens.fix.title,
        command: APPLY_FIX_COMMAND,
        arguments: [document.uri.toString(), ref],
      });
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
