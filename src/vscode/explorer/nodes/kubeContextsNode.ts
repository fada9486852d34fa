/** The kube contexts of the kubeconfig. */
import * as vscode from 'vscode';
import { load } from './errorNode';
import { type ExplorerEnv, type ExplorerNode, type Folder, FolderNode } from './explorerNode';
import { InfoNode } from './infoNode';
import { KubeContextNode } from './kubeContextNode';

export class KubeContextsNode extends FolderNode {
  constructor(private readonly env: ExplorerEnv) {
    super(undefined, 'kubeContexts');
  }
  protected folder(): Folder {
    return { label: vscode.l10n.t('Kube contexts'), icon: 'server', kind: 'kubeContexts' };
  }
  override children(): Promise<ExplorerNode[]> {
    return load(
      this,
      vscode.l10n.t('kubeconfig'),
      this.env.kube.kubeconfig(),
      () => this.invalidate(),
      (kc) =>
        kc.contexts.length
          ? kc.contexts.map((c) => new KubeContextNode(this.env, this, c.name, c.server, c.current))
          : [new InfoNode(this, 'none', vscode.l10n.t('No contexts in the kubeconfig'))],
    );
  }
  override invalidate(): void {
    this.env.kube.invalidate();
  }
}
