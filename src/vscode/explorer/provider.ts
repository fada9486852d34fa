/**
 * The explorer's TreeDataProvider. It owns the backend (created on first expansion, through a
 * dynamic import so activation never loads the Azure SDKs) and the cross-links between AKS
 * clusters and kube contexts that the nodes read through `ExplorerEnv`.
 */
import * as vscode from 'vscode';
import type { KnownIssuer } from '../../azure/federationMatch';
import type { ClusterInfo } from '../../azure/models';
import type { SubscriptionInfo } from '../../azure/subscriptions';
import type { Backend, BackendOptions, BackendResult } from './backend';
import { ErrorNode } from './nodes/errorNode';
import type { ExplorerEnv, ExplorerNode } from './nodes/explorerNode';
import { rootNodes } from './nodes/rootNodes';

export const VIEW_ID = 'kwi.explorer';
export const STATE_KEY = 'kwi.explorer.state';

interface Links {
  readonly clusters: ClusterInfo[];
  readonly byContext: Map<string, ClusterInfo>;
  readonly contextByCluster: Map<string, string>;
  readonly contextIssuers: Map<string, string>;
}

class Env implements ExplorerEnv {
  private links?: Promise<Links>;
  private issuers?: Promise<KnownIssuer[]>;
  private names = new Map<string, string>();

  constructor(
    private readonly backend: Backend,
    private readonly filter: () => readonly string[] | undefined,
  ) {}

  get azure() {
    return this.backend.azure;
  }
  get kube() {
    return this.backend.kube;
  }
  get portal() {
    return this.backend.portal;
  }
  get tenantId() {
    return this.backend.tenantId;
  }

  async shownSubscriptions(): Promise<SubscriptionInfo[]> {
    const r = await this.azure.subscriptions();
    if (!r.ok) return [];
    this.names = new Map(r.value.map((s) => [s.subscriptionId.toLowerCase(), s.displayName]));
    const f = this.filter();
    const shown = f ? r.value.filter((s) => f.includes(s.subscriptionId)) : r.value;
    // A remembered filter naming only subscriptions that are gone would hide everything: show all.
    return shown.length || !f?.length ? shown : r.value;
  }

  subscriptionNames(): ReadonlyMap<string, string> {
    return this.names;
  }

  private computeLinks(): Promise<Links> {
    this.links ??= (async () => {
      const subs = await this.shownSubscriptions();
      const clusters = (await Promise.all(subs.map((s) => this.azure.clusters(s.subscriptionId)))).flatMap((r) =>
        r.ok ? r.value : [],
      );
      const kc = await this.kube.kubeconfig();
      const contexts = kc.ok ? kc.value.contexts : [];
      const contextIssuers = new Map((await this.kube.issuers()).map((x) => [x.context, x.issuer]));
      const byContext = new Map<string, ClusterInfo>();
      const contextByCluster = new Map<string, string>();
      for (const ctx of contexts) {
        // The issuer identifies a cluster for sure; `az aks get-credentials` names the context after the cluster otherwise.
        const issuer = contextIssuers.get(ctx.name);
        const cluster =
          (issuer && clusters.find((c) => c.issuerUrl === issuer)) ||
          clusters.find((c) => c.name === ctx.name || c.name === ctx.cluster);
        if (!cluster) continue;
        byContext.set(ctx.name, cluster);
        if (!contextByCluster.has(cluster.id.toLowerCase())) contextByCluster.set(cluster.id.toLowerCase(), ctx.name);
      }
      return { clusters, byContext, contextByCluster, contextIssuers };
    })();
    return this.links;
  }

  async contextForCluster(cluster: ClusterInfo): Promise<string | undefined> {
    return (await this.computeLinks()).contextByCluster.get(cluster.id.toLowerCase());
  }

  async clusterForContext(context: string): Promise<ClusterInfo | undefined> {
    return (await this.computeLinks()).byContext.get(context);
  }

