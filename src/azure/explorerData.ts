/**
 * What the explorer has loaded, cached until Refresh or a change made through the extension.
 * Each listing is memoized as a promise (concurrent callers share one request); a failure stays
 * cached too, so an error item is stable until its Retry invalidates exactly that listing.
 */
import { createArmClients, type ArmClients, type ArmConnection } from './clients';
import { fail, ok, toAzureError, type Errorable } from './errors';
import {
  deleteFederatedCredential,
  listClusters,
  listFederatedCredentials,
  listIdentities,
  listRoleAssignmentsForPrincipal,
  listRoleNames,
  type IdentityRef,
} from './loaders';
import type { ClusterInfo, FederatedCredentialInfo, IdentityInfo, RoleAssignmentInfo } from './models';
import { listSubscriptions, type SubscriptionInfo } from './subscriptions';

export class AzureExplorerData {
  private readonly memo = new Map<string, Promise<Errorable<unknown>>>();
  private readonly clientsBySub = new Map<string, ArmClients>();

  constructor(readonly connection: ArmConnection) {}

  clients(subscriptionId: string): ArmClients {
    let c = this.clientsBySub.get(subscriptionId);
    if (!c) {
      c = createArmClients({ credential: this.connection.credential, subscriptionId, connection: this.connection });
      this.clientsBySub.set(subscriptionId, c);
    }
    return c;
  }

  private cached<T>(key: string, load: () => Promise<Errorable<T>>): Promise<Errorable<T>> {
    let p = this.memo.get(key) as Promise<Errorable<T>> | undefined;
    if (!p) {
      p = load();
      this.memo.set(key, p);
    }
    return p;
  }

  subscriptions(): Promise<Errorable<SubscriptionInfo[]>> {
    return this.cached('subs', async () => {
      try {
        return ok(await listSubscriptions(this.connection));
      } catch (e) {
        return fail(toAzureError(e));
      }
    });
  }

  clusters(subscriptionId: string): Promise<Errorable<ClusterInfo[]>> {
    return this.cached(`clusters|${subscriptionId}`, () => listClusters(this.clients(subscriptionId)));
  }

  identities(subscriptionId: string): Promise<Errorable<IdentityInfo[]>> {
    return this.cached(`identities|${subscriptionId}`, () => listIdentities(this.clients(subscriptionId)));
  }

  credentials(subscriptionId: string, identity: IdentityRef): Promise<Errorable<FederatedCredentialInfo[]>> {
    return this.cached(`fics|${identity.id.toLowerCase()}`, () => listFederatedCredentials(this.clients(subscriptionId), identity));
  }

  roleNames(subscriptionId: string): Promise<Errorable<Map<string, string>>> {
    return this.cached(`roles|${subscriptionId}`, () => listRoleNames(this.clients(subscriptionId)));
  }

  roleAssignments(subscriptionId: string, principalId: string): Promise<Errorable<RoleAssignmentInfo[]>> {
    return this.cached(`ra|${subscriptionId}|${principalId.toLowerCase()}`, async () => {
      const names = await this.roleNames(subscriptionId);
      // Unreadable role definitions still leave the assignments worth showing (GUIDs as names).
      return listRoleAssignmentsForPrincipal(this.clients(subscriptionId), principalId, names.ok ? names.value : new Map());
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

  async deleteCredential(subscriptionId: string, identity: IdentityRef, credentialName: string): Promise<Errorable<void>> {
    const r = await deleteFederatedCredential(this.clients(subscriptionId), identity, credentialName);
    this.invalidate(`fics|${identity.id.toLowerCase()}`);
    return r;
  }

  /** Drops one listing (`key` as used above), or everything when no key is given. */
  invalidate(key?: string): void {
    if (key === undefined) this.memo.clear();
    else this.memo.delete(key);
  }

  static keys = {
    subscriptions: () => 'subs',
    clusters: (s: string) => `clusters|${s}`,
    identities: (s: string) => `identities|${s}`,
    credentials: (identityId: string) => `fics|${identityId.toLowerCase()}`,
    roleNames: (s: string) => `roles|${s}`,
    roleAssignments: (s: string, principalId: string) => `ra|${s}|${principalId.toLowerCase()}`,
  };
}
