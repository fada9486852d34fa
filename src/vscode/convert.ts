import * as vscode from 'vscode';
import type { Range, Severity, TextEdit } from '../core/findings';

/** core positions are 0-based line + UTF-16 offset, exactly VS Code's; this is a shape change only. */
export function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
  }
}

export function toWorkspaceEdit(uri: vscode.Uri, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(e.uri !== undefined ? vscode.Uri.parse(e.uri) : uri, toRange(e.range), e.newText);
  return edit;
}
