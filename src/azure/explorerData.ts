/**
 * What the explorer has loaded, cached until Refresh or a change made through the extension.
 * Each listing is memoized as a promise (concurrent callers share one request); a failure stays
 * cached too, so an error item is stable until its Retry invalidates exactly that listing.
 */
import { PromiseMemo } from '../core/promiseMemo';
import { azureKeys } from './explorerKeys';
import { createArmClients, type ArmClients, type ArmConnection } from './clients';
import { attempt, fail, ok, type Errorable } from './errors';
import {
  deleteFederatedCredential,
  listFederatedCredentials,
  listRoleAssignmentsForPrincipal,
  listRoleNames,
  type IdentityRef,
} from './loaders';
import type { ClusterInfo, FederatedCredentialInfo, IdentityInfo, RoleAssignmentInfo } from './models';
import { listClustersScoped, listIdentitiesScoped, type ScopedListing } from './scopedListing';
import { listSubscriptions, listTenants, type SubscriptionInfo, type TenantInfo } from './subscriptions';

export interface AzureExplorerDataOptions {
  /**
   * A connection whose credential gets tokens for another tenant (VS Code: one session per
   * tenant). With it, subscriptions are listed per tenant of the account and each subscription
   * is read with its own tenant's token; without it, only the credential's own tenant is seen.
   */
  readonly connectionForTenant?: (tenantId: string) => ArmConnection;
  /** The tenant the main connection's token is for (its `tid`); default: the tenant ARM marks `Home`. */
  readonly homeTenantId?: string;
}

const itemsOf = <T>(r: Errorable<ScopedListing<T>>): Errorable<T[]> => (r.ok ? ok(r.value.items) : r);

export class AzureExplorerData {
  private readonly memo = new PromiseMemo();
  private readonly clientsBySub = new Map<string, ArmClients>();
  private readonly tenantOfSub = new Map<string, string>();
  private signInNeeded: TenantInfo[] = [];

  constructor(
    readonly connection: ArmConnection,
    private readonly options: AzureExplorerDataOptions = {},
  ) {}

  private connectionFor(subscriptionId: string): ArmConnection {
    const tenant = this.tenantOfSub.get(subscriptionId);
    return tenant && this.options.connectionForTenant ? this.options.connectionForTenant(tenant) : this.connection;
  }

  clients(subscriptionId: string): ArmClients {
    let c = this.clientsBySub.get(subscriptionId);
    if (!c) {
      const connection = this.connectionFor(subscriptionId);
      c = createArmClients({ credential: connection.credential, subscriptionId, connection });
      this.clientsBySub.set(subscriptionId, c);
    }
    return c;
  }

  /** Tenants whose subscriptions could not be listed for want of a session (after `subscriptions()`). */
  tenantsNeedingSignIn(): readonly TenantInfo[] {
    return this.signInNeeded;
  }

  private cached<T>(key: string, load: () => Promise<Errorable<T>>): Promise<Errorable<T>> {
    return this.memo.get(key, load);
  }

