/**
 * Tree nodes. Each node knows its tree item, its children and what its actions copy or open; it
 * reads data through the `ExplorerEnv` (the cached Azure and Kubernetes listings). Only pure
 * modules of src/azure are imported here; the SDK-backed ones arrive through the env.
 */
import * as vscode from 'vscode';
import { parseArmId, portalUrl, scopeLabel } from '../../azure/armId';
import type { AzureError } from '../../azure/errors';
import type { AzureExplorerData } from '../../azure/explorerData';
import { azureKeys } from '../../azure/explorerKeys';
import { groupByResourceGroup } from '../../azure/grouping';
import {
  matchCredential,
  matchServiceAccount,
  parseSubject,
  serviceAccountSubject,
  type CredentialWarning,
  type KnownIssuer,
} from '../../azure/federationMatch';
import type { ClusterInfo, FederatedCredentialInfo, IdentityInfo, RoleAssignmentInfo } from '../../azure/models';
import type { RoleRisk } from '../../azure/roleRisk';
import type { ScopedListing } from '../../azure/scopedListing';
import type { SubscriptionInfo } from '../../azure/subscriptions';
import type { KubeError, ServiceAccountInfo } from '../../kube/kubeAccess';
import type { KubeExplorerData } from '../../kube/kubeData';
import { kubeKeys } from '../../kube/kubeKeys';
import { ContextValues, contextValueOf, type NodeActions, type NodeKind } from './contextValues';
import type { CopyKind, RevealTarget } from './nodeActions';

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

const ICON = {
  warning: () => new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  error: () => new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  pass: () => new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
};

/** The portal page of an ARM resource, when the backend has a portal (Azure) and the resource an ID. */
function portalLinkFor(env: ExplorerEnv, id: string | undefined): string | undefined {
  return id && env.portal ? portalUrl(id, env.tenantId, env.portal) : undefined;
}
const short = (guid: string) => (guid.length > 13 ? `${guid.slice(0, 8)}…${guid.slice(-4)}` : guid);

export abstract class ExplorerNode implements NodeActions {
  constructor(readonly parent: ExplorerNode | undefined, private readonly key: string) {}
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
  protected item(label: string | vscode.TreeItemLabel, collapsible = vscode.TreeItemCollapsibleState.None): vscode.TreeItem {
    const item = new vscode.TreeItem(label, collapsible);
    item.id = this.id;
    return item;
  }
}

/** A failed listing, shown where its results would be, with the reason and a Retry action. */
export class ErrorNode extends ExplorerNode {
  override readonly retryable = true;
  constructor(parent: ExplorerNode | undefined, private readonly what: string, private readonly error: AzureError | KubeError, readonly retry: () => void) {
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
    case 'forbidden': return vscode.l10n.t('no permission to read this');
    case 'throttled': return vscode.l10n.t('throttled by Azure; retry in a moment');
    case 'expiredSession': return vscode.l10n.t('session expired or not signed in');
    case 'network': case 'unreachable': return vscode.l10n.t('network error');
    case 'notFound': return vscode.l10n.t('not found');
    case 'server': return vscode.l10n.t('the service failed');
    case 'unauthorized': return vscode.l10n.t('the cluster refused the credentials');
    case 'libraryUnavailable': return vscode.l10n.t('the Kubernetes client could not load');
    case 'invalidConfig': return vscode.l10n.t('the kubeconfig could not be read');
    default: return vscode.l10n.t('unexpected error');
  }
}

class InfoNode extends ExplorerNode {
  constructor(parent: ExplorerNode, key: string, private readonly label: string, private readonly props: Omit<Partial<vscode.TreeItem>, 'contextValue'> & { contextValue?: NodeKind; copy?: Partial<Record<CopyKind, string>> } = {}) {
    super(parent, key);
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(this.label);
    const { copy: _copy, contextValue: kind, ...rest } = this.props;
    Object.assign(item, rest);
    if (kind) item.contextValue = this.contextValue(kind);
    return item;
  }
  override copyValue(kind: CopyKind): string | undefined {
    return this.props.copy?.[kind];
  }
}

