/** One kube context: its issuer, the AKS cluster it reaches and its ServiceAccounts. */
import * as vscode from 'vscode';
import { kubeKeys } from '../../../kube/kubeKeys';
import { ErrorNode } from './errorNode';
import { type ExplorerEnv, ExplorerNode } from './explorerNode';
import { InfoNode } from './infoNode';
import { ServiceAccountsNode } from './serviceAccountsNode';

export class KubeContextNode extends ExplorerNode {
  constructor(
    private readonly env: ExplorerEnv,
    parent: ExplorerNode,
    readonly context: string,
    private readonly server: string | undefined,
    private readonly current: boolean,
  ) {
    super(parent, `ctx:${context}`);
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(this.context, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = `${this.current ? `${vscode.l10n.t('current')} · ` : ''}${this.server ?? ''}`;
    item.iconPath = new vscode.ThemeIcon(this.current ? 'vm-active' : 'vm');
    item.contextValue = this.contextValue('kubeContext');
    return item;
  }
  override async children(): Promise<ExplorerNode[]> {
    const issuer = await this.env.kube.issuer(this.context);
    const cluster = await this.env.clusterForContext(this.context);
    const out: ExplorerNode[] = [];
    if (issuer.ok) {
      out.push(
        new InfoNode(this, 'issuer', vscode.l10n.t('OIDC issuer'), {
          description: issuer.value,
          tooltip: issuer.value,
          iconPath: new vscode.ThemeIcon('globe'),
          contextValue: 'issuer',
          copy: { issuer: issuer.value },
        }),
      );
    } else {
      out.push(
        new ErrorNode(this, vscode.l10n.t('the OIDC issuer'), issuer.error, () =>
          this.env.kube.invalidate(kubeKeys.issuer(this.context)),
        ),
      );
    }
    if (cluster) {
      out.push(
        new InfoNode(this, 'aks', vscode.l10n.t('AKS cluster'), {
          description: cluster.name,
          iconPath: new vscode.ThemeIcon('server-environment'),
        }),
      );
    }
    out.push(new ServiceAccountsNode(this.env, this, this.context, issuer.ok ? issuer.value : cluster?.issuerUrl));
    return out;
  }
  override invalidate(): void {
    this.env.kube.invalidate(kubeKeys.issuer(this.context));
    this.env.kube.invalidate(kubeKeys.serviceAccounts(this.context));
  }
}
