/** A failed listing in the tree, and the loader that shows one in place of a listing's items. */
import * as vscode from 'vscode';
import type { AzureError } from '../../../azure/errors';
import type { KubeError } from '../../../kube/kubeAccess';
import { ExplorerNode, ICON } from './explorerNode';

/** A failed listing, shown where its results would be, with the reason and a Retry action. */
export class ErrorNode extends ExplorerNode {
  override readonly retryable = true;
  constructor(
    parent: ExplorerNode | undefined,
    private readonly what: string,
    private readonly error: AzureError | KubeError,
    readonly retry: () => void,
  ) {
    super(parent, `error:${what}`);
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(vscode.l10n.t('Could not load {0}', this.what));
    item.description = errorReason(this.error);
    item.tooltip = new vscode.MarkdownString().appendText(`${errorReason(this.error)}\n\n${this.error.message}`);
    item.iconPath = ICON.error();
    item.contextValue = this.contextValue('error');
    return item;
  }
}

export function errorReason(e: AzureError | KubeError): string {
  switch (e.kind) {
    case 'forbidden':
      return vscode.l10n.t('no permission to read this');
    case 'throttled':
      return vscode.l10n.t('throttled by Azure; retry in a moment');
    case 'expiredSession':
      return vscode.l10n.t('session expired or not signed in');
    case 'network':
    case 'unreachable':
      return vscode.l10n.t('network error');
    case 'notFound':
      return vscode.l10n.t('not found');
    case 'server':
      return vscode.l10n.t('the service failed');
    case 'unauthorized':
      return vscode.l10n.t('the cluster refused the credentials');
    case 'libraryUnavailable':
      return vscode.l10n.t('the Kubernetes client could not load');
    case 'invalidConfig':
      return vscode.l10n.t('the kubeconfig could not be read');
    default:
      return vscode.l10n.t('unexpected error');
  }
}

/** Loads a listing and turns a failure into an error item (with Retry dropping that listing). */
export async function load<T>(
  parent: ExplorerNode,
  what: string,
  promise: Promise<{ ok: true; value: T } | { ok: false; error: AzureError | KubeError }>,
  retry: () => void,
  build: (value: T) => ExplorerNode[] | Promise<ExplorerNode[]>,
): Promise<ExplorerNode[]> {
  const r = await promise;
  return r.ok ? build(r.value) : [new ErrorNode(parent, what, r.error, retry)];
}
