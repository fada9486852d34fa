import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../core/analyzer';
import type { Finding } from '../core/findings';
import type { AnalysisService } from './analysisService';
import { toRange, toSeverity } from './convert';
import type { DiagnosticsScope } from './settings';
import type { WorkspaceIndexer } from './workspaceIndexer';

export const DIAGNOSTIC_SOURCE = 'kwi';

/** Pod identity resources and labels still work, but are on their way out: show them struck through. */
const DEPRECATED_RULES = new Set(['podidentity/deprecated-resource', 'podidentity/binding-label']);
/** Findings that only mean something once every workspace file has been read. */
const NEEDS_FULL_INDEX = new Set(['wi/service-account-not-found']);
/** Closed files are re-analyzed after index changes in batches this far apart, so typing in a ServiceAccount stays instant. */
const CLOSED_REFRESH_DELAY_MS = 300;
const CLOSED_CHUNK = 50;

/**
 * Publishes findings of open documents as diagnostics, on open and on every change, without a
 * debounce: analysis of the edited document is incremental and takes a few milliseconds.
 * With `kwi.diagnostics.scope: "workspace"` it also publishes those of every manifest the indexer
 * reads from disk, so the Problems panel covers files that were never opened.
 */
export class DiagnosticsPublisher implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('kwi');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  /** Texts of closed files with published diagnostics (workspace scope only), to re-analyze after index changes. */
  private readonly closed = new Map<string, { readonly uri: vscode.Uri; readonly text: string }>();
  private closedRefresh: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly service: AnalysisService,
    private readonly indexer: WorkspaceIndexer,
    private readonly ruleHelp: (rule: string) => vscode.Uri,
    private scope: DiagnosticsScope,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => {
        this.closed.delete(d.uri.toString());
        this.update(d);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => this.update(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        // In workspace scope the indexer re-reads the file and it is published again from disk.
        this.collection.delete(d.uri);
        this.service.forget(d);
      }),
      indexer.onDidReadFile(({ uri, text }) => {
        if (this.scope !== 'workspace') return;
        this.closed.set(uri.toString(), { uri, text });
        this.publish(uri, this.service.analyzeText(uri, text));
      }),
      indexer.onDidRemoveFile((uri) => {
        this.closed.delete(uri.toString());
        this.collection.delete(uri);
      }),
      service.onDidChangeAll(() => this.updateAll()),
    );
    this.updateAll();
  }

  /** Switching to the workspace scope needs the files read again: the caller re-indexes. */
  setScope(scope: DiagnosticsScope): void {
    this.scope = scope;
    if (scope === 'workspace') return;
    for (const { uri } of this.closed.values()) this.collection.delete(uri);
    this.closed.clear();
  }

  updateAll(): void {
    for (const document of vscode.workspace.textDocuments) this.update(document);
    if (this.closed.size > 0) this.scheduleClosedRefresh();
  }

  private scheduleClosedRefresh(): void {
    if (this.closedRefresh) clearTimeout(this.closedRefresh);
    this.closedRefresh = setTimeout(() => void this.refreshClosed(), CLOSED_REFRESH_DELAY_MS);
  }

  private async refreshClosed(): Promise<void> {
    this.closedRefresh = undefined;
    const files = [...this.closed.values()];
    for (let i = 0; i < files.length; i += CLOSED_CHUNK) {
      for (const { uri, text } of files.slice(i, i + CLOSED_CHUNK)) {
        if (this.closed.has(uri.toString())) this.publish(uri, this.service.analyzeText(uri, text));
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private update(document: vscode.TextDocument): void {
    if (!this.service.isAnalyzable(document)) return;
    this.publish(document.uri, this.service.analyze(document));
  }

  private publish(uri: vscode.Uri, { findings, skipped }: DocumentAnalysis): void {
    // While the cold index runs, a ServiceAccount "not found" may just not have been read yet.
    const shown = this.indexer.isReady ? findings : findings.filter((f) => !NEEDS_FULL_INDEX.has(f.rule));
    const diagnostics = shown.map((f) => this.toDiagnostic(f));
    // A file too large to analyze must not look clean: say so where the user looks for problems.
    if (skipped) {
      diagnostics.unshift(
        Object.assign(
          new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), skipped, vscode.DiagnosticSeverity.Information),
          { source: DIAGNOSTIC_SOURCE },
        ),
      );
    }
    this.collection.set(uri, diagnostics);
  }

  private toDiagnostic(finding: Finding): vscode.Diagnostic {
    const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, toSeverity(finding.severity));
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = { value: finding.rule, target: this.ruleHelp(finding.rule) };
    if (DEPRECATED_RULES.has(finding.rule)) diagnostic.tags = [vscode.DiagnosticTag.Deprecated];
    return diagnostic;
  }

  dispose(): void {
    if (this.closedRefresh) clearTimeout(this.closedRefresh);
    for (const d of this.disposables) d.dispose();
  }
}