/** Loads a listing and turns a failure into an error item (with Retry dropping that listing). */
async function load<T>(
  parent: ExplorerNode,
  what: string,
  promise: Promise<{ ok: true; value: T } | { ok: false; error: AzureError | KubeError }>,
  retry: () => void,
  build: (value: T) => ExplorerNode[] | Promise<ExplorerNode[]>,
): Promise<ExplorerNode[]> {
  const r = await promise;
  return r.ok ? build(r.value) : [new ErrorNode(parent, what, r.error, retry)];
}

/**
 * When a listing was assembled group by group (no subscription-wide read role, only roles on some
 * resource groups), says so above its items, so a short list is not mistaken for the whole one.
 */
function scopeNote(parent: ExplorerNode, listing: ScopedListing<unknown>): ExplorerNode[] {
  if (listing.scope !== 'resourceGroups') return [];
  const tip = [
    vscode.l10n.t('You may not list these across the whole subscription, so each resource group you can see was listed on its own. Resources in other groups are not shown.'),
    listing.groupsSkipped ? vscode.l10n.t('{0} resource group(s) you can see refused the listing.', listing.groupsSkipped) : '',
  ].filter(Boolean).join('\n\n');
  return [new InfoNode(parent, 'scope', vscode.l10n.t('Listed from {0} resource group(s) you can read', listing.groupsRead), {
    tooltip: tip,
    iconPath: new vscode.ThemeIcon('info'),
    contextValue: 'scopeNote',
  })];
}

// ─── Root ────────────────────────────────────────────────────────────────────────────────────

export function rootNodes(env: ExplorerEnv): Promise<ExplorerNode[]> {
  return (async () => {
    const r = await env.azure.subscriptions();
    const kube = new KubeContextsNode(env);
    if (!r.ok) return [new ErrorNode(undefined, vscode.l10n.t('subscriptions'), r.error, () => env.azure.invalidate(azureKeys.subscriptions())), kube];
    const shown = await env.shownSubscriptions();
    const signIn = env.azure.tenantsNeedingSignIn().map((t) => new TenantSignInNode(t.tenantId, t.displayName));
    return [...shown.map((s) => new SubscriptionNode(env, s)), ...signIn, kube];
  })();
}

/** A tenant of the account whose subscriptions need a session of their own (VS Code signs in per tenant). */
export class TenantSignInNode extends ExplorerNode {
  override readonly tenantSignIn = true;
  constructor(readonly tenantId: string, private readonly displayName: string) {
    super(undefined, `tenant:${tenantId}`);
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(vscode.l10n.t('Sign in to {0} to see its subscriptions', this.displayName));
    item.description = this.tenantId;
    item.iconPath = new vscode.ThemeIcon('sign-in');
    item.contextValue = this.contextValue('tenant');
    item.command = { command: 'kwi.explorer.signInToTenant', title: vscode.l10n.t('Sign in'), arguments: [this] };
    return item;
  }
}

