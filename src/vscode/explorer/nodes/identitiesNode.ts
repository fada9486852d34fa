/** The managed identities folder of a subscription, grouped by resource group when there are many. */
import * as vscode from 'vscode';
import { azureKeys } from '../../../azure/explorerKeys';
import { groupByResourceGroup } from '../../../azure/grouping';
import { load } from './errorNode';
import { type ExplorerEnv, type ExplorerNode, type Folder, FolderNode } from './explorerNode';
import { IdentityNode } from './identityNode';
import { InfoNode, scopeNote } from './infoNode';
import { ResourceGroupNode } from './resourceGroupNode';
import type { SubscriptionNode } from './subscriptionNode';

export class IdentitiesNode extends FolderNode {
  constructor(
    private readonly env: ExplorerEnv,
    private readonly sub: SubscriptionNode,
  ) {
    super(sub, 'identities');
  }
  protected folder(): Folder {
    return { label: vscode.l10n.t('Managed identities'), icon: 'person', kind: 'identities' };
  }
  override children(): Promise<ExplorerNode[]> {
    const s = this.sub.subscription.subscriptionId;
    return load(
      this,
      vscode.l10n.t('managed identities'),
      this.env.azure.identityListing(s),
      () => this.invalidate(),
      (listing) => {
        const note = scopeNote(this, listing);
        const ids = listing.items;
        if (!ids.length) {
          return [...note, new InfoNode(this, 'none', vscode.l10n.t('No user-assigned managed identities'))];
        }
        const g = groupByResourceGroup(ids);
        return [
          ...note,
          ...(g.grouped
            ? g.groups.map(([rg, list]) => new ResourceGroupNode(this.env, this, rg, list))
            : g.items.map((i) => new IdentityNode(this.env, this, i))),
        ];
      },
    );
  }
  override invalidate(): void {
    this.env.azure.invalidate(azureKeys.identities(this.sub.subscription.subscriptionId));
  }
}
