/** A subscription: its AKS clusters and managed identities. */
import * as vscode from 'vscode';
import { azureKeys } from '../../../azure/explorerKeys';
import type { SubscriptionInfo } from '../../../azure/subscriptions';
import { ClustersNode } from './clustersNode';
import { type ExplorerEnv, ExplorerNode, portalLinkFor } from './explorerNode';
import { IdentitiesNode } from './identitiesNode';

export class SubscriptionNode extends ExplorerNode {
  constructor(
    private readonly env: ExplorerEnv,
    readonly subscription: SubscriptionInfo,
  ) {
    super(undefined, `sub:${subscription.subscriptionId}`);
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(this.subscription.displayName, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = this.subscription.subscriptionId;
    item.iconPath = new vscode.ThemeIcon('key');
    item.contextValue = this.contextValue('subscription');
    return item;
  }
  override children(): ExplorerNode[] {
    return [new ClustersNode(this.env, this), new IdentitiesNode(this.env, this)];
  }
  override portalLink(): string | undefined {
    return portalLinkFor(this.env, this.subscription.id);
  }
  override invalidate(): void {
    const s = this.subscription.subscriptionId;
    this.env.azure.invalidate(azureKeys.clusters(s));
    this.env.azure.invalidate(azureKeys.identities(s));
  }
}
