/** A tenant whose subscriptions need a session of their own. */
import * as vscode from 'vscode';
import { ExplorerNode } from './explorerNode';

/** A tenant of the account whose subscriptions need a session of their own (VS Code signs in per tenant). */
export class TenantSignInNode extends ExplorerNode {
  override readonly tenantSignIn = true;
  constructor(
    readonly tenantId: string,
    private readonly displayName: string,
  ) {
    super(undefined, `tenant:${tenantId}`);
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(vscode.l10n.t('Sign in to {0} to see its subscriptions', this.displayName));
    item.description = this.tenantId;
    item.iconPath = new vscode.ThemeIcon('sign-in');
    item.contextValue = this.contextValue('tenant');
    item.command = { command: 'kwi.explorer.signInToTenant', title: vscode.l10n.t('Sign in'), arguments: [this] };
    return item;
  }
}
