import type * as vscode from 'vscode';
import type { ServiceAccountEntry, ServiceAccountQuery, WorkspaceIndex } from '../core/workspaceIndex';
import type { AnalysisService } from './analysisService';
import type { WorkspaceIndexer } from './workspaceIndexer';

/**
 * "Where is ServiceAccount X" for the features outside the analyzer (Reveal Manifest, the
 * explorer's lens, provisioning): answered from the analyzer's cross-file index, the one document
 * model of the window, so no feature reads or parses workspace files again. Open editors count
 * with their live (possibly unsaved) text, as the analyzer sees them.
 */
export class ManifestIndex {
  constructor(
    private readonly service: AnalysisService,
    private readonly indexer: WorkspaceIndexer,
    private readonly openDocuments: () => readonly vscode.TextDocument[],
  ) {}

  /** Waits for the cold scan (a miss before it ends means "not read yet"), then asks the index. */
  async find(query: ServiceAccountQuery): Promise<ServiceAccountEntry[]> {
    await this.indexer.whenIndexed();
    // Editors whose text is not on disk (unsaved changes, untitled) count with their live text;
    // memoized per document version, so this only indexes one changed since its last analysis.
    for (const document of this.openDocuments()) {
      if ((document.isDirty || document.isUntitled) && this.service.isAnalyzable(document)) {
        this.service.analyze(document);
      }
    }
    return this.service.findServiceAccounts(query);
  }

  /** The index itself, current (cold scan done, unsaved editors counted), for core code that queries it (provisioning's manifest edit). */
  async workspaceIndex(): Promise<WorkspaceIndex> {
    await this.find({ name: '' });
    return this.service.workspaceIndex;
  }

  /** The analyzer's lenses of an open document (pod templates with the ServiceAccount they run as). */
  lensesOf(document: vscode.TextDocument): ReturnType<AnalysisService['analyze']>['lenses'] {
    return this.service.isAnalyzable(document) ? this.service.analyze(document).lenses : [];
  }

  /** The ServiceAccounts an open document defines, from its current text. */
  inDocument(document: vscode.TextDocument): ServiceAccountEntry[] {
    if (!this.service.isAnalyzable(document)) return [];
    this.service.analyze(document);
    return this.service.findServiceAccounts({ uri: document.uri.toString() });
  }
}
