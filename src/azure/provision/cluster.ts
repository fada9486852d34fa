/**
 * The AKS cluster: observe its issuer and workload identity switches, and change them with the
 * long-running PUT the SDK polls (GET, modify, PUT: a PUT replaces the whole cluster, so the
 * observed object is sent back with only the two switches changed ; see
 * Azure/azure-rest-api-specs specification/containerservice, managedClusters.json).
 */
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { Observation } from '../../core/provision/plan';
import type { ProvisionClients } from './provisionClients';
import { unlessNotFound } from './stepErrors';

export type ClusterObservation = NonNullable<Observation['cluster']>;

export async function observeCluster(
  c: ProvisionClients,
  resourceGroup: string,
  name: string,
  abortSignal?: AbortSignal,
): Promise<ClusterObservation | undefined> {
  return unlessNotFound(async () => {
    return toObservation(await c.containerService.managedClusters.get(resourceGroup, name, { abortSignal }));
  }, undefined);
}

function toObservation(m: ManagedCluster): ClusterObservation {
  return {
    id: m.id ?? '',
    location: m.location,
    oidcIssuerEnabled: m.oidcIssuerProfile?.enabled === true,
    issuerUrl: m.oidcIssuerProfile?.issuerURL || undefined,
    workloadIdentityEnabled: m.securityProfile?.workloadIdentity?.enabled === true,
    provisioningState: m.provisioningState,
  };
}

export interface ClusterUpdateOptions {
  readonly abortSignal?: AbortSignal;
  /** Poll interval of the operation (the cluster answers without Retry-After). */
  readonly pollIntervalMs?: number;
  /** The operation's status as it is polled ("InProgress", "Succeeded"…). */
  readonly onStatus?: (status: string) => void;
}

/** Sets the switches; resolves with the cluster after the operation succeeded, or rejects with its error. */
export async function updateClusterSwitches(
  c: ProvisionClients,
  resourceGroup: string,
  name: string,
  want: { oidcIssuer?: boolean; workloadIdentity?: boolean },
  o: ClusterUpdateOptions = {},
): Promise<ClusterObservation> {
  const current = await c.containerService.managedClusters.get(resourceGroup, name, { abortSignal: o.abortSignal });
  const body: ManagedCluster = {
    ...current,
    oidcIssuerProfile:
      want.oidcIssuer === undefined
        ? current.oidcIssuerProfile
        : { ...current.oidcIssuerProfile, enabled: want.oidcIssuer },
    securityProfile:
      want.workloadIdentity === undefined
        ? current.securityProfile
        : {
            ...current.securityProfile,
            workloadIdentity: { ...current.securityProfile?.workloadIdentity, enabled: want.workloadIdentity },
          },
  };
  const poller = c.containerService.managedClusters.createOrUpdate(resourceGroup, name, body, {
    abortSignal: o.abortSignal,
    updateIntervalInMs: o.pollIntervalMs ?? 1000,
  });
  poller.onProgress((state) => o.onStatus?.(state.status));
  return toObservation(await poller);
}

/** `az aks get-credentials`: the clusterUser kubeconfig (listClusterUserCredential, a POST that reads). */
export async function clusterUserKubeconfig(
  c: ProvisionClients,
  resourceGroup: string,
  name: string,
  abortSignal?: AbortSignal,
): Promise<string> {
  const r = await c.containerService.managedClusters.listClusterUserCredentials(resourceGroup, name, { abortSignal });
  const value = r.kubeconfigs?.[0]?.value;
  if (!value) throw new Error(`listClusterUserCredential returned no kubeconfig for cluster '${name}'`);
  return Buffer.from(value).toString('utf8');
}
