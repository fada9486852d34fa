import * as vscode from 'vscode';
import type { AnalysisService } from './analysisService';
import { toRange } from './convert';
import { APPLY_FIX_COMMAND, type FixRef } from './fixCommands';
import { codeLensEnabled } from './settings';

/** Opens a document with the cursor at a position: plain arguments, so a lens stays serializable. */
export const OPEN_LOCATION_COMMAND = 'kwi.openLocation';

export function registerOpenLocation(): vscode.Disposable {
  return vscode.commands.registerCommand(
    OPEN_LOCATION_COMMAND,
    async (uri: string, line: number, character: number) => {
      const at = new vscode.Position(line, character);
      return vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: new vscode.Range(at, at) });
    },
  );
}

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
        const { uri, position } = lens.goto;
        return new vscode.CodeLens(range, {
          title: lens.title,
          tooltip: lens.tooltip,
          command: OPEN_LOCATION_COMMAND,
          arguments: [uri, position.line, position.character],
        });
      }
      if (!lens.fix) return new vscode.CodeLens(range, { title: lens.title, tooltip: lens.tooltip, command: '' });
      const ref: FixRef = {
        source: 'lens',
        line: lens.range.start.line,
        character: lens.range.start.character,
        title: lens.fix.title,
      };
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
