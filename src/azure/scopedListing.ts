/**
 * Listings that still show something to a principal whose roles sit only on some resource groups.
 * ARM answers `managedClusters.list` and `userAssignedIdentities.listBySubscription` with 403
 * AuthorizationFailed unless a role at the subscription (or above) grants `…/read`, while the
 * resource-group list and each group's `listByResourceGroup` answer what the caller may read
 * (Azure RBAC scope: a role assigned at a resource group applies to the group and every resource
 * in it). So on a 403 the listing is assembled group by group, as the Azure portal does.
 */
import type { ArmClients } from './clients';
import { attempt, fail, ok, type Errorable } from './errors';
import { listClusters, listClustersInGroup, listIdentities, listIdentitiesInGroup } from './loaders';
import type { ClusterInfo, IdentityInfo } from './models';
import { listResourceGroupNames } from './resourceGroups';

export type ScopedListing<T> =
  /** One subscription-wide list: complete. */
  | { readonly scope: 'subscription'; readonly items: T[] }
  /** Assembled from the groups the caller could read; resources elsewhere in the subscription are not shown. */
  | {
      readonly scope: 'resourceGroups';
      readonly items: T[];
      readonly groupsRead: number;
      readonly groupsSkipped: number;
    };

/**
 * `bySubscription`, or after its 403 every visible group through `byGroup` (all at once: the
 * connection's limiter bounds what is in flight). Groups that answer 403 too are skipped; any
 * other failure of a group fails the listing, so nothing is hidden silently behind a Retry-able
 * error. With no readable group the subscription's own 403 is returned.
 */
export async function listWithGroupFallback<T extends { name: string }>(
  clients: ArmClients,
  bySubscription: () => Promise<Errorable<T[]>>,
  byGroup: (resourceGroup: string) => Promise<Errorable<T[]>>,
  abortSignal?: AbortSignal,
): Promise<Errorable<ScopedListing<T>>> {
  const whole = await bySubscription();
  if (whole.ok) return ok({ scope: 'subscription', items: whole.value });
  if (whole.error.kind !== 'forbidden') return whole;
  const groups = await attempt(() => listResourceGroupNames(clients.connection, clients.subscriptionId, abortSignal));
  if (!groups.ok) return groups.error.kind === 'forbidden' ? whole : groups;
  const results = await Promise.all(groups.value.map((g) => byGroup(g)));
  for (const r of results) if (!r.ok && r.error.kind !== 'forbidden') return fail(r.error);
  const read = results.flatMap((r) => (r.ok ? [r.value] : []));
  if (!read.length) return whole;
  return ok({
    scope: 'resourceGroups',
    items: read.flat().sort((a, b) => a.name.localeCompare(b.name)),
    groupsRead: read.length,
    groupsSkipped: results.length - read.length,
  });
}

export function listClustersScoped(
  clients: ArmClients,
  abortSignal?: AbortSignal,
): Promise<Errorable<ScopedListing<ClusterInfo>>> {
  return listWithGroupFallback(
    clients,
    () => listClusters(clients, abortSignal),
    (rg) => listClustersInGroup(clients, rg, abortSignal),
    abortSignal,
  );
}

export function listIdentitiesScoped(
  clients: ArmClients,
  abortSignal?: AbortSignal,
): Promise<Errorable<ScopedListing<IdentityInfo>>> {
  return listWithGroupFallback(
    clients,
    () => listIdentities(clients, abortSignal),
    (rg) => listIdentitiesInGroup(clients, rg, abortSignal),
    abortSignal,
  );
}
