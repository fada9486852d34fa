/** One role assignment, flagged when it is risky on a kubelet identity. */
import * as vscode from 'vscode';
import { parseArmId, scopeLabel } from '../../../azure/armId';
import type { RoleAssignmentInfo } from '../../../azure/models';
import type { RoleRisk } from '../../../azure/roleRisk';
import { type ExplorerEnv, ExplorerNode, ICON, portalLinkFor } from './explorerNode';

/** Why a role on a kubelet identity is risky. */
export const RISK_TEXT = (risk: RoleRisk): string =>
  risk === 'broad'
    ? vscode.l10n.t('broad role: every pod on the node pool inherits it')
    : risk === 'dataPlane'
      ? vscode.l10n.t('data-plane role: every pod on the node pool can read or write this data')
      : vscode.l10n.t('lets every pod on the node pool use other identities');

export class RoleAssignmentNode extends ExplorerNode {
  constructor(
    private readonly env: ExplorerEnv,
    parent: ExplorerNode,
    readonly assignment: RoleAssignmentInfo,
    private readonly kubelet: boolean,
  ) {
    super(parent, `ra:${assignment.name || assignment.id}`);
  }
  treeItem(): vscode.TreeItem {
    const a = this.assignment;
    const scope = scopeLabel(a.scope, {
      subscriptionNames: this.env.subscriptionNames(),
      words: {
        subscription: vscode.l10n.t('subscription'),
        resourceGroup: vscode.l10n.t('resource group'),
        managementGroup: vscode.l10n.t('management group'),
        root: vscode.l10n.t('root'),
      },
    });
    const item = this.item(`${a.roleName} @ ${scope}`);
    const flagged = this.kubelet && a.risk;
    item.tooltip = new vscode.MarkdownString().appendText(
      `${a.roleName}\n${a.scope}${flagged ? `\n\n⚠ ${RISK_TEXT(a.risk!)}` : ''}`,
    );
    item.iconPath = flagged ? ICON.warning() : new vscode.ThemeIcon('shield');
    item.contextValue = this.contextValue('roleAssignment', flagged && 'risky');
    return item;
  }
  /** The assignment's scope in the portal; a scope that is no ARM resource (e.g. a role definition path) has no page. */
  override portalLink(): string | undefined {
    return portalLinkFor(
      this.env,
      parseArmId(this.assignment.scope).kind === 'unknown' ? undefined : this.assignment.scope,
    );
  }
}
