/** The federated credentials folder of an identity, each matched against the known cluster issuers. */
import * as vscode from 'vscode';
import { azureKeys } from '../../../azure/explorerKeys';
import { matchCredential } from '../../../azure/federationMatch';
import { CredentialNode } from './credentialNode';
import { load } from './errorNode';
import { type ExplorerEnv, type ExplorerNode, type Folder, FolderNode } from './explorerNode';
import type { IdentityNode } from './identityNode';
import { InfoNode } from './infoNode';

export class CredentialsNode extends FolderNode {
  constructor(
    private readonly env: ExplorerEnv,
    readonly identityNode: IdentityNode,
  ) {
    super(identityNode, 'fics');
  }
  protected folder(): Folder {
    return { label: vscode.l10n.t('Federated credentials'), icon: 'link', kind: 'credentials' };
  }
  override async children(): Promise<ExplorerNode[]> {
    const identity = this.identityNode.identity;
    const [creds, known] = await Promise.all([
      this.env.azure.credentials(identity.subscriptionId, identity),
      this.env.knownIssuers(),
    ]);
    return load(
      this,
      vscode.l10n.t('federated credentials'),
      Promise.resolve(creds),
      () => this.invalidate(),
      (list) =>
        list.length
          ? list.map((c) => new CredentialNode(this, identity, c, matchCredential(c, known).warnings))
          : [new InfoNode(this, 'none', vscode.l10n.t('No federated credentials'))],
    );
  }
  override invalidate(): void {
    this.env.azure.invalidate(azureKeys.credentials(this.identityNode.identity.id));
  }
}
