/** The role assignments folder of an identity. */
import * as vscode from 'vscode';
import { azureKeys } from '../../../azure/explorerKeys';
import { load } from './errorNode';
import { type ExplorerEnv, type ExplorerNode, type Folder, FolderNode } from './explorerNode';
import type { IdentityNode } from './identityNode';
import { InfoNode } from './infoNode';
import { RoleAssignmentNode } from './roleAssignmentNode';

export class RoleAssignmentsNode extends FolderNode {
  constructor(
    private readonly env: ExplorerEnv,
    private readonly identityNode: IdentityNode,
  ) {
    super(identityNode, 'roles');
  }
  protected folder(): Folder {
    return { label: vscode.l10n.t('Role assignments'), icon: 'shield', kind: 'roleAssignments' };
  }
  override children(): Promise<ExplorerNode[]> {
    const i = this.identityNode.identity;
    return load(
      this,
      vscode.l10n.t('role assignments'),
      this.env.azure.roleAssignments(i.subscriptionId, i.principalId),
      () => this.invalidate(),
      (list) =>
        list.length
          ? list.map((a) => new RoleAssignmentNode(this.env, this, a, false))
          : [new InfoNode(this, 'none', vscode.l10n.t('No role assignments'))],
    );
  }
  override invalidate(): void {
    const i = this.identityNode.identity;
    this.env.azure.invalidate(azureKeys.roleAssignments(i.subscriptionId, i.principalId));
  }
}
