/**
 * One loader per listing the explorer needs. Each takes its SDK clients as the first argument,
 * follows paging to the end (`for await` over the SDK's paged iterators walks every `nextLink`)
 * and returns an `Errorable`: a failed listing is a value the tree can show with a Retry.
 */
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { Identity } from '@azure/arm-msi';
import type { ArmClients } from './clients';
import { parseArmId, roleGuid } from './armId';
import { attempt, type Errorable } from './errors';
import type { ClusterInfo, FederatedCredentialInfo, IdentityInfo, RoleAssignmentInfo } from './models';
import { roleRisk } from './roleRisk';

async function collect<T, R>(it: AsyncIterable<T>, map: (t: T) => R | undefined): Promise<R[]> {
  const out: R[] = [];
  for await (const item of it) {
    const r = map(item);
    if (r !== undefined) out.push(r);
  }
  return out;
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

function toCluster(subscriptionId: string, c: ManagedCluster): ClusterInfo | undefined {
  if (!c.id || !c.name) return undefined;
  const kubelet = c.identityProfile?.kubeletidentity;
  return {
    id: c.id,
    name: c.name,
    subscriptionId,
    resourceGroup: parseArmId(c.id).resourceGroup ?? '',
    location: c.location,
    provisioningState: c.provisioningState,
    oidcIssuerEnabled: c.oidcIssuerProfile?.enabled === true,
    issuerUrl: c.oidcIssuerProfile?.issuerURL || undefined,
    workloadIdentityEnabled: c.securityProfile?.workloadIdentity?.enabled === true,
    kubelet: kubelet
      ? { resourceId: kubelet.resourceId, clientId: kubelet.clientId, objectId: kubelet.objectId }
      : undefined,
    nodeResourceGroup: c.nodeResourceGroup,
  };
}

function toIdentity(subscriptionId: string, i: Identity): IdentityInfo | undefined {
  if (!i.id || !i.name) return undefined;
  return {
    id: i.id,
    name: i.name,
    subscriptionId,
    resourceGroup: parseArmId(i.id).resourceGroup ?? '',
    location: i.location,
    clientId: i.clientId ?? '',
    principalId: i.principalId ?? '',
    tenantId: i.tenantId ?? '',
  };
}

/** Every AKS cluster of the subscription (needs a read role at the subscription; see scopedListing.ts). */
export function listClusters(clients: ArmClients, abortSignal?: AbortSignal): Promise<Errorable<ClusterInfo[]>> {
  return attempt(async () =>
    (
      await collect(clients.containerService.managedClusters.list({ abortSignal }), (c) =>
        toCluster(clients.subscriptionId, c),
      )
    ).sort(byName),
  );
}

export function listClustersInGroup(
  clients: ArmClients,
  resourceGroup: string,
  abortSignal?: AbortSignal,
): Promise<Errorable<ClusterInfo[]>> {
  return attempt(async () =>
    (
      await collect(clients.containerService.managedClusters.listByResourceGroup(resourceGroup, { abortSignal }), (c) =>
        toCluster(clients.subscriptionId, c),
      )
    ).sort(byName),
  );
}

/** Every user-assigned identity of the subscription (needs a read role at the subscription; see scopedListing.ts). */
export function listIdentities(clients: ArmClients, abortSignal?: AbortSignal): Promise<Errorable<IdentityInfo[]>> {
  return attempt(async () =>
    (
      await collect(clients.msi.userAssignedIdentities.listBySubscription({ abortSignal }), (i) =>
        toIdentity(clients.subscriptionId, i),
      )
    ).sort(byName),
  );
}

export function listIdentitiesInGroup(
  clients: ArmClients,
  resourceGroup: string,
  abortSignal?: AbortSignal,
): Promise<Errorable<IdentityInfo[]>> {
  return attempt(async () =>
    (
      await collect(clients.msi.userAssignedIdentities.listByResourceGroup(resourceGroup, { abortSignal }), (i) =>
        toIdentity(clients.subscriptionId, i),
      )
    ).sort(byName),
  );
}

export interface IdentityRef {
  readonly id: string;
  readonly name: string;
  readonly resourceGroup: string;
}

export function listFederatedCredentials(
  clients: ArmClients,
  identity: IdentityRef,
  abortSignal?: AbortSignal,
): Promise<Errorable<FederatedCredentialInfo[]>> {
  return attempt(async () => {
    const creds = await collect(
      clients.msi.federatedIdentityCredentials.list(identity.resourceGroup, identity.name, { abortSignal }),
      (f): FederatedCredentialInfo | undefined =>
        f.id && f.name
          ? {
              id: f.id,
              name: f.name,
              identityId: identity.id,
              issuer: f.issuer ?? '',
              subject: f.subject ?? '',
              audiences: f.audiences ?? [],
              createdAt: f.systemData?.createdAt?.getTime(),
            }
          : undefined,
    );
    return creds.sort(byName);
  });
}

export function deleteFederatedCredential(
  clients: ArmClients,
  identity: IdentityRef,
  credentialName: string,
): Promise<Errorable<void>> {
  return attempt(async () => {
    await clients.msi.federatedIdentityCredentials.delete(identity.resourceGroup, identity.name, credentialName);
  });
}

/** Role definition GUID (lower-case) → role name, for every role visible at the subscription. */
export function listRoleNames(clients: ArmClients, abortSignal?: AbortSignal): Promise<Errorable<Map<string, string>>> {
  return attempt(async () => {
    const names = new Map<string, string>();
    for await (const d of clients.authorization.roleDefinitions.list(`/subscriptions/${clients.subscriptionId}`, {
      abortSignal,
    })) {
      if (d.id && d.roleName) names.set(roleGuid(d.id), d.roleName);
    }
    return names;
  });
}

/**
 * Every assignment held by one principal that the subscription can see (at, above or below it).
 * `roleNames` resolves names; a definition missing from it is fetched by ID once and added.
 */
export function listRoleAssignmentsForPrincipal(
  clients: ArmClients,
  principalId: string,
  roleNames: Map<string, string>,
  abortSignal?: AbortSignal,
): Promise<Errorable<RoleAssignmentInfo[]>> {
  return attempt(async () => {
    // OData filter value is a GUID we got from ARM; quote-escaping keeps a malformed one harmless.
    const filter = `principalId eq '${principalId.replace(/'/g, "''")}'`;
    const raw = await collect(
      clients.authorization.roleAssignments.listForSubscription({ filter, abortSignal }),
      (a) => a,
    );
    for (const a of raw) {
      const guid = a.roleDefinitionId ? roleGuid(a.roleDefinitionId) : undefined;
      if (a.roleDefinitionId && guid && !roleNames.has(guid)) {
        try {
          const d = await clients.authorization.roleDefinitions.getById(a.roleDefinitionId, { abortSignal });
          if (d.roleName) roleNames.set(guid, d.roleName);
        } catch {
          // A definition we may not read: show the GUID.
        }
      }
    }
    return raw
      .filter((a) => a.id && a.roleDefinitionId && a.scope)
      .map((a): RoleAssignmentInfo => {
        const roleName = roleNames.get(roleGuid(a.roleDefinitionId!)) ?? roleGuid(a.roleDefinitionId!);
        return {
          id: a.id!,
          name: a.name ?? '',
          principalId: a.principalId ?? principalId,
          principalType: a.principalType,
          roleDefinitionId: a.roleDefinitionId!,
          roleName,
          scope: a.scope!,
          risk: roleRisk(a.roleDefinitionId!, roleName),
          createdAt: a.createdOn?.getTime(),
        };
      })
      .sort((x, y) => x.roleName.localeCompare(y.roleName) || x.scope.localeCompare(y.scope));
  });
}