  knownIssuers(): Promise<KnownIssuer[]> {
    this.issuers ??= (async () => {
      const links = await this.computeLinks();
      const sas = async (context: string | undefined) => {
        if (!context) return undefined;
        const r = await this.kube.serviceAccounts(context);
        // A namespace-only listing cannot prove a ServiceAccount absent elsewhere.
        return r.ok && !r.value.namespaceOnly ? r.value.all : undefined;
      };
      const out: KnownIssuer[] = [];
      for (const c of links.clusters) {
        if (c.issuerUrl) {
          out.push({
            issuer: c.issuerUrl,
            source: c.name,
            serviceAccounts: await sas(links.contextByCluster.get(c.id.toLowerCase())),
          });
        }
      }
      // Contexts of non-AKS clusters (EKS, kind…) bring their own issuer; an AKS cluster's comes from ARM.
      for (const [context, issuer] of links.contextIssuers) {
        if (links.byContext.has(context) || out.some((k) => k.issuer === issuer)) continue;
        out.push({ issuer, source: context, serviceAccounts: await sas(context) });
      }
      return out;
    })();
    return this.issuers;
  }

  /** Cross-links are derived from listings: recompute them after any refresh. */
  resetDerived(): void {
    this.links = undefined;
    this.issuers = undefined;
  }
}

export class ExplorerProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly resolved = new vscode.EventEmitter<string | undefined>();
  /** Fires with the backend's label (account, sandbox address) whenever a backend is (re)created. */
  readonly onDidResolveBackend = this.resolved.event;
  private backend?: Promise<BackendResult>;
  private env?: Env;
  private loading = 0;
  private backendLoaded = false;

  constructor(
    private readonly options: () => BackendOptions,
    private readonly filter: () => readonly string[] | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  dispose(): void {
    this.changed.dispose();
    this.resolved.dispose();
    // Only a backend that was loaded can have started the sandbox.
    if (this.backendLoaded) void import('./backend').then((b) => b.stopSandbox());
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return node.treeItem();
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return node.parent;
  }

  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    return this.withProgress(async () => {
      try {
        if (node) return await node.children();
        const b = await this.currentBackend();
        if (!b.ok) {
          if (b.signedOut) {
            await this.setState('signedOut');
            return []; // the welcome view (viewsWelcome) shows the Sign in button
          }
          await this.setState('error');
          return [new ErrorNode(undefined, vscode.l10n.t('the explorer'), b.error, () => this.reset())];
        }
        await this.setState('ready');
        return await rootNodes(this.env!);
      } catch (e) {
        // Nodes return errors as items; anything thrown here is a bug, shown rather than swallowed.
        this.log.error(`explorer: ${(e as Error)?.stack ?? String(e)}`);
        return [
          new ErrorNode(
            node,
            vscode.l10n.t('this item'),
            { kind: 'unknown', message: (e as Error)?.message ?? String(e) },
            () => undefined,
          ),
        ];
      }
    });
  }

  private withProgress<T>(task: () => Promise<T>): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress({ location: { viewId: VIEW_ID } }, async () => {
        this.loading++;
        try {
          return await task();
        } finally {
          this.loading--;
        }
      }),
    );
  }

  /** A backend exists (the view was opened): code lenses may consult it without loading anything. */
  get hasBackend(): boolean {
    return this.backend !== undefined;
  }

  get isLoading(): boolean {
    return this.loading > 0;
  }

  /** The backend, created on first use. Exposed for commands (delete) and tests. */
  currentBackend(): Promise<BackendResult> {
    this.backend ??= (async () => {
      const { createBackend } = await import('./backend');
      this.backendLoaded = true;
      const r = await createBackend(this.options());
      if (r.ok) this.env = new Env(r.backend, this.filter);
      this.resolved.fire(r.ok ? r.backend.label : undefined);
      return r;
    })();
    return this.backend;
  }

  async currentEnv(): Promise<ExplorerEnv | undefined> {
    const b = await this.currentBackend();
    return b.ok ? this.env : undefined;
  }

  /** Refresh: one node (drops what it was loaded from) or everything. */
  refresh(node?: ExplorerNode): void {
    if (node) node.invalidate();
    else {
      this.env?.azure.invalidate();
      this.env?.kube.invalidate();
    }
    this.env?.resetDerived();
    // From the parent: a node's own label can summarise what it loads (the kubelet's risky roles).
    this.changed.fire(node?.parent);
  }

  /** Forget the backend (sign-in change, `kwi.backend`/`kwi.auth` change) and reload. */
  reset(): void {
    this.backend = undefined;
    this.env = undefined;
    this.changed.fire(undefined);
  }

  /** Re-render without dropping caches (e.g. after the subscription filter changed). */
  rerender(node?: ExplorerNode): void {
    this.env?.resetDerived();
    this.changed.fire(node);
  }

  private async setState(state: 'signedOut' | 'ready' | 'error'): Promise<void> {
    await vscode.commands.executeCommand('setContext', STATE_KEY, state);
  }
}
