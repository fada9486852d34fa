/** A resource group of managed identities. */
import * as vscode from 'vscode';
import type { IdentityInfo } from '../../../azure/models';
import { type ExplorerEnv, ExplorerNode } from './explorerNode';
import { IdentityNode } from './identityNode';

export class ResourceGroupNode extends ExplorerNode {
  constructor(
    private readonly env: ExplorerEnv,
    parent: ExplorerNode,
    private readonly rg: string,
    private readonly ids: readonly IdentityInfo[],
  ) {
    super(parent, `rg:${rg}`);
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(this.rg, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = vscode.l10n.t('{0} identities', this.ids.length);
    item.iconPath = new vscode.ThemeIcon('folder');
    item.contextValue = this.contextValue('resourceGroup');
    return item;
  }
  override children(): ExplorerNode[] {
    return this.ids.map((i) => new IdentityNode(this.env, this, i));
  }
}
