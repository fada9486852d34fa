/** A user-assigned managed identity: its federated credentials and role assignments. */
import * as vscode from 'vscode';
import { azureKeys } from '../../../azure/explorerKeys';
import type { IdentityInfo } from '../../../azure/models';
import type { CopyKind, RevealTarget } from '../nodeActions';
import { CredentialsNode } from './credentialsNode';
import { type ExplorerEnv, ExplorerNode, portalLinkFor, short } from './explorerNode';
import { RoleAssignmentsNode } from './roleAssignmentsNode';

export class IdentityNode extends ExplorerNode {
  constructor(
    private readonly env: ExplorerEnv,
    parent: ExplorerNode,
    readonly identity: IdentityInfo,
  ) {
    super(parent, `id:${identity.name}`);
  }
  treeItem(): vscode.TreeItem {
    const i = this.identity;
    const item = this.item(i.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = `${short(i.clientId)} · ${i.resourceGroup}`;
    item.tooltip = new vscode.MarkdownString()
      .appendMarkdown(`**${i.name}**\n\n`)
      .appendText(
        `${vscode.l10n.t('Client ID')}: ${i.clientId}\n${vscode.l10n.t('Principal ID')}: ${i.principalId}\n${vscode.l10n.t('Resource group')}: ${i.resourceGroup} (${i.location})`,
      );
    item.iconPath = new vscode.ThemeIcon('person');
    item.contextValue = this.contextValue('identity');
    return item;
  }
  override children(): ExplorerNode[] {
    return [new CredentialsNode(this.env, this), new RoleAssignmentsNode(this.env, this)];
  }
  override copyValue(kind: CopyKind): string | undefined {
    return kind === 'clientId'
      ? this.identity.clientId
      : kind === 'principalId'
        ? this.identity.principalId
        : undefined;
  }
  override portalLink(): string | undefined {
    return portalLinkFor(this.env, this.identity.id);
  }
  override revealTarget(): RevealTarget {
    return { query: { clientId: this.identity.clientId }, label: this.identity.name };
  }
  override invalidate(): void {
    this.env.azure.invalidate(azureKeys.credentials(this.identity.id));
    this.env.azure.invalidate(azureKeys.roleAssignments(this.identity.subscriptionId, this.identity.principalId));
  }
}
