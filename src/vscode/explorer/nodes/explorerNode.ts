/**
 * The base of every tree node, the folder shape six of them share, and what nodes need from the
 * explorer (`ExplorerEnv`). Each node knows its tree item, its children and what its actions copy
 * or open; it reads data through the env (the cached Azure and Kubernetes listings). Node files
 * import only pure modules of src/azure; the SDK-backed ones arrive through the env.
 */
import * as vscode from 'vscode';
import { portalUrl } from '../../../azure/armId';
import type { AzureExplorerData } from '../../../azure/explorerData';
import type { KnownIssuer } from '../../../azure/federationMatch';
import type { ClusterInfo } from '../../../azure/models';
import type { SubscriptionInfo } from '../../../azure/subscriptions';
import type { KubeExplorerData } from '../../../kube/kubeData';
import { contextValueOf, type NodeActions, type NodeKind } from '../contextValues';
import type { CopyKind, RevealTarget } from '../nodeActions';

/** What nodes need from the explorer: data, the subscription filter and cross-links. */
export interface ExplorerEnv {
  readonly azure: AzureExplorerData;
  readonly kube: KubeExplorerData;
  /** Portal host when the backend is Azure; undefined for the sandbox. */
  readonly portal?: string;
  readonly tenantId?: string;
  /** The subscriptions the filter shows (loads them if needed). */
  shownSubscriptions(): Promise<SubscriptionInfo[]>;
  subscriptionNames(): ReadonlyMap<string, string>;
  /** Issuers of every shown AKS cluster and kube context, with ServiceAccounts where listable. */
  knownIssuers(): Promise<KnownIssuer[]>;
  /** The kube context that reaches this AKS cluster, if any. */
  contextForCluster(cluster: ClusterInfo): Promise<string | undefined>;
  /** The AKS cluster a kube context reaches, if any. */
  clusterForContext(context: string): Promise<ClusterInfo | undefined>;
}

/** Theme icons with the list's warning, error and pass colours. */
export const ICON = {
  warning: () => new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  error: () => new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  pass: () => new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
};

/** The portal page of an ARM resource, when the backend has a portal (Azure) and the resource an ID. */
export function portalLinkFor(env: ExplorerEnv, id: string | undefined): string | undefined {
  return id && env.portal ? portalUrl(id, env.tenantId, env.portal) : undefined;
}

/** A GUID shortened for a description: first 8 and last 4 characters. */
export const short = (guid: string) => (guid.length > 13 ? `${guid.slice(0, 8)}…${guid.slice(-4)}` : guid);

export abstract class ExplorerNode implements NodeActions {
  constructor(
    readonly parent: ExplorerNode | undefined,
    private readonly key: string,
  ) {}
  get id(): string {
    return this.parent ? `${this.parent.id}/${this.key}` : this.key;
  }
  abstract treeItem(): vscode.TreeItem;
  children(): Promise<ExplorerNode[]> | ExplorerNode[] {
    return [];
  }
  /** Drops what this node's children were loaded from (Refresh on this node). */
  invalidate(): void {}
  /** Refresh offered only where it drops something: on nodes that override invalidate(). */
  get refreshable(): boolean {
    return this.invalidate !== ExplorerNode.prototype.invalidate;
  }
  readonly retryable: boolean = false;
  readonly deletable: boolean = false;
  readonly tenantSignIn: boolean = false;
  /** What Copy … copies; undefined = nothing to copy (and no menu item). */
  copyValue(_kind: CopyKind): string | undefined {
    return undefined;
  }
  /** The Azure portal page Open in Portal opens; undefined = none (sandbox, or no ARM resource). */
  portalLink(): string | undefined {
    return undefined;
  }
  /** What Reveal Manifest looks for in the workspace. */
  revealTarget(): RevealTarget | undefined {
    return undefined;
  }
  /** This node's menu tokens: its kind, the actions it can run, and state tokens. */
  protected contextValue(kind: NodeKind, ...state: Array<string | false | undefined>): string {
    return contextValueOf(this, kind, ...state);
  }
  protected item(
    label: string | vscode.TreeItemLabel,
    collapsible = vscode.TreeItemCollapsibleState.None,
  ): vscode.TreeItem {
    const item = new vscode.TreeItem(label, collapsible);
    item.id = this.id;
    return item;
  }
}

/** What a folder node shows: a collapsed item with a label, an icon, a menu kind and maybe a description. */
export interface Folder {
  label: string;
  icon: string;
  kind: NodeKind;
  description?: string;
}

/** The shape every folder node shares (AKS clusters, identities, credentials, …): only its Folder differs. */
export abstract class FolderNode extends ExplorerNode {
  protected abstract folder(): Folder;
  treeItem(): vscode.TreeItem {
    const f = this.folder();
    const item = this.item(f.label, vscode.TreeItemCollapsibleState.Collapsed);
    if (f.description !== undefined) item.description = f.description;
    item.iconPath = new vscode.ThemeIcon(f.icon);
    item.contextValue = this.contextValue(f.kind);
    return item;
  }
}
