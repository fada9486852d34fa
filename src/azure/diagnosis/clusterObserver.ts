import type { ClusterObservation } from '../../core/diagnosis/observation';
import { observed, type Observed } from '../../core/diagnosis/types';
import type { ArmClients } from '../clients';
import { listClusters } from '../loaders';
import type { ClusterInfo } from '../models';
import { observe } from './azureObserved';

export interface ClusterLookup {
  readonly cluster: Observed<ClusterObservation>;
  /** Every cluster's issuer we could see, to name "an issuer no current cluster has". */
  readonly knownIssuers: readonly { issuer: string; source: string }[];
}

const toObservation = (c: ClusterInfo): ClusterObservation => ({
  id: c.id,
  name: c.name,
  location: c.location,
  oidcIssuerEnabled: c.oidcIssuerEnabled,
  issuerUrl: c.issuerUrl,
  workloadIdentityEnabled: c.workloadIdentityEnabled,
});

/**
 * One subscription-wide listing gives both the cluster and every other cluster's issuer; a user
 * who may read only the cluster's group gets it with a GET instead (and no other issuers).
 */
export async function observeCluster(
  clients: ArmClients,
  resourceGroup: string,
  name: string,
  all?: Promise<Awaited<ReturnType<typeof listClusters>>>,
): Promise<ClusterLookup> {
  const listed = await (all ?? listClusters(clients));
  if (listed.ok) {
    const knownIssuers = listed.value.flatMap((c) => (c.issuerUrl ? [{ issuer: c.issuerUrl, source: c.name }] : []));
    const found = listed.value.find(
      (c) =>
        c.name.toLowerCase() === name.toLowerCase() && c.resourceGroup.toLowerCase() === resourceGroup.toLowerCase(),
    );
    if (found) return { cluster: observed(toObservation(found)), knownIssuers };
  }
  const cluster = await observe(async () => {
    const c = await clients.containerService.managedClusters.get(resourceGroup, name);
    return {
      id: c.id ?? '',
      name: c.name ?? name,
      location: c.location,
      oidcIssuerEnabled: c.oidcIssuerProfile?.enabled === true,
      issuerUrl: c.oidcIssuerProfile?.issuerURL || undefined,
      workloadIdentityEnabled: c.securityProfile?.workloadIdentity?.enabled === true,
    };
  });
  return {
    cluster,
    knownIssuers:
      cluster.ok && cluster.value.issuerUrl ? [{ issuer: cluster.value.issuerUrl, source: cluster.value.name }] : [],
  };
}
