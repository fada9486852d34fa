/** A cluster's kubelet (node) identity and the roles every pod on its node pool inherits. */
import * as vscode from 'vscode';
import { scopeLabel } from '../../../azure/armId';
import type { AzureExplorerData } from '../../../azure/explorerData';
import { azureKeys } from '../../../azure/explorerKeys';
import type { ClusterInfo, RoleAssignmentInfo } from '../../../azure/models';
import type { CopyKind } from '../nodeActions';
import { ErrorNode } from './errorNode';
import { type ExplorerEnv, ExplorerNode, ICON, portalLinkFor } from './explorerNode';
import { InfoNode } from './infoNode';
import { RISK_TEXT, RoleAssignmentNode } from './roleAssignmentNode';

export class KubeletNode extends ExplorerNode {
  private constructor(
    private readonly env: ExplorerEnv,
    parent: ExplorerNode,
    private readonly subscriptionId: string,
    private readonly cluster: ClusterInfo,
    private readonly assignments: Awaited<ReturnType<AzureExplorerData['roleAssignments']>>,
  ) {
    super(parent, 'kubelet');
  }
  static async create(
    env: ExplorerEnv,
    parent: ExplorerNode,
    subscriptionId: string,
    cluster: ClusterInfo,
  ): Promise<KubeletNode> {
    // Loaded with the cluster so the flag shows without expanding the node.
    return new KubeletNode(
      env,
      parent,
      subscriptionId,
      cluster,
      await env.azure.roleAssignments(subscriptionId, cluster.kubelet!.objectId!),
    );
  }
  private risky(): RoleAssignmentInfo[] {
    return this.assignments.ok ? this.assignments.value.filter((a) => a.risk) : [];
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(vscode.l10n.t('Kubelet identity'), vscode.TreeItemCollapsibleState.Collapsed);
    const risky = this.risky();
    item.description = risky.length
      ? vscode.l10n.t('{0} risky role(s)', risky.length)
      : (this.cluster.kubelet?.clientId ?? '');
    const tip = new vscode.MarkdownString().appendText(
      `${vscode.l10n.t('Client ID')}: ${this.cluster.kubelet?.clientId ?? ''}\n${vscode.l10n.t('Principal ID')}: ${this.cluster.kubelet?.objectId ?? ''}`,
    );
    for (const a of risky) {
      tip
        .appendMarkdown('\n\n')
        .appendText(
          `⚠ ${a.roleName} @ ${scopeLabel(a.scope, { subscriptionNames: this.env.subscriptionNames() })}: ${RISK_TEXT(a.risk!)}`,
        );
    }
    item.tooltip = tip;
    item.iconPath = risky.length ? ICON.warning() : new vscode.ThemeIcon('vm');
    item.contextValue = this.contextValue('kubelet', risky.length > 0 && 'risky');
    return item;
  }
  override async children(): Promise<ExplorerNode[]> {
    // Read again: a Retry below this node has dropped the cached listing.
    const r = await this.env.azure.roleAssignments(this.subscriptionId, this.cluster.kubelet!.objectId!);
    if (!r.ok) return [new ErrorNode(this, vscode.l10n.t('role assignments'), r.error, () => this.invalidate())];
    if (!r.value.length) return [new InfoNode(this, 'none', vscode.l10n.t('No role assignments'))];
    return r.value.map((a) => new RoleAssignmentNode(this.env, this, a, true));
  }
  override copyValue(kind: CopyKind): string | undefined {
    return kind === 'clientId'
      ? this.cluster.kubelet?.clientId
      : kind === 'principalId'
        ? this.cluster.kubelet?.objectId
        : undefined;
  }
  override portalLink(): string | undefined {
    return portalLinkFor(this.env, this.cluster.kubelet?.resourceId);
  }
  override invalidate(): void {
    this.env.azure.invalidate(azureKeys.roleAssignments(this.subscriptionId, this.cluster.kubelet!.objectId!));
  }
}
