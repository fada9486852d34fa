/** The AKS clusters folder of a subscription. */
import * as vscode from 'vscode';
import { azureKeys } from '../../../azure/explorerKeys';
import { ClusterNode } from './clusterNode';
import { load } from './errorNode';
import { type ExplorerEnv, type ExplorerNode, type Folder, FolderNode } from './explorerNode';
import { InfoNode, scopeNote } from './infoNode';
import type { SubscriptionNode } from './subscriptionNode';

export class ClustersNode extends FolderNode {
  constructor(
    private readonly env: ExplorerEnv,
    private readonly sub: SubscriptionNode,
  ) {
    super(sub, 'clusters');
  }
  protected folder(): Folder {
    return { label: vscode.l10n.t('AKS clusters'), icon: 'server-environment', kind: 'clusters' };
  }
  override children(): Promise<ExplorerNode[]> {
    const s = this.sub.subscription.subscriptionId;
    return load(
      this,
      vscode.l10n.t('AKS clusters'),
      this.env.azure.clusterListing(s),
      () => this.invalidate(),
      (listing) => [
        ...scopeNote(this, listing),
        ...(listing.items.length
          ? listing.items.map((c) => new ClusterNode(this.env, this, this.sub, c))
          : [new InfoNode(this, 'none', vscode.l10n.t('No AKS clusters'))]),
      ],
    );
  }
  override invalidate(): void {
    this.env.azure.invalidate(azureKeys.clusters(this.sub.subscription.subscriptionId));
  }
}
