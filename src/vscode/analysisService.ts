import * as vscode from 'vscode';
import { Analyzer, type AnalyzerOptions, type DocumentAnalysis } from '../core/analyzer';
import type { ServiceAccountEntry, ServiceAccountQuery, WorkspaceIndex } from '../core/workspaceIndex';

/** Languages we analyze: Kubernetes manifests, and JSON for IAM trust policies (irsa/trust-policy-mismatch). */
const LANGUAGES = new Set(['yaml', 'json', 'jsonc']);
/** Schemes whose documents are workspace content; output panes, git history and the like are not. */
const SCHEMES = new Set(['file', 'untitled', 'vscode-vfs', 'vscode-remote', 'vscode-test-web']);

interface CacheEntry {
  readonly version: number;
  readonly generation: number;
  readonly analysis: DocumentAnalysis;
}

/**
 * Owns the one Analyzer of the window and memoizes its results per document version, so the
 * diagnostics, code lens and code action adapters share one analysis per keystroke.
 * `generation` changes whenever something outside the document (the cross-file index, the
 * settings) can change a result; listeners then re-read every open document.
 */
export class AnalysisService implements vscode.Disposable {
  private readonly analyzer: Analyzer;
  private readonly cache = new Map<string, CacheEntry>();
  /** Document version last given to the index, so a refresh never re-indexes unchanged text. */
  private readonly indexedVersions = new Map<string, number>();
  private generation = 0;
  private seenIndexVersion: number;
  private refreshScheduled = false;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when results of documents other than the one being edited may have changed. */
  readonly onDidChangeAll = this.changed.event;

  constructor(options: AnalyzerOptions) {
    this.analyzer = new Analyzer(options);
    this.seenIndexVersion = this.analyzer.indexVersion;
  }

  isAnalyzable(document: vscode.TextDocument): boolean {
    return LANGUAGES.has(document.languageId) && SCHEMES.has(document.uri.scheme);
  }

  setOptions(options: AnalyzerOptions): void {
    this.analyzer.setOptions(options);
    this.invalidate();
  }

  analyze(document: vscode.TextDocument): DocumentAnalysis {
    const key = document.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === document.version && hit.generation === this.generation) return hit.analysis;
    // The open document's text wins over the file on disk in the cross-file index.
    if (this.indexedVersions.get(key) !== document.version) {
      this.analyzer.indexFile(key, document.getText());
      this.indexedVersions.set(key, document.version);
      this.noteIndexChange();
    }
    const analysis = this.analyzer.analyze(key, document.getText());
    this.cache.set(key, { version: document.version, generation: this.generation, analysis });
    return analysis;
  }

  /** Analyzes a file that is not open (workspace-wide diagnostics); the indexer has indexed it already. */
  analyzeText(uri: vscode.Uri, text: string): DocumentAnalysis {
    return this.analyzer.analyze(uri.toString(), text);
  }

  /** The cross-file index, for core code that queries it (provisioning). */
  get workspaceIndex(): WorkspaceIndex {
    return this.analyzer.workspaceIndex;
  }

  /** ServiceAccounts from the cross-file index (open documents as last analyzed, other files as last read). */
  findServiceAccounts(query: ServiceAccountQuery): ServiceAccountEntry[] {
    return this.analyzer.findServiceAccounts(query);
  }

  /** Indexes a file that is not open (read from disk by the workspace indexer). */
  indexFile(uri: vscode.Uri, text: string): void {
    this.indexedVersions.delete(uri.toString());
    this.analyzer.indexFile(uri.toString(), text);
    this.noteIndexChange();
  }

  /** Indexed files at or below `uri` (a deleted folder is reported once, not per file). */
  indexedUnder(uri: vscode.Uri): vscode.Uri[] {
    const key = uri.toString();
    const prefix = key.endsWith('/') ? key : `${key}/`;
    return this.analyzer
      .indexedUris()
      .filter((u) => u === key || u.startsWith(prefix))
      .map((u) => vscode.Uri.parse(u));
  }

  removeFile(uri: vscode.Uri): void {
    this.analyzer.removeFile(uri.toString());
    this.cache.delete(uri.toString());
    this.indexedVersions.delete(uri.toString());
    this.noteIndexChange();
  }

  /** A closed document no longer overrides its file: the indexer re-reads the file from disk. */
  forget(document: vscode.TextDocument): void {
    this.cache.delete(document.uri.toString());
    this.indexedVersions.delete(document.uri.toString());
  }

  get indexVersion(): number {
    return this.analyzer.indexVersion;
  }

  /** Drops every memoized result and tells listeners to re-read the open documents. */
  invalidate(): void {
    this.generation++;
    this.scheduleRefresh();
  }

  private noteIndexChange(): void {
    const version = this.analyzer.indexVersion;
    if (version === this.seenIndexVersion) return;
    this.seenIndexVersion = version;
    this.generation++;
    this.scheduleRefresh();
  }

  /**
   * Coalesces a burst of index changes (a cold scan indexes hundreds of files) into one refresh,
   * on the next macrotask: the document being typed in is analyzed synchronously by its caller,
   * only the others wait one tick.
   */
  private scheduleRefresh(): void {
    if (this.refreshScheduled) return;
    this.refreshScheduled = true;
    setTimeout(() => {
      this.refreshScheduled = false;
      this.changed.fire();
    }, 0);
  }

  dispose(): void {
    this.changed.dispose();
    this.cache.clear();
  }
}
