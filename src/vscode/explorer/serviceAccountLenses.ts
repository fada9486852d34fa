/**
 * From the YAML side: above a ServiceAccount that names a client ID, what the cloud says about
 * it (the identity, and each federated credential for its subject with the cluster it trusts).
 * Shown only once the explorer has a backend (signed in, or the sandbox): a lens never signs in,
 * starts the sandbox or loads the SDKs by itself.
 */
import * as vscode from 'vscode';
import { serviceAccountTrust, type CredentialWarning } from '../../azure/federationMatch';
import { shortWarningText, warningText } from './credentialWarnings';
import { codeLensEnabled } from '../settings';
import type { ManifestIndex } from '../manifestIndex';
import type { ExplorerProvider } from './provider';

export class ServiceAccountTrustLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly provider: ExplorerProvider,
    private readonly manifests: ManifestIndex,
  ) {
    // Anything that changes the tree (refresh, delete, sign-in) can change what the lenses say.
    this.subscription = provider.onDidChangeTreeData(() => this.changed.fire());
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!this.provider.hasBackend || !codeLensEnabled()) return [];
    // From the core's index of this document's live text: no second parse of the file.
    const hits = this.manifests.inDocument(document).flatMap((sa) => {
      const clientId = sa.clientId?.trim();
      return clientId
        ? [
            {
              namespace: sa.namespace,
              name: sa.name,
              clientId,
              objectLine: sa.objectPosition?.line ?? sa.position?.line ?? 0,
            },
          ]
        : [];
    });
    if (!hits.length) return [];
    const env = await this.provider.currentEnv();
    if (!env || token.isCancellationRequested) return [];
    const subs = (await env.shownSubscriptions()).map((s) => s.subscriptionId);
    const known = await env.knownIssuers();
    const lenses: vscode.CodeLens[] = [];
    for (const hit of hits) {
      // On the object's first line, beside the analyzer's own lens for it.
      const range = new vscode.Range(hit.objectLine, 0, hit.objectLine, 0);
      const lens = (title: string, tooltip?: string) =>
        lenses.push(new vscode.CodeLens(range, { title, tooltip, command: 'kwi.explorer.focus' }));
      const identity = await env.azure.identityByClientId(subs, hit.clientId);
      if (!identity) {
        lens(
          vscode.l10n.t(
            '$(warning) Azure: no managed identity with client ID {0} in the shown subscriptions',
            hit.clientId,
          ),
        );
        continue;
      }
      const creds = await env.azure.credentials(identity.subscriptionId, identity);
      if (!creds.ok) continue; // the tree shows the error with its Retry
      const trust = serviceAccountTrust(hit, creds.value, known);
      if (!trust.trusts.length) {
        const near = trust.nearSubjects[0];
        lens(
          near
            ? vscode.l10n.t(
                '$(warning) Azure: {0} trusts "{1}", which differs from {2} only by letter case',
                identity.name,
                near.subject,
                trust.subject,
              )
            : vscode.l10n.t(
                '$(warning) Azure: no federated credential of {0} trusts {1}',
                identity.name,
                trust.subject,
              ),
        );
        continue;
      }
      for (const { credential, match } of trust.trusts) {
        const issuerWarnings = match.warnings.filter(
          (w) => w.kind !== 'serviceAccountNotFound' && w.kind !== 'serviceAccountCase',
        );
        const tooltip = [credential.issuer, ...match.warnings.map((w: CredentialWarning) => warningText(w))].join('\n');
        if (match.issuer && !issuerWarnings.length) {
          lens(
            vscode.l10n.t(
              '$(pass) Azure: {0} · credential {1} trusts cluster {2}',
              identity.name,
              credential.name,
              match.issuer.source,
            ),
            tooltip,
          );
        } else if (match.intended) {
          lens(
            vscode.l10n.t(
              '$(warning) Azure: {0} · credential {1} almost trusts cluster {2}: {3}',
              identity.name,
              credential.name,
              match.intended.source,
              shortWarningText(issuerWarnings[0] ?? match.warnings[0]),
            ),
            tooltip,
          );
        } else {
          lens(
            vscode.l10n.t(
              '$(warning) Azure: {0} · credential {1} trusts an issuer of no known cluster',
              identity.name,
              credential.name,
            ),
            tooltip,
          );
        }
      }
    }
    return lenses;
  }
}
