/** One federated identity credential, with its warnings. */
import * as vscode from 'vscode';
import { type CredentialWarning, parseSubject } from '../../../azure/federationMatch';
import type { FederatedCredentialInfo, IdentityInfo } from '../../../azure/models';
import { warningMarkdown } from '../credentialWarnings';
import type { CopyKind, RevealTarget } from '../nodeActions';
import type { CredentialsNode } from './credentialsNode';
import { ExplorerNode, ICON } from './explorerNode';

export class CredentialNode extends ExplorerNode {
  override readonly deletable = true;
  constructor(
    parent: CredentialsNode,
    readonly identity: IdentityInfo,
    readonly credential: FederatedCredentialInfo,
    readonly warnings: readonly CredentialWarning[],
  ) {
    super(parent, `fic:${credential.name}`);
  }
  treeItem(): vscode.TreeItem {
    const c = this.credential;
    const item = this.item(c.name);
    item.description = c.subject;
    const tip = new vscode.MarkdownString().appendText(
      `${vscode.l10n.t('Issuer')}: ${c.issuer}\n${vscode.l10n.t('Subject')}: ${c.subject}\n${vscode.l10n.t('Audiences')}: ${c.audiences.join(', ')}`,
    );
    for (const w of this.warnings) tip.appendMarkdown(`\n\n⚠ ${warningMarkdown(w)}`);
    item.tooltip = tip;
    item.iconPath = this.warnings.length ? ICON.warning() : new vscode.ThemeIcon('link');
    item.contextValue = this.contextValue('credential', this.warnings.length ? 'warning' : 'ok');
    return item;
  }
  override revealTarget(): RevealTarget | undefined {
    const sa = parseSubject(this.credential.subject);
    return sa ? { query: sa, label: `${sa.namespace}/${sa.name}` } : undefined;
  }
  override copyValue(kind: CopyKind): string | undefined {
    return kind === 'subject' ? this.credential.subject : kind === 'issuer' ? this.credential.issuer : undefined;
  }
}
