import * as vscode from 'vscode';
import type { ExplorerProvider } from '../explorer/provider';
import type { ManifestIndex } from '../manifestIndex';
import { codeLensEnabled } from '../settings';
import type { LensTarget } from './diagnoseCommand';
import { editorTargets } from './editorTarget';

export const DIAGNOSE_COMMAND = 'kwi.diagnosis.diagnose';

/**
 * "Diagnose" above every ServiceAccount and pod template, once a backend is there (signed in, or
 * the sandbox): like the trust lens, it never signs in or loads the SDKs by itself.
 */
export class DiagnoseLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly provider: ExplorerProvider,
    private readonly manifests: ManifestIndex,
  ) {
    this.subscription = provider.onDidChangeTreeData(() => this.changed.fire());
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!this.provider.hasBackend || !codeLensEnabled()) return [];
    return (await editorTargets(this.manifests, document)).map((t) => {
      const arg: LensTarget = { kwiDiagnose: t.serviceAccount ?? null };
      return new vscode.CodeLens(new vscode.Range(t.line, 0, t.line, 0), {
        title: vscode.l10n.t('$(pulse) Diagnose'),
        tooltip: t.serviceAccount
          ? vscode.l10n.t(
              'Check every link of {0}, down to a real token exchange',
              `${t.serviceAccount.namespace}/${t.serviceAccount.name}`,
            )
          : vscode.l10n.t('Check every link, down to a real token exchange'),
        command: DIAGNOSE_COMMAND,
        arguments: [arg],
      });
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
