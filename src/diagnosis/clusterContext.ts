import type { ArmConnection } from '../azure/clients';
import { clusterUserKubeconfig } from '../azure/provision/cluster';
import { newCounters, provisionClients } from '../azure/provision/provisionClients';
import { loadKubeconfig, type Kubeconfig, type KubeconfigSource } from '../kube/kubeAccess';

export interface ClusterContextRequest {
  readonly arm: ArmConnection;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
  readonly kubeconfig: KubeconfigSource;
  /** The context asked for (`--context`); it must exist. */
  readonly context?: string;
  /** Fall back to ARM's listClusterUserCredential when no context names the cluster. Default true. */
  readonly useClusterUserCredential?: boolean;
}

export interface ClusterContext {
  readonly config: Kubeconfig;
  readonly context: string;
  /** True when the kubeconfig came from listClusterUserCredential (held in memory, never written). */
  readonly fromClusterUserCredential: boolean;
}

/**
 * The cluster's kubeconfig context, the way provisioning picks it: the one asked for; else the
 * one named after the cluster (as `az aks get-credentials` names it); else the clusterUser
 * kubeconfig ARM returns from listClusterUserCredential (Microsoft.ContainerService
 * managedClusters.json, "ManagedClusters_ListClusterUserCredentials"), through the same function
 * provisioning uses. Throws an Error whose message names the cluster, never the credential.
 */
export async function clusterKubeContext(r: ClusterContextRequest): Promise<ClusterContext> {
  const local = await loadKubeconfig(r.kubeconfig);
  if (r.context) {
    if (!local.ok) throw new Error(local.error.message);
    if (!local.value.contexts.some((c) => c.name === r.context)) {
      throw new Error(`no kubeconfig context '${r.context}'`);
    }
    return { config: local.value, context: r.context, fromClusterUserCredential: false };
  }
  if (local.ok && local.value.contexts.some((c) => c.name === r.clusterName)) {
    return { config: local.value, context: r.clusterName, fromClusterUserCredential: false };
  }
  if (r.useClusterUserCredential === false) {
    throw new Error(local.ok ? `no kubeconfig context named '${r.clusterName}': pass --context` : local.error.message);
  }
  let text: string;
  try {
    text = await clusterUserKubeconfig(
      provisionClients(r.arm, r.subscriptionId, newCounters()),
      r.resourceGroup,
      r.clusterName,
    );
  } catch (e) {
    throw new Error(
      `no kubeconfig context named '${r.clusterName}', and listClusterUserCredential failed: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  const remote = await loadKubeconfig({ text });
  if (!remote.ok) throw new Error(`listClusterUserCredential returned an unreadable kubeconfig: ${remote.error.kind}`);
  const context = remote.value.currentContext ?? remote.value.contexts[0]?.name;
  if (!context) {
    throw new Error(`listClusterUserCredential returned a kubeconfig without a context for '${r.clusterName}'`);
  }
  return { config: remote.value, context, fromClusterUserCredential: true };
}
