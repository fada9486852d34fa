/** An AKS cluster: its issuer, workload identity switch, kubelet identity and ServiceAccounts. */
import * as vscode from 'vscode';
import { azureKeys } from '../../../azure/explorerKeys';
import type { ClusterInfo } from '../../../azure/models';
import { ContextValues } from '../contextValues';
import type { CopyKind } from '../nodeActions';
import { type ExplorerEnv, ExplorerNode, ICON, portalLinkFor } from './explorerNode';
import { InfoNode } from './infoNode';
import { KubeletNode } from './kubeletNode';
import { ServiceAccountsNode } from './serviceAccountsNode';
import type { SubscriptionNode } from './subscriptionNode';

/** What a cluster without the OIDC issuer or workload identity means on Azure. */
const NO_ISSUER_TEXT = (): string =>
  vscode.l10n.t(
    'Without the OIDC issuer and workload identity, pods on this cluster get no federated token: the webhook injects no AZURE_FEDERATED_TOKEN_FILE, and a federated credential naming this cluster cannot be verified by Entra ID (AADSTS90061).',
  );

export class ClusterNode extends ExplorerNode {
  constructor(
    private readonly env: ExplorerEnv,
    parent: ExplorerNode,
    private readonly sub: SubscriptionNode,
    readonly cluster: ClusterInfo,
  ) {
    super(parent, `cluster:${cluster.name}`);
  }
  treeItem(): vscode.TreeItem {
    const c = this.cluster;
    const item = this.item(c.name, vscode.TreeItemCollapsibleState.Collapsed);
    const issuer = c.issuerUrl ? vscode.l10n.t('issuer on') : vscode.l10n.t('no issuer');
    const wi = c.workloadIdentityEnabled
      ? vscode.l10n.t('workload identity on')
      : vscode.l10n.t('workload identity off');
    item.description = `${issuer} · ${wi}`;
    const tooltip = new vscode.MarkdownString()
      .appendMarkdown(`**${c.name}** (${c.resourceGroup}, ${c.location})\n\n`)
      .appendText(`${vscode.l10n.t('OIDC issuer')}: ${c.issuerUrl ?? vscode.l10n.t('not enabled')}\n`)
      .appendText(
        `${vscode.l10n.t('Workload identity')}: ${c.workloadIdentityEnabled ? vscode.l10n.t('enabled') : vscode.l10n.t('disabled')}`,
      );
    if (!c.issuerUrl || !c.workloadIdentityEnabled) tooltip.appendMarkdown('\n\n').appendText(`⚠ ${NO_ISSUER_TEXT()}`);
    item.tooltip = tooltip;
    item.iconPath =
      c.issuerUrl && c.workloadIdentityEnabled ? new vscode.ThemeIcon('server-environment') : ICON.warning();
    item.contextValue = this.contextValue(
      'cluster',
      (!c.issuerUrl || !c.workloadIdentityEnabled) && ContextValues.enableWorkloadIdentity,
      c.workloadIdentityEnabled && ContextValues.disableWorkloadIdentity,
    );
    return item;
  }
  override async children(): Promise<ExplorerNode[]> {
    const c = this.cluster;
    const out: ExplorerNode[] = [
      new InfoNode(this, 'issuer', vscode.l10n.t('OIDC issuer'), {
        description: c.issuerUrl ?? vscode.l10n.t('not enabled'),
        tooltip: c.issuerUrl ?? NO_ISSUER_TEXT(),
        iconPath: c.issuerUrl ? new vscode.ThemeIcon('globe') : ICON.warning(),
        contextValue: 'issuer',
        copy: { issuer: c.issuerUrl },
      }),
      new InfoNode(this, 'wi', vscode.l10n.t('Workload identity'), {
        description: c.workloadIdentityEnabled ? vscode.l10n.t('enabled') : vscode.l10n.t('disabled'),
        iconPath: c.workloadIdentityEnabled ? ICON.pass() : new vscode.ThemeIcon('circle-slash'),
        contextValue: 'workloadIdentity',
      }),
    ];
    const [kubelet, context] = await Promise.all([
      c.kubelet?.objectId ? KubeletNode.create(this.env, this, this.sub.subscription.subscriptionId, c) : undefined,
      this.env.contextForCluster(c),
    ]);
    if (kubelet) out.push(kubelet);
    if (context) out.push(new ServiceAccountsNode(this.env, this, context, c.issuerUrl));
    return out;
  }
  override copyValue(kind: CopyKind): string | undefined {
    return kind === 'issuer' ? this.cluster.issuerUrl : undefined;
  }
  override portalLink(): string | undefined {
    return portalLinkFor(this.env, this.cluster.id);
  }
  override invalidate(): void {
    this.env.azure.invalidate(azureKeys.clusters(this.sub.subscription.subscriptionId));
  }
}
