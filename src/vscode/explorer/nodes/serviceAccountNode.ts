/** One annotated ServiceAccount and whether a federated credential trusts it. */
import * as vscode from 'vscode';
import { type matchServiceAccount, serviceAccountSubject } from '../../../azure/federationMatch';
import type { FederatedCredentialInfo, IdentityInfo } from '../../../azure/models';
import type { ServiceAccountInfo } from '../../../kube/kubeAccess';
import type { CopyKind, RevealTarget } from '../nodeActions';
import { CLIENT_ID_ANNOTATION } from '../../../core/rules/keys';
import { ExplorerNode, ICON } from './explorerNode';

export class ServiceAccountNode extends ExplorerNode {
  constructor(
    parent: ExplorerNode,
    readonly sa: ServiceAccountInfo,
    readonly status: ReturnType<typeof matchServiceAccount>['status'],
    readonly identity?: IdentityInfo,
    readonly credential?: FederatedCredentialInfo,
  ) {
    super(parent, `sa:${sa.namespace}/${sa.name}`);
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(`${this.sa.namespace}/${this.sa.name}`);
    const text: Record<typeof this.status, string> = {
      matched: vscode.l10n.t('credential matches ({0})', this.identity?.name ?? ''),
      nearMatch: vscode.l10n.t('credential {0} almost matches: check the issuer', this.credential?.name ?? ''),
      noCredential: vscode.l10n.t('no federated credential on {0} trusts it', this.identity?.name ?? ''),
      unknownIdentity: vscode.l10n.t('client ID matches no visible identity'),
      noIssuer: vscode.l10n.t('the cluster has no OIDC issuer'),
      irsa: vscode.l10n.t('IRSA role {0}', this.sa.roleArn ?? ''),
    };
    item.description = text[this.status];
    item.tooltip = new vscode.MarkdownString().appendText(
      [
        serviceAccountSubject(this.sa),
        this.sa.clientId && `${CLIENT_ID_ANNOTATION}: ${this.sa.clientId}`,
        this.sa.roleArn && `eks.amazonaws.com/role-arn: ${this.sa.roleArn}`,
        text[this.status],
      ]
        .filter(Boolean)
        .join('\n'),
    );
    item.iconPath =
      this.status === 'matched' ? ICON.pass() : this.status === 'irsa' ? new vscode.ThemeIcon('info') : ICON.warning();
    item.contextValue = this.contextValue('serviceAccount', `status-${this.status}`);
    return item;
  }
  override revealTarget(): RevealTarget {
    const { namespace, name } = this.sa;
    return { query: { namespace, name }, label: `${namespace}/${name}` };
  }
  override copyValue(kind: CopyKind): string | undefined {
    return kind === 'subject' ? serviceAccountSubject(this.sa) : kind === 'clientId' ? this.sa.clientId : undefined;
  }
}