  subscriptions(): Promise<Errorable<SubscriptionInfo[]>> {
    return this.cached(azureKeys.subscriptions(), async () => {
      const forTenant = this.options.connectionForTenant;
      if (!forTenant) return attempt(() => listSubscriptions(this.connection));
      const tenants = await attempt(() => listTenants(this.connection));
      if (!tenants.ok) return tenants;
      // The home tenant is read with the session as signed in; the others each with their own.
      const home = this.options.homeTenantId ?? tenants.value.find((t) => t.category === 'Home')?.tenantId;
      const isHome = (t: TenantInfo) => t.tenantId.toLowerCase() === home?.toLowerCase();
      const results = await Promise.all(
        tenants.value.map(async (t) => ({
          tenant: t,
          subs: await attempt(() => listSubscriptions(isHome(t) ? this.connection : forTenant(t.tenantId))),
        })),
      );
      this.signInNeeded = results
        .filter((r) => !r.subs.ok && r.subs.error.kind === 'expiredSession')
        .map((r) => r.tenant);
      const failed = results.find((r) => !r.subs.ok && r.subs.error.kind !== 'expiredSession');
      const subs = new Map<string, SubscriptionInfo>();
      for (const r of results) {
        if (!r.subs.ok) continue;
        for (const sub of r.subs.value) {
          if (subs.has(sub.subscriptionId)) continue;
          subs.set(sub.subscriptionId, { ...sub, tenantId: sub.tenantId ?? r.tenant.tenantId });
          if (!isHome(r.tenant)) this.tenantOfSub.set(sub.subscriptionId, sub.tenantId ?? r.tenant.tenantId);
        }
      }
      // One unreadable tenant should not hide the others; only fail when nothing could be read.
      if (!subs.size && failed && !failed.subs.ok) return fail(failed.subs.error);
      return ok([...subs.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)));
    });
  }

  /** The clusters and how they were listed (the whole subscription, or only the groups the caller can read). */
  clusterListing(subscriptionId: string): Promise<Errorable<ScopedListing<ClusterInfo>>> {
    return this.cached(azureKeys.clusters(subscriptionId), () => listClustersScoped(this.clients(subscriptionId)));
  }

  async clusters(subscriptionId: string): Promise<Errorable<ClusterInfo[]>> {
    return itemsOf(await this.clusterListing(subscriptionId));
  }

  /** The identities and how they were listed (the whole subscription, or only the groups the caller can read). */
  identityListing(subscriptionId: string): Promise<Errorable<ScopedListing<IdentityInfo>>> {
    return this.cached(azureKeys.identities(subscriptionId), () => listIdentitiesScoped(this.clients(subscriptionId)));
  }

  async identities(subscriptionId: string): Promise<Errorable<IdentityInfo[]>> {
    return itemsOf(await this.identityListing(subscriptionId));
  }

  credentials(subscriptionId: string, identity: IdentityRef): Promise<Errorable<FederatedCredentialInfo[]>> {
    return this.cached(azureKeys.credentials(identity.id), () =>
      listFederatedCredentials(this.clients(subscriptionId), identity),
    );
  }

  roleNames(subscriptionId: string): Promise<Errorable<Map<string, string>>> {
    return this.cached(azureKeys.roleNames(subscriptionId), () => listRoleNames(this.clients(subscriptionId)));
  }

  roleAssignments(subscriptionId: string, principalId: string): Promise<Errorable<RoleAssignmentInfo[]>> {
    return this.cached(azureKeys.roleAssignments(subscriptionId, principalId), async () => {
      const names = await this.roleNames(subscriptionId);
      // Unreadable role definitions still leave the assignments worth showing (GUIDs as names).
      return listRoleAssignmentsForPrincipal(
        this.clients(subscriptionId),
        principalId,
        names.ok ? names.value : new Map(),
      );
    });
  }

  /** The identity (any loaded subscription) with this client ID, loading identity lists as needed. */
  async identityByClientId(subscriptionIds: readonly string[], clientId: string): Promise<IdentityInfo | undefined> {
    const want = clientId.trim().toLowerCase();
    for (const s of subscriptionIds) {
      const r = await this.identities(s);
      const found = r.ok ? r.value.find((i) => i.clientId.toLowerCase() === want) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  async deleteCredential(
    subscriptionId: string,
    identity: IdentityRef,
    credentialName: string,
  ): Promise<Errorable<void>> {
    const r = await deleteFederatedCredential(this.clients(subscriptionId), identity, credentialName);
    this.invalidate(azureKeys.credentials(identity.id));
    return r;
  }

  /** Drops one listing (`key` as used above), or everything when no key is given. */
  invalidate(key?: string): void {
    if (key === undefined || key === azureKeys.subscriptions()) {
      // Tenants may have gained a session: re-decide which connection reads each subscription.
      this.clientsBySub.clear();
      this.tenantOfSub.clear();
    }
    if (key === undefined) this.memo.clear();
    else this.memo.delete(key);
  }
}
