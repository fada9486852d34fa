import * as vscode from 'vscode';
import type { AnalysisService } from './analysisService';

const GLOB = '**/*.{yaml,yml,json}';
const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.vscode-test/**}';
/** Generated lock files and bundles are never manifests or trust policies; reading them costs more than it could give. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;
const MAX_FILES = 20_000;
const CHUNK = 32;

/**
 * Keeps the analyzer's cross-file index (ServiceAccounts, AzureIdentities, trust policies) in step
 * with the workspace's files that are not open: a cold scan after activation, off its critical
 * path and yielding between chunks so the extension host stays responsive, then a file watcher.
 * Open documents are indexed from their live text by the AnalysisService instead.
 */
export class WorkspaceIndexer implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private scan: Promise<number> | undefined;
  /** True once the first cold scan has finished: until then "not found" may only mean "not read yet". */
  isReady = false;
  private readonly read = new vscode.EventEmitter<{ readonly uri: vscode.Uri; readonly text: string }>();
  private readonly removed = new vscode.EventEmitter<vscode.Uri>();
  /** A file that is not open was (re-)read from disk into the index. */
  readonly onDidReadFile = this.read.event;
  /** A file left the workspace (deleted, or an untitled editor closed). */
  readonly onDidRemoveFile = this.removed.event;

  constructor(
    private readonly service: AnalysisService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(GLOB);
    this.disposables.push(
      watcher,
      // A folder created (or moved in) with files in it may be reported as the folder alone.
      watcher.onDidCreate((uri) => void this.indexCreated(uri)),
      watcher.onDidChange((uri) => void this.indexUri(uri)),
      // Deleting a folder is reported for the folder alone: drop every indexed file below it too.
      watcher.onDidDelete((uri) => {
        const under = this.service.indexedUnder(uri);
        for (const u of under.length ? under : [uri]) this.remove(u);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        // The closed editor may have held unsaved text; the file on disk is the truth again.
        if (!this.service.isAnalyzable(d)) return;
        if (d.uri.scheme !== 'untitled') void this.indexUri(d.uri);
        else this.remove(d.uri);
      }),
      this.read,
      this.removed,
    );
  }

  private remove(uri: vscode.Uri): void {
    this.service.removeFile(uri);
    this.removed.fire(uri);
  }

  /** Starts the cold scan once (later calls return the same promise); resolves to the number of files read. */
  whenIndexed(): Promise<number> {
    this.scan ??= new Promise<void>((resolve) => setTimeout(resolve, 0))
      .then(() => this.scanWorkspace())
      .finally(() => {
        this.isReady = true;
        // Findings held back while the index was incomplete can now be published.
        this.service.invalidate();
      });
    return this.scan;
  }

  /** Re-reads every file (command `kwi.reindexWorkspace`). */
  reindex(): Promise<number> {
    this.scan = this.scanWorkspace();
    return this.scan;
  }

  private async scanWorkspace(): Promise<number> {
    const started = performance.now();
    const uris = await vscode.workspace.findFiles(GLOB, EXCLUDE, MAX_FILES);
    let read = 0;
    for (let i = 0; i < uris.length && !this.disposed; i += CHUNK) {
      const counts = await Promise.all(uris.slice(i, i + CHUNK).map((uri) => this.indexUri(uri)));
      read += counts.reduce((a, b) => a + b, 0);
      // Let pending editor requests (lenses, completions of other extensions) run between chunks.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.log.info(`indexed ${read} of ${uris.length} workspace files in ${Math.round(performance.now() - started)} ms`);
    return read;
  }

  private async indexCreated(uri: vscode.Uri): Promise<void> {
    let type: vscode.FileType;
    try {
      type = (await vscode.workspace.fs.stat(uri)).type;
    } catch {
      return; // gone again already
    }
    if (!(type & vscode.FileType.Directory)) {
      await this.indexUri(uri);
      return;
    }
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, GLOB), EXCLUDE, MAX_FILES);
    for (let i = 0; i < uris.length && !this.disposed; i += CHUNK) {
      await Promise.all(uris.slice(i, i + CHUNK).map((u) => this.indexUri(u)));
    }
  }

  private async indexUri(uri: vscode.Uri): Promise<number> {
    if (this.disposed || isOpen(uri)) return 0;
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.byteLength > MAX_FILE_BYTES || this.disposed) return 0;
      const text = new TextDecoder().decode(bytes);
      this.service.indexFile(uri, text);
      this.read.fire({ uri, text });
      return 1;
    } catch (err) {
      // Deleted between listing and reading, or unreadable: it simply is not part of the index
      // (any entry from an earlier read goes, e.g. a file closed in an editor after its folder was deleted).
      this.log.debug(`not indexed: ${uri.toString()}: ${err instanceof Error ? err.message : String(err)}`);
      if (!this.disposed && this.service.indexedUnder(uri).some((u) => u.toString() === uri.toString())) {
        this.remove(uri);
      }
      return 0;
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const d of this.disposables) d.dispose();
  }
}

function isOpen(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.workspace.textDocuments.some((d) => d.uri.toString() === key);
}
