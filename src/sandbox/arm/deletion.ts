import type { SandboxContext } from '../context';
import { armKey, resourceGroupId, scopeCovers } from '../ids';
import type { ClusterRecord } from '../state';
import { nodeResourceGroupOf } from './clusterProfiles';

/**
 * Cascading deletes, as ARM and AKS do them. A resource group takes everything inside with it
 * (identities and so their federated credentials, clusters, vaults) and every role assignment at
 * or under its scope; a cluster takes the node resource group AKS created for it (`MC_…`, with
 * the kubelet identity).
 */
export function deleteResourceGroup(ctx: SandboxContext, subscriptionId: string, name: string): void {
  const state = ctx.store.state;
  const rgId = resourceGroupId(subscriptionId, name);
  const inside = (r: { subscriptionId: string; resourceGroup: string }): boolean =>
    r.subscriptionId === subscriptionId && r.resourceGroup.toLowerCase() === name.toLowerCase();
  for (const cluster of Object.values(state.clusters).filter(inside)) deleteCluster(ctx, cluster);
  for (const [key, identity] of Object.entries(state.identities)) if (inside(identity)) delete state.identities[key];
  for (const [key, vault] of Object.entries(state.vaults)) if (inside(vault)) delete state.vaults[key];
  for (const [key, a] of Object.entries(state.roleAssignments)) {
    if (scopeCovers(rgId, a.scope)) delete state.roleAssignments[key];
  }
  delete state.resourceGroups[armKey(rgId)];
  ctx.store.markDirty();
}

export function deleteCluster(ctx: SandboxContext, cluster: ClusterRecord): void {
  const state = ctx.store.state;
  delete state.clusters[armKey(cluster.id)];
  const nodeRg = nodeResourceGroupOf(cluster);
  if (
    nodeRg.toLowerCase() !== cluster.resourceGroup.toLowerCase() &&
    state.resourceGroups[armKey(resourceGroupId(cluster.subscriptionId, nodeRg))]
  ) {
    deleteResourceGroup(ctx, cluster.subscriptionId, nodeRg);
  }
  ctx.store.markDirty();
}
