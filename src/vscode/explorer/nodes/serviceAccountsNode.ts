/** The annotated ServiceAccounts of an AKS cluster's or any kube context, each matched against the identities' credentials. */
import * as vscode from 'vscode';
import { matchServiceAccount } from '../../../azure/federationMatch';
import type { FederatedCredentialInfo } from '../../../azure/models';
import { kubeKeys } from '../../../kube/kubeKeys';
import { load } from './errorNode';
import { type ExplorerEnv, type ExplorerNode, type Folder, FolderNode } from './explorerNode';
import { InfoNode } from './infoNode';
import { ServiceAccountNode } from './serviceAccountNode';

export class ServiceAccountsNode extends FolderNode {
  constructor(
    private readonly env: ExplorerEnv,
    parent: ExplorerNode,
    private readonly context: string,
    private readonly issuer: string | undefined,
  ) {
    super(parent, 'serviceAccounts');
  }
  protected folder(): Folder {
    return {
      label: vscode.l10n.t('Annotated ServiceAccounts'),
      icon: 'symbol-class',
      kind: 'serviceAccounts',
      description: this.context,
    };
  }
  override children(): Promise<ExplorerNode[]> {
    return load(
      this,
      vscode.l10n.t('ServiceAccounts'),
      this.env.kube.serviceAccounts(this.context),
      () => this.invalidate(),
      async (listing) => {
        if (!listing.annotated.length) {
          return [
            new InfoNode(this, 'none', vscode.l10n.t('No ServiceAccount with a workload-identity or IRSA annotation')),
          ];
        }
        const subs = (await this.env.shownSubscriptions()).map((s) => s.subscriptionId);
        return Promise.all(
          listing.annotated.map(async (sa) => {
            const identity = sa.clientId ? await this.env.azure.identityByClientId(subs, sa.clientId) : undefined;
            const creds = identity ? await this.env.azure.credentials(identity.subscriptionId, identity) : undefined;
            const match = matchServiceAccount(
              sa,
              this.issuer,
              identity ? [{ ...identity, credentials: creds?.ok ? creds.value : [] }] : [],
            );
            return new ServiceAccountNode(
              this,
              sa,
              match.status,
              identity,
              match.credential as FederatedCredentialInfo | undefined,
            );
          }),
        );
      },
    );
  }
  override invalidate(): void {
    this.env.kube.invalidate(kubeKeys.serviceAccounts(this.context));
  }
}