export class SubscriptionNode extends ExplorerNode {
  constructor(private readonly env: ExplorerEnv, readonly subscription: SubscriptionInfo) {
    super(undefined, `sub:${subscription.subscriptionId}`);
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(this.subscription.displayName, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = this.subscription.subscriptionId;
    item.iconPath = new vscode.ThemeIcon('key');
    item.contextValue = this.contextValue('subscription');
    return item;
  }
  override children(): ExplorerNode[] {
    return [new ClustersNode(this.env, this), new IdentitiesNode(this.env, this)];
  }
  override portalLink(): string | undefined {
    return portalLinkFor(this.env, this.subscription.id);
  }
  override invalidate(): void {
    const s = this.subscription.subscriptionId;
    this.env.azure.invalidate(azureKeys.clusters(s));
    this.env.azure.invalidate(azureKeys.identities(s));
  }
}

// ─── AKS clusters ───────────────────────────────────────────────────────────────────────────

class ClustersNode extends ExplorerNode {
  constructor(private readonly env: ExplorerEnv, private readonly sub: SubscriptionNode) {
    super(sub, 'clusters');
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(vscode.l10n.t('AKS clusters'), vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = new vscode.ThemeIcon('server-environment');
    item.contextValue = this.contextValue('clusters');
    return item;
  }
  override children(): Promise<ExplorerNode[]> {
    const s = this.sub.subscription.subscriptionId;
    return load(this, vscode.l10n.t('AKS clusters'), this.env.azure.clusterListing(s), () => this.invalidate(), (listing) => [
      ...scopeNote(this, listing),
      ...(listing.items.length
        ? listing.items.map((c) => new ClusterNode(this.env, this, this.sub, c))
        : [new InfoNode(this, 'none', vscode.l10n.t('No AKS clusters'))]),
    ]);
  }
  override invalidate(): void {
    this.env.azure.invalidate(azureKeys.clusters(this.sub.subscription.subscriptionId));
  }
}

export class ClusterNode extends ExplorerNode {
  constructor(private readonly env: ExplorerEnv, parent: ExplorerNode, private readonly sub: SubscriptionNode, readonly cluster: ClusterInfo) {
    super(parent, `cluster:${cluster.name}`);
  }
  treeItem(): vscode.TreeItem {
    const c = this.cluster;
    const item = this.item(c.name, vscode.TreeItemCollapsibleState.Collapsed);
    const issuer = c.issuerUrl ? vscode.l10n.t('issuer on') : vscode.l10n.t('no issuer');
    const wi = c.workloadIdentityEnabled ? vscode.l10n.t('workload identity on') : vscode.l10n.t('workload identity off');
    item.description = `${issuer} · ${wi}`;
    const tooltip = new vscode.MarkdownString()
      .appendMarkdown(`**${c.name}** (${c.resourceGroup}, ${c.location})\n\n`)
      .appendText(`${vscode.l10n.t('OIDC issuer')}: ${c.issuerUrl ?? vscode.l10n.t('not enabled')}\n`)
      .appendText(`${vscode.l10n.t('Workload identity')}: ${c.workloadIdentityEnabled ? vscode.l10n.t('enabled') : vscode.l10n.t('disabled')}`);
    if (!c.issuerUrl || !c.workloadIdentityEnabled) tooltip.appendMarkdown('\n\n').appendText(`⚠ ${NO_ISSUER_TEXT()}`);
    item.tooltip = tooltip;
    item.iconPath = c.issuerUrl && c.workloadIdentityEnabled ? new vscode.ThemeIcon('server-environment') : ICON.warning();
    item.contextValue = this.contextValue('cluster',
      (!c.issuerUrl || !c.workloadIdentityEnabled) && ContextValues.enableWorkloadIdentity,
      c.workloadIdentityEnabled && ContextValues.disableWorkloadIdentity);
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

const RISK_TEXT = (risk: RoleRisk): string =>
  risk === 'broad' ? vscode.l10n.t('broad role: every pod on the node pool inherits it')
    : risk === 'dataPlane' ? vscode.l10n.t('data-plane role: every pod on the node pool can read or write this data')
      : vscode.l10n.t('lets every pod on the node pool use other identities');

class KubeletNode extends ExplorerNode {
  private constructor(
    private readonly env: ExplorerEnv,
    parent: ExplorerNode,
    private readonly subscriptionId: string,
    private readonly cluster: ClusterInfo,
    private readonly assignments: Awaited<ReturnType<AzureExplorerData['roleAssignments']>>,
  ) {
    super(parent, 'kubelet');
  }
  static async create(env: ExplorerEnv, parent: ExplorerNode, subscriptionId: string, cluster: ClusterInfo): Promise<KubeletNode> {
    // Loaded with the cluster so the flag shows without expanding the node.
    return new KubeletNode(env, parent, subscriptionId, cluster, await env.azure.roleAssignments(subscriptionId, cluster.kubelet!.objectId!));
  }
  private risky(): RoleAssignmentInfo[] {
    return this.assignments.ok ? this.assignments.value.filter((a) => a.risk) : [];
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(vscode.l10n.t('Kubelet identity'), vscode.TreeItemCollapsibleState.Collapsed);
    const risky = this.risky();
    item.description = risky.length
      ? vscode.l10n.t('{0} risky role(s)', risky.length)
      : this.cluster.kubelet?.clientId ?? '';
    const tip = new vscode.MarkdownString().appendText(
      `${vscode.l10n.t('Client ID')}: ${this.cluster.kubelet?.clientId ?? ''}\n${vscode.l10n.t('Principal ID')}: ${this.cluster.kubelet?.objectId ?? ''}`,
    );
    for (const a of risky) tip.appendMarkdown('\n\n').appendText(`⚠ ${a.roleName} @ ${scopeLabel(a.scope, { subscriptionNames: this.env.subscriptionNames() })}: ${RISK_TEXT(a.risk!)}`);
    item.tooltip = tip;
    item.iconPath = risky.length ? ICON.warning() : new vscode.ThemeIcon('vm');
    item.contextValue = this.contextValue('kubelet', risky.length > 0 && 'risky');
    return item;
  }
  override async children(): Promise<ExplorerNode[]> {
    // Read again: a Retry below this node has dropped the cached listing.
    const r = await this.env.azure.roleAssignments(this.subscriptionId, this.cluster.kubelet!.objectId!);
    if (!r.ok) return [new ErrorNode(this, vscode.l10n.t('role assignments'), r.error, () => this.invalidate())];
    if (!r.value.length) return [new InfoNode(this, 'none', vscode.l10n.t('No role assignments'))];
    return r.value.map((a) => new RoleAssignmentNode(this.env, this, a, true));
  }
  override copyValue(kind: CopyKind): string | undefined {
    return kind === 'clientId' ? this.cluster.kubelet?.clientId : kind === 'principalId' ? this.cluster.kubelet?.objectId : undefined;
  }
  override portalLink(): string | undefined {
    return portalLinkFor(this.env, this.cluster.kubelet?.resourceId);
  }
  override invalidate(): void {
    this.env.azure.invalidate(azureKeys.roleAssignments(this.subscriptionId, this.cluster.kubelet!.objectId!));
  }
}

// ─── ServiceAccounts (of an AKS cluster's or any kube context) ──────────────────────────────

class ServiceAccountsNode extends ExplorerNode {
  constructor(private readonly env: ExplorerEnv, parent: ExplorerNode, private readonly context: string, private readonly issuer: string | undefined) {
    super(parent, 'serviceAccounts');
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(vscode.l10n.t('Annotated ServiceAccounts'), vscode.TreeItemCollapsibleState.Collapsed);
    item.description = this.context;
    item.iconPath = new vscode.ThemeIcon('symbol-class');
    item.contextValue = this.contextValue('serviceAccounts');
    return item;
  }
  override children(): Promise<ExplorerNode[]> {
    return load(this, vscode.l10n.t('ServiceAccounts'), this.env.kube.serviceAccounts(this.context), () => this.invalidate(), async (listing) => {
      if (!listing.annotated.length) return [new InfoNode(this, 'none', vscode.l10n.t('No ServiceAccount with a workload-identity or IRSA annotation'))];
      const subs = (await this.env.shownSubscriptions()).map((s) => s.subscriptionId);
      return Promise.all(listing.annotated.map(async (sa) => {
        const identity = sa.clientId ? await this.env.azure.identityByClientId(subs, sa.clientId) : undefined;
        const creds = identity ? await this.env.azure.credentials(identity.subscriptionId, identity) : undefined;
        const match = matchServiceAccount(sa, this.issuer, identity ? [{ ...identity, credentials: creds?.ok ? creds.value : [] }] : []);
        return new ServiceAccountNode(this, sa, match.status, identity, match.credential as FederatedCredentialInfo | undefined);
      }));
    });
  }
  override invalidate(): void {
    this.env.kube.invalidate(kubeKeys.serviceAccounts(this.context));
  }
}

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
      [serviceAccountSubject(this.sa), this.sa.clientId && `azure.workload.identity/client-id: ${this.sa.clientId}`, this.sa.roleArn && `eks.amazonaws.com/role-arn: ${this.sa.roleArn}`, text[this.status]]
        .filter(Boolean).join('\n'),
    );
    item.iconPath = this.status === 'matched' ? ICON.pass() : this.status === 'irsa' ? new vscode.ThemeIcon('info') : ICON.warning();
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

// ─── Managed identities ─────────────────────────────────────────────────────────────────────

class IdentitiesNode extends ExplorerNode {
  constructor(private readonly env: ExplorerEnv, private readonly sub: SubscriptionNode) {
    super(sub, 'identities');
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(vscode.l10n.t('Managed identities'), vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = new vscode.ThemeIcon('person');
    item.contextValue = this.contextValue('identities');
    return item;
  }
  override children(): Promise<ExplorerNode[]> {
    const s = this.sub.subscription.subscriptionId;
    return load(this, vscode.l10n.t('managed identities'), this.env.azure.identityListing(s), () => this.invalidate(), (listing) => {
      const note = scopeNote(this, listing);
      const ids = listing.items;
      if (!ids.length) return [...note, new InfoNode(this, 'none', vscode.l10n.t('No user-assigned managed identities'))];
      const g = groupByResourceGroup(ids);
      return [
        ...note,
        ...(g.grouped
          ? g.groups.map(([rg, list]) => new ResourceGroupNode(this.env, this, rg, list))
          : g.items.map((i) => new IdentityNode(this.env, this, i))),
      ];
    });
  }
  override invalidate(): void {
    this.env.azure.invalidate(azureKeys.identities(this.sub.subscription.subscriptionId));
  }
}

class ResourceGroupNode extends ExplorerNode {
  constructor(private readonly env: ExplorerEnv, parent: ExplorerNode, private readonly rg: string, private readonly ids: readonly IdentityInfo[]) {
    super(parent, `rg:${rg}`);
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(this.rg, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = vscode.l10n.t('{0} identities', this.ids.length);
    item.iconPath = new vscode.ThemeIcon('folder');
    item.contextValue = this.contextValue('resourceGroup');
    return item;
  }
  override children(): ExplorerNode[] {
    return this.ids.map((i) => new IdentityNode(this.env, this, i));
  }
}

export class IdentityNode extends ExplorerNode {
  constructor(private readonly env: ExplorerEnv, parent: ExplorerNode, readonly identity: IdentityInfo) {
    super(parent, `id:${identity.name}`);
  }
  treeItem(): vscode.TreeItem {
    const i = this.identity;
    const item = this.item(i.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = `${short(i.clientId)} · ${i.resourceGroup}`;
    item.tooltip = new vscode.MarkdownString().appendMarkdown(`**${i.name}**\n\n`).appendText(
      `${vscode.l10n.t('Client ID')}: ${i.clientId}\n${vscode.l10n.t('Principal ID')}: ${i.principalId}\n${vscode.l10n.t('Resource group')}: ${i.resourceGroup} (${i.location})`,
    );
    item.iconPath = new vscode.ThemeIcon('person');
    item.contextValue = this.contextValue('identity');
    return item;
  }
  override children(): ExplorerNode[] {
    return [new CredentialsNode(this.env, this), new RoleAssignmentsNode(this.env, this)];
  }
  override copyValue(kind: CopyKind): string | undefined {
    return kind === 'clientId' ? this.identity.clientId : kind === 'principalId' ? this.identity.principalId : undefined;
  }
  override portalLink(): string | undefined {
    return portalLinkFor(this.env, this.identity.id);
  }
  override revealTarget(): RevealTarget {
    return { query: { clientId: this.identity.clientId }, label: this.identity.name };
  }
  override invalidate(): void {
    this.env.azure.invalidate(azureKeys.credentials(this.identity.id));
    this.env.azure.invalidate(azureKeys.roleAssignments(this.identity.subscriptionId, this.identity.principalId));
  }
}

export class CredentialsNode extends ExplorerNode {
  constructor(private readonly env: ExplorerEnv, readonly identityNode: IdentityNode) {
    super(identityNode, 'fics');
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(vscode.l10n.t('Federated credentials'), vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = new vscode.ThemeIcon('link');
    item.contextValue = this.contextValue('credentials');
    return item;
  }
  override async children(): Promise<ExplorerNode[]> {
    const identity = this.identityNode.identity;
    const [creds, known] = await Promise.all([this.env.azure.credentials(identity.subscriptionId, identity), this.env.knownIssuers()]);
    return load(this, vscode.l10n.t('federated credentials'), Promise.resolve(creds), () => this.invalidate(), (list) =>
      list.length
        ? list.map((c) => new CredentialNode(this, identity, c, matchCredential(c, known).warnings))
        : [new InfoNode(this, 'none', vscode.l10n.t('No federated credentials'))]);
  }
  override invalidate(): void {
    this.env.azure.invalidate(azureKeys.credentials(this.identityNode.identity.id));
  }
}

export function warningText(w: CredentialWarning): string {
  switch (w.kind) {
    case 'issuerTrailingSlash': return vscode.l10n.t('The issuer differs from cluster {0}\'s only by a trailing slash ({1}): Entra compares exactly, so token exchange fails with AADSTS70021.', w.source, w.expected);
    case 'issuerCase': return vscode.l10n.t('The issuer differs from cluster {0}\'s only by letter case ({1}): Entra compares exactly.', w.source, w.expected);
    case 'issuerWhitespace': return vscode.l10n.t('The issuer has leading or trailing whitespace.');
    case 'issuerUnknown': return vscode.l10n.t('The issuer matches no known cluster issuer.');
    case 'subjectNotServiceAccount': return vscode.l10n.t('The subject is not of the form system:serviceaccount:NAMESPACE:NAME.');
    case 'serviceAccountNotFound': return vscode.l10n.t('ServiceAccount {0}/{1} does not exist on {2}.', w.namespace, w.name, w.source);
    case 'serviceAccountCase': return vscode.l10n.t('Only {0}/{1} exists on {2} (letter case differs).', w.expected.namespace, w.expected.name, w.source);
    case 'audience': return vscode.l10n.t('Workload identity needs exactly one audience, api://AzureADTokenExchange.');
  }
}

/** A few words for a lens, which the editor's width cuts off: the full sentence goes to its tooltip. */
export function shortWarningText(w: CredentialWarning): string {
  switch (w.kind) {
    case 'issuerTrailingSlash': return vscode.l10n.t('issuer lacks or adds a trailing slash');
    case 'issuerCase': return vscode.l10n.t('issuer differs in letter case');
    case 'issuerWhitespace': return vscode.l10n.t('issuer has surrounding whitespace');
    default: return warningText(w);
  }
}

/** Text for a Markdown tooltip: Markdown's punctuation escaped, spaces kept (a URL stays one link). */
function mdEscape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

/**
 * The same sentence for a Markdown tooltip, with an issuer URL as a real link: `appendText` would
 * turn spaces into `&nbsp;`, and VS Code's link detection would then take the rest of the
 * sentence (and the `&nbsp;`s) for part of the URL.
 */
export function warningMarkdown(w: CredentialWarning): string {
  const link = (url: string) => `[${mdEscape(url)}](<${url}>)`;
  switch (w.kind) {
    case 'issuerTrailingSlash': return vscode.l10n.t('The issuer differs from cluster {0}\'s only by a trailing slash ({1}): Entra compares exactly, so token exchange fails with AADSTS70021.', mdEscape(w.source), link(w.expected));
    case 'issuerCase': return vscode.l10n.t('The issuer differs from cluster {0}\'s only by letter case ({1}): Entra compares exactly.', mdEscape(w.source), link(w.expected));
    default: return mdEscape(warningText(w));
  }
}

/** What a cluster without the OIDC issuer or workload identity means on Azure. */
const NO_ISSUER_TEXT = (): string => vscode.l10n.t('Without the OIDC issuer and workload identity, pods on this cluster get no federated token: the webhook injects no AZURE_FEDERATED_TOKEN_FILE, and a federated credential naming this cluster cannot be verified by Entra ID (AADSTS90061).');

export class CredentialNode extends ExplorerNode {
  override readonly deletable = true;
  constructor(parent: CredentialsNode, readonly identity: IdentityInfo, readonly credential: FederatedCredentialInfo, readonly warnings: readonly CredentialWarning[]) {
    super(parent, `fic:${credential.name}`);
  }
  treeItem(): vscode.TreeItem {
    const c = this.credential;
    const item = this.item(c.name);
    item.description = c.subject;
    const tip = new vscode.MarkdownString()
      .appendText(`${vscode.l10n.t('Issuer')}: ${c.issuer}\n${vscode.l10n.t('Subject')}: ${c.subject}\n${vscode.l10n.t('Audiences')}: ${c.audiences.join(', ')}`);
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

class RoleAssignmentsNode extends ExplorerNode {
  constructor(private readonly env: ExplorerEnv, private readonly identityNode: IdentityNode) {
    super(identityNode, 'roles');
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(vscode.l10n.t('Role assignments'), vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = new vscode.ThemeIcon('shield');
    item.contextValue = this.contextValue('roleAssignments');
    return item;
  }
  override children(): Promise<ExplorerNode[]> {
    const i = this.identityNode.identity;
    return load(this, vscode.l10n.t('role assignments'), this.env.azure.roleAssignments(i.subscriptionId, i.principalId), () => this.invalidate(), (list) =>
      list.length ? list.map((a) => new RoleAssignmentNode(this.env, this, a, false)) : [new InfoNode(this, 'none', vscode.l10n.t('No role assignments'))]);
  }
  override invalidate(): void {
    const i = this.identityNode.identity;
    this.env.azure.invalidate(azureKeys.roleAssignments(i.subscriptionId, i.principalId));
  }
}

class RoleAssignmentNode extends ExplorerNode {
  constructor(private readonly env: ExplorerEnv, parent: ExplorerNode, readonly assignment: RoleAssignmentInfo, private readonly kubelet: boolean) {
    super(parent, `ra:${assignment.name || assignment.id}`);
  }
  treeItem(): vscode.TreeItem {
    const a = this.assignment;
    const scope = scopeLabel(a.scope, {
      subscriptionNames: this.env.subscriptionNames(),
      words: { subscription: vscode.l10n.t('subscription'), resourceGroup: vscode.l10n.t('resource group'), managementGroup: vscode.l10n.t('management group'), root: vscode.l10n.t('root') },
    });
    const item = this.item(`${a.roleName} @ ${scope}`);
    const flagged = this.kubelet && a.risk;
    item.tooltip = new vscode.MarkdownString().appendText(`${a.roleName}\n${a.scope}${flagged ? `\n\n⚠ ${RISK_TEXT(a.risk!)}` : ''}`);
    item.iconPath = flagged ? ICON.warning() : new vscode.ThemeIcon('shield');
    item.contextValue = this.contextValue('roleAssignment', flagged && 'risky');
    return item;
  }
  /** The assignment's scope in the portal; a scope that is no ARM resource (e.g. a role definition path) has no page. */
  override portalLink(): string | undefined {
    return portalLinkFor(this.env, parseArmId(this.assignment.scope).kind === 'unknown' ? undefined : this.assignment.scope);
  }
}

// ─── Kube contexts ──────────────────────────────────────────────────────────────────────────

export class KubeContextsNode extends ExplorerNode {
  constructor(private readonly env: ExplorerEnv) {
    super(undefined, 'kubeContexts');
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(vscode.l10n.t('Kube contexts'), vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = new vscode.ThemeIcon('server');
    item.contextValue = this.contextValue('kubeContexts');
    return item;
  }
  override children(): Promise<ExplorerNode[]> {
    return load(this, vscode.l10n.t('kubeconfig'), this.env.kube.kubeconfig(), () => this.invalidate(), (kc) =>
      kc.contexts.length
        ? kc.contexts.map((c) => new KubeContextNode(this.env, this, c.name, c.server, c.current))
        : [new InfoNode(this, 'none', vscode.l10n.t('No contexts in the kubeconfig'))]);
  }
  override invalidate(): void {
    this.env.kube.invalidate();
  }
}

class KubeContextNode extends ExplorerNode {
  constructor(private readonly env: ExplorerEnv, parent: ExplorerNode, readonly context: string, private readonly server: string | undefined, private readonly current: boolean) {
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
      out.push(new InfoNode(this, 'issuer', vscode.l10n.t('OIDC issuer'), {
        description: issuer.value, tooltip: issuer.value, iconPath: new vscode.ThemeIcon('globe'),
        contextValue: 'issuer', copy: { issuer: issuer.value },
      }));
    } else {
      out.push(new ErrorNode(this, vscode.l10n.t('the OIDC issuer'), issuer.error, () => this.env.kube.invalidate(kubeKeys.issuer(this.context))));
    }
    if (cluster) out.push(new InfoNode(this, 'aks', vscode.l10n.t('AKS cluster'), { description: cluster.name, iconPath: new vscode.ThemeIcon('server-environment') }));
    out.push(new ServiceAccountsNode(this.env, this, this.context, issuer.ok ? issuer.value : cluster?.issuerUrl));
    return out;
  }
  override invalidate(): void {
    this.env.kube.invalidate(kubeKeys.issuer(this.context));
    this.env.kube.invalidate(kubeKeys.serviceAccounts(this.context));
  }
}

