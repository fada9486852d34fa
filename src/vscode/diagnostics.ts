import * as vscode from 'vscode';
import type { Finding } from '../core/findings';
import type { AnalysisService } from './analysisService';
import { toRange, toSeverity } from './convert';

export const DIAGNOSTIC_SOURCE = 'kwi';

/** Pod identity resources and labels still work, but are on their way out: show them struck through. */
const DEPRECATED_RULES = new Set(['podidentity/deprecated-resource', 'podidentity/binding-label']);

/**
 * Publishes findings of open documents as diagnostics, on open and on every change, without a
 * debounce: analysis of the edited document is incremental and takes a few milliseconds.
 */
export class DiagnosticsPublisher implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('kwi');
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(private readonly service: AnalysisService, private readonly ruleHelp: (rule: string) => vscode.Uri) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.update(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.update(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        this.service.forget(d);
      }),
      service.onDidChangeAll(() => this.updateAll()),
    );
    this.updateAll();
  }

  updateAll(): void {
    for (const document of vscode.workspace.textDocuments) this.update(document);
  }

  private update(document: vscode.TextDocument): void {
    if (!this.service.isAnalyzable(document)) return;
    const { findings } = this.service.analyze(document);
    this.collection.set(document.uri, findings.map((f) => this.toDiagnostic(f)));
  }

  private toDiagnostic(finding: Finding): vscode.Diagnostic {
    const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, toSeverity(finding.severity));
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = { value: finding.rule, target: this.ruleHelp(finding.rule) };
    if (DEPRECATED_RULES.has(finding.rule)) diagnostic.tags = [vscode.DiagnosticTag.Deprecated];
    return diagnostic;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
