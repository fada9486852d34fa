import { createHash } from 'node:crypto';
import { armKey } from '../ids';
import type { ClusterRecord, SandboxState } from '../state';
import { isRecord } from '../../core/is';

/**
 * The parts of a managed cluster's body AKS fills in whatever the request sent (the ManagedCluster
 * definition in Azure/azure-rest-api-specs
 * `specification/containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2025-10-01/managedClusters.json`
 * and its examples): the network profile with its defaults, the agent pools' server-side members,
 * `servicePrincipalProfile` (`{"clientId": "msi"}` for a cluster with a managed identity) and the
 * cluster identity. Secrets in the request (`servicePrincipalProfile.secret`,
 * `windowsProfile.adminPassword`) are never returned.
 */

function hash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** A stable GUID-shaped name derived from `text` (AKS names its managed outbound IPs by GUID). */
function guidFrom(text: string): string {
  const h = hash(text, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The node image AKS reports for Ubuntu 22.04 (Gen 2) agent pools (`nodeImageVersion`). */
const NODE_IMAGE = 'AKSUbuntu-2204gen2containerd-202510.19.0';

/** The node resource group: the one the request named, or AKS's default `MC_{rg}_{cluster}_{location}`. */
export function nodeResourceGroupOf(c: ClusterRecord): string {
  const custom = c.extraProperties.nodeResourceGroupName;
  return typeof custom === 'string' ? custom : `MC_${c.resourceGroup}_${c.name}_${c.location}`;
}

/** Server-owned agent pool members, added to what was PUT. */
export function agentPoolJson(c: ClusterRecord, p: Record<string, unknown>): Record<string, unknown> {
  return {
    osDiskSizeGB: 128,
    osDiskType: 'Managed',
    kubeletDiskType: 'OS',
    osSKU: 'Ubuntu',
    enableNodePublicIP: false,
    enableFIPS: false,
    upgradeSettings: { maxSurge: '10%' },
    ...p,
    provisioningState: c.provisioningState,
    powerState: { code: 'Running' },
    orchestratorVersion: c.kubernetesVersion,
    currentOrchestratorVersion: c.kubernetesVersion,
    nodeImageVersion: NODE_IMAGE,
    eTag: hash(`${c.guid}/${String(p.name)}/${c.provisioningState}`),
  };
}

/**
 * The network profile as AKS returns it: what was sent, plus the defaults of a new cluster (Azure
 * CNI Overlay, standard load balancer with one managed outbound IP), and the effective outbound
 * IPs it created in the node resource group.
 */
export function networkProfileJson(
  c: ClusterRecord,
  nodeResourceGroup: string,
  sent: unknown,
): Record<string, unknown> {
  const input = isRecord(sent) ? sent : {};
  const plugin = typeof input.networkPlugin === 'string' ? input.networkPlugin : 'azure';
  const overlay =
    plugin === 'azure' && (input.networkPluginMode === undefined || input.networkPluginMode === 'overlay');
  const podCidr = typeof input.podCidr === 'string' ? input.podCidr : '10.244.0.0/16';
  const serviceCidr = typeof input.serviceCidr === 'string' ? input.serviceCidr : '10.0.0.0/16';
  const outboundType = typeof input.outboundType === 'string' ? input.outboundType : 'loadBalancer';
  const lbIn = isRecord(input.loadBalancerProfile) ? input.loadBalancerProfile : {};
  const customIps =
    isRecord(lbIn.outboundIPs) && Array.isArray(lbIn.outboundIPs.publicIPs)
      ? lbIn.outboundIPs.publicIPs.filter(isRecord)
      : undefined;
  const managed =
    isRecord(lbIn.managedOutboundIPs) && typeof lbIn.managedOutboundIPs.count === 'number'
      ? lbIn.managedOutboundIPs.count
      : 1;
  const effective =
    customIps ??
    Array.from({ length: managed }, (_, i) => ({
      id: `/subscriptions/${c.subscriptionId}/resourceGroups/${nodeResourceGroup}/providers/Microsoft.Network/publicIPAddresses/${guidFrom(`${c.guid}/outbound-ip/${i}`)}`,
    }));
  const loadBalancerProfile =
    outboundType === 'loadBalancer'
      ? {
          allocatedOutboundPorts: 0,
          idleTimeoutInMinutes: 30,
          backendPoolType: 'nodeIPConfiguration',
          ...(customIps ? {} : { managedOutboundIPs: { count: managed } }),
          ...lbIn,
          effectiveOutboundIPs: effective,
        }
      : undefined;
  return {
    networkPlugin: plugin,
    ...(overlay ? { networkPluginMode: 'overlay' } : {}),
    networkPolicy: 'none',
    networkDataplane: 'azure',
    ...(plugin !== 'azure' || overlay ? { podCidr, podCidrs: [podCidr] } : {}),
    serviceCidr,
    serviceCidrs: [serviceCidr],
    dnsServiceIP: typeof input.dnsServiceIP === 'string' ? input.dnsServiceIP : '10.0.0.10',
    outboundType,
    loadBalancerSku: 'standard',
    ipFamilies: ['IPv4'],
    ...Object.fromEntries(
      Object.entries(input).filter(([k]) => !['loadBalancerProfile', 'podCidrs', 'serviceCidrs'].includes(k)),
    ),
    ...(loadBalancerProfile ? { loadBalancerProfile } : {}),
  };
}

/** `servicePrincipalProfile`: the service principal's client ID, or `msi` when the cluster runs with a managed identity. */
export function servicePrincipalProfileJson(c: ClusterRecord): Record<string, unknown> {
  return { clientId: typeof c.servicePrincipalClientId === 'string' ? c.servicePrincipalClientId : 'msi' };
}

/** The cluster's `identity`: absent for a service principal cluster, system- or user-assigned otherwise. */
export function clusterIdentityJson(state: SandboxState, c: ClusterRecord): Record<string, unknown> | undefined {
  // State files are validated as a whole on load, but these members are optional: read them defensively.
  if (typeof c.servicePrincipalClientId === 'string') return undefined;
  if (Array.isArray(c.userAssignedIdentityIds) && c.userAssignedIdentityIds.length > 0) {
    const userAssignedIdentities: Record<string, unknown> = {};
    for (const id of c.userAssignedIdentityIds.filter((x): x is string => typeof x === 'string')) {
      const i = state.identities[armKey(id)];
      userAssignedIdentities[i?.id ?? id] = i ? { clientId: i.clientId, principalId: i.principalId } : {};
    }
    return { type: 'UserAssigned', userAssignedIdentities };
  }
  return { type: 'SystemAssigned', principalId: c.controlPlanePrincipalId, tenantId: state.tenantId };
}

export type IdentityChoice =
  { ok: true; servicePrincipalClientId?: string; userAssignedIdentityIds?: string[] } | { ok: false; message: string };

/**
 * What the request asks for: `identity` (SystemAssigned, or UserAssigned naming existing
 * identities), or a service principal (`servicePrincipalProfile.clientId` other than `msi`, no
 * `identity`). Without either, AKS gives the cluster a system-assigned identity.
 */
export function readIdentityChoice(
  state: SandboxState,
  body: Record<string, unknown>,
  props: Record<string, unknown>,
  existing: ClusterRecord | undefined,
): IdentityChoice {
  const identity = isRecord(body.identity) ? body.identity : undefined;
  const sp = isRecord(props.servicePrincipalProfile) ? props.servicePrincipalProfile : undefined;
  if (identity) {
    const type = typeof identity.type === 'string' ? identity.type.toLowerCase() : '';
    if (type === 'userassigned') {
      const ids = isRecord(identity.userAssignedIdentities) ? Object.keys(identity.userAssignedIdentities) : [];
      if (ids.length !== 1) {
        return { ok: false, message: 'The identity type UserAssigned requires exactly one user-assigned identity.' };
      }
      const missing = ids.find((id) => !state.identities[armKey(id)]);
      if (missing) return { ok: false, message: `The user-assigned identity '${missing}' was not found.` };
      return { ok: true, userAssignedIdentityIds: ids.map((id) => state.identities[armKey(id)]!.id) };
    }
    if (type === 'systemassigned') return { ok: true };
    return {
      ok: false,
      message: `The identity type '${String(identity.type)}' is not supported. Use 'SystemAssigned' or 'UserAssigned'.`,
    };
  }
  if (sp && typeof sp.clientId === 'string' && sp.clientId && sp.clientId.toLowerCase() !== 'msi') {
    return { ok: true, servicePrincipalClientId: sp.clientId };
  }
  // An update without `identity` keeps the cluster's current one.
  return existing
    ? {
        ok: true,
        servicePrincipalClientId: existing.servicePrincipalClientId,
        userAssignedIdentityIds: existing.userAssignedIdentityIds,
      }
    : { ok: true };
}

/** Request properties with their secrets removed, for storing (AKS never returns them). */
export function withoutSecrets(props: Record<string, unknown>): Record<string, unknown> {
  const out = { ...props };
  if (isRecord(out.windowsProfile)) {
    const { adminPassword: _password, ...rest } = out.windowsProfile;
    out.windowsProfile = rest;
  }
  delete out.servicePrincipalProfile;
  return out;
}
