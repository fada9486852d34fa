import { createHash } from 'node:crypto';
import { issuerUrlFor, kubeconfigFor, newKubeState, proxyKubeconfigFor } from '../clusterBridge';
import { issuerAsSeen, siteOf } from '../publicNames';
import type { SandboxContext } from '../context';
import { json, type SandboxRequest, type SandboxResponse } from '../http';
import { armKey, clusterId, identityId, newGuid, resourceGroupId } from '../ids';
import type { ClusterRecord, OperationRecord, SandboxState } from '../state';
import {
  agentPoolJson,
  clusterIdentityJson,
  networkProfileJson,
  nodeResourceGroupOf,
  readIdentityChoice,
  servicePrincipalProfileJson,
  withoutSecrets,
} from './clusterProfiles';
import { deleteCluster } from './deletion';
import { armError, methodNotAllowed, parseBody, resourceNotFound, stringTags } from './errors';
import { inScope, page } from './paging';
import { isRecord } from '../../core/is';

export const CLUSTER_TYPE = 'Microsoft.ContainerService/managedClusters';
const DEFAULT_K8S_VERSION = '1.33.3';
/** AKS cluster names: 1–63 of letters, digits, `_`, `-`, starting and ending with a letter or digit. */
const CLUSTER_NAME = /^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/;
/** Properties the service owns: never stored from a request body. */
const SERVER_OWNED = new Set([
  'provisioningState',
  'powerState',
  'fqdn',
  'azurePortalFQDN',
  'privateFQDN',
  'currentKubernetesVersion',
  'identityProfile',
  'oidcIssuerProfile',
  'securityProfile',
  'maxAgentPools',
  'agentPoolProfiles',
  'dnsPrefix',
  'kubernetesVersion',
  'nodeResourceGroup',
  'resourceUID',
]);

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** Applies a finished operation to its cluster (state is computed lazily when read). */
function settle(ctx: SandboxContext, cluster: ClusterRecord): void {
  const op = cluster.operationId ? ctx.store.state.operations[cluster.operationId] : undefined;
  if (op && ctx.now() >= op.endTime && cluster.provisioningState !== op.finalState) {
    cluster.provisioningState = op.finalState;
    ctx.store.markDirty();
  }
}

/** `publicNames`: the client came through the proxy, so the issuer URL names the public issuer host (publicNames.ts). */
export function clusterJson(ctx: SandboxContext, c: ClusterRecord, publicNames?: boolean): Record<string, unknown> {
  settle(ctx, c);
  const fqdn = `${c.dnsPrefix}-${shortHash(c.guid)}.hcp.${c.location}.azmk8s.io`;
  const { securityProfile: extraSecurity, networkProfile: sentNetwork, ...extra } = c.extraProperties;
  const identity = clusterIdentityJson(ctx.store.state, c);
  const nodeResourceGroup = nodeResourceGroupOf(c);
  return {
    id: c.id,
    location: c.location,
    name: c.name,
    tags: c.tags ?? {},
    type: CLUSTER_TYPE,
    eTag: shortHash(
      `${c.guid}${c.provisioningState}${String(c.oidcIssuerEnabled)}${String(c.workloadIdentityEnabled)}`,
    ),
    ...(identity ? { identity } : {}),
    sku: { name: 'Base', tier: 'Free' },
    properties: {
      ...extra,
      provisioningState: c.provisioningState,
      powerState: { code: 'Running' },
      kubernetesVersion: c.kubernetesVersion,
      currentKubernetesVersion: c.kubernetesVersion,
      dnsPrefix: c.dnsPrefix,
      fqdn,
      azurePortalFQDN: `${c.dnsPrefix}-${shortHash(c.guid)}.portal.hcp.${c.location}.azmk8s.io`,
      agentPoolProfiles: c.agentPoolProfiles.map((p) => agentPoolJson(c, p)),
      servicePrincipalProfile: servicePrincipalProfileJson(c),
      networkProfile: networkProfileJson(c, nodeResourceGroup, sentNetwork),
      nodeResourceGroup,
      enableRBAC: true,
      maxAgentPools: 100,
      identityProfile: { kubeletidentity: { ...c.kubeletIdentity } },
      // `issuerURL` with capital URL on the wire (managedClusters.json, ManagedClusterOIDCIssuerProfile);
      // present only once enabled.
      oidcIssuerProfile:
        c.oidcIssuerEnabled && c.issuerUrl
          ? { enabled: true, issuerURL: issuerAsSeen(c.issuerUrl, siteOf(ctx), publicNames) }
          : { enabled: false },
      securityProfile: {
        ...(isRecord(extraSecurity) ? extraSecurity : {}),
        workloadIdentity: { enabled: c.workloadIdentityEnabled },
      },
    },
  };
}

export function handleClusterList(
  ctx: SandboxContext,
  req: SandboxRequest,
  subscriptionId: string,
  resourceGroup?: string,
): SandboxResponse {
  if (req.method !== 'GET') return methodNotAllowed(req.method, req.path);
  const items = inScope(ctx.store.state.clusters, subscriptionId, resourceGroup).map((c) =>
    clusterJson(ctx, c, req.publicNames),
  );
  return json(200, page(req, items, ctx.knobs.pageSize));
}

export function handleCluster(
  ctx: SandboxContext,
  req: SandboxRequest,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
  action: string[],
): SandboxResponse {
  const key = armKey(clusterId(subscriptionId, resourceGroup, name));
  const cluster = ctx.store.state.clusters[key];
  if (action.length > 0) {
    const verb = action.join('/').toLowerCase();
    if (verb !== 'listclusterusercredential' && verb !== 'listclusteradmincredential') {
      return armError(404, 'NotFound', `The requested path '${req.path}' was not found.`);
    }
    if (req.method !== 'POST') return methodNotAllowed(req.method, req.path);
    if (!cluster) return resourceNotFound(CLUSTER_TYPE, name, resourceGroup);
    // Through the proxy the kubeconfig names the API server's FQDN, as AKS's does.
    const kubeconfig = req.publicNames ? proxyKubeconfigFor(ctx, [cluster]) : kubeconfigFor(ctx, [cluster]);
    const credentialName = verb === 'listclusteradmincredential' ? 'clusterAdmin' : 'clusterUser';
    return json(200, {
      kubeconfigs: [{ name: credentialName, value: Buffer.from(kubeconfig, 'utf8').toString('base64') }],
    });
  }
  switch (req.method) {
    case 'GET':
      return cluster
        ? json(200, clusterJson(ctx, cluster, req.publicNames))
        : resourceNotFound(CLUSTER_TYPE, name, resourceGroup);
    case 'PUT':
      return putCluster(ctx, req, subscriptionId, resourceGroup, name, cluster);
    case 'DELETE': {
      if (!cluster) return { status: 204 };
      const op = startOperation(ctx, cluster, 'Succeeded');
      deleteCluster(ctx, cluster);
      return { status: 202, headers: asyncHeaders(ctx, req, op) };
    }
    default:
      return methodNotAllowed(req.method, req.path);
  }
}

function startOperation(
  ctx: SandboxContext,
  cluster: ClusterRecord,
  finalState: 'Succeeded' | 'Failed',
): OperationRecord {
  const now = ctx.now();
  const op: OperationRecord = {
    id: newGuid(),
    resourceId: cluster.id,
    location: cluster.location,
    subscriptionId: cluster.subscriptionId,
    startTime: now,
    endTime: now + ctx.knobs.lroSeconds * 1000,
    finalState,
  };
  ctx.store.state.operations[op.id] = op;
  cluster.operationId = op.id;
  return op;
}

/** The operation-status URL AKS returns in `Azure-AsyncOperation`, absolute and on the sandbox. */
function asyncHeaders(ctx: SandboxContext, req: SandboxRequest, op: OperationRecord): Record<string, string> {
  const apiVersion = encodeURIComponent(req.query.get('api-version') ?? '');
  const url = `${req.origin}/subscriptions/${op.subscriptionId}/providers/Microsoft.ContainerService/locations/${op.location}/operations/${op.id}?api-version=${apiVersion}`;
  return {
    'azure-asyncoperation': url,
    location: `${url}&operationResultResponseType=Location`,
    ...retryAfter(ctx, op),
  };
}

/**
 * `Retry-After` while an operation runs (azure-resource-manager-rpc, async-api-reference.md: the
 * client waits that many seconds before polling): the whole seconds left, at least 1, so a client
 * polling at its default interval waits what `lroSeconds` says rather than its own default.
 */
function retryAfter(ctx: SandboxContext, op: OperationRecord): Record<string, string> {
  const left = op.endTime - ctx.now();
  return left > 0 ? { 'retry-after': String(Math.max(1, Math.ceil(left / 1000))) } : {};
}

function putCluster(
  ctx: SandboxContext,
  req: SandboxRequest,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
  existing: ClusterRecord | undefined,
): SandboxResponse {
  const parsed = parseBody(req.body);
  if (!parsed.ok) return parsed.response;
  const body = parsed.value;
  if (!CLUSTER_NAME.test(name)) {
    return armError(
      400,
      'InvalidParameter',
      `The value of parameter resourceName is invalid. Please see https://aka.ms/aks-naming-rules for more details.`,
    );
  }
  const location = typeof body.location === 'string' ? body.location : '';
  if (!location) return armError(400, 'LocationRequired', 'The location property is required for this definition.');
  if (existing) {
    settle(ctx, existing);
    if (existing.provisioningState === 'Creating' || existing.provisioningState === 'Updating') {
      return armError(
        409,
        'OperationNotAllowed',
        `Operation is not allowed because there's an in progress ${existing.provisioningState === 'Creating' ? 'create' : 'update'} managed cluster operation. Please wait for it to finish before starting a new operation.`,
      );
    }
    if (existing.location.toLowerCase() !== location.replace(/\s/g, '').toLowerCase()) {
      return armError(
        400,
        'InvalidResourceLocation',
        `The resource '${name}' already exists in location '${existing.location}' in resource group '${resourceGroup}'. A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
      );
    }
  }
  const props = isRecord(body.properties) ? body.properties : {};
  const oidc = isRecord(props.oidcIssuerProfile) ? props.oidcIssuerProfile : undefined;
  const security = isRecord(props.securityProfile) ? props.securityProfile : undefined;
  const wi = security && isRecord(security.workloadIdentity) ? security.workloadIdentity : undefined;

  // Omitted profiles keep their current value (the CLI always sends the whole cluster back).
  const oidcEnabled = typeof oidc?.enabled === 'boolean' ? oidc.enabled : (existing?.oidcIssuerEnabled ?? false);
  const wiEnabled = typeof wi?.enabled === 'boolean' ? wi.enabled : (existing?.workloadIdentityEnabled ?? false);
  if (existing?.oidcIssuerEnabled && !oidcEnabled) {
    // Once enabled, the issuer cannot be disabled (learn.microsoft.com/azure/aks/use-oidc-issuer).
    return armError(400, 'BadRequest', 'OIDC issuer feature cannot be disabled once it is enabled.');
  }
  if (wiEnabled && !oidcEnabled) {
    return armError(
      400,
      'InvalidParameter',
      'Enabling workload identity requires enabling the OIDC issuer (properties.oidcIssuerProfile.enabled) as well.',
    );
  }
  const identityChoice = readIdentityChoice(ctx.store.state, body, props, existing);
  if (!identityChoice.ok) return armError(400, 'InvalidParameter', identityChoice.message);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(withoutSecrets(props))) if (!SERVER_OWNED.has(k)) extra[k] = v;
  if (security) {
    const { workloadIdentity: _ignored, ...otherSecurity } = security;
    if (Object.keys(otherSecurity).length > 0) extra.securityProfile = otherSecurity;
  }
  if (typeof props.nodeResourceGroup === 'string') extra.nodeResourceGroupName = props.nodeResourceGroup;

  const tenantId = ctx.store.state.tenantId;
  const cluster: ClusterRecord =
    existing ??
    newCluster(ctx.store.state, subscriptionId, resourceGroup, name, location.replace(/\s/g, '').toLowerCase(), props);
  cluster.tags = stringTags(body.tags) ?? existing?.tags ?? {};
  if (typeof props.kubernetesVersion === 'string' && props.kubernetesVersion) {
    cluster.kubernetesVersion = props.kubernetesVersion;
  }
  if (Array.isArray(props.agentPoolProfiles) && props.agentPoolProfiles.length > 0) {
    cluster.agentPoolProfiles = agentPools(props.agentPoolProfiles);
  }
  cluster.extraProperties = extra;
  cluster.servicePrincipalClientId = identityChoice.servicePrincipalClientId;
  cluster.userAssignedIdentityIds = identityChoice.userAssignedIdentityIds;
  if (oidcEnabled && !cluster.oidcIssuerEnabled) {
    // Enabling the issuer assigns its URL (learn.microsoft.com/azure/aks/use-oidc-issuer).
    cluster.issuerUrl = issuerUrlFor(ctx.origin, cluster.location, tenantId, cluster.guid);
  }
  cluster.oidcIssuerEnabled = oidcEnabled;
  cluster.workloadIdentityEnabled = wiEnabled;
  cluster.provisioningState = existing ? 'Updating' : 'Creating';
  const op = startOperation(ctx, cluster, ctx.lroFails() ? 'Failed' : 'Succeeded');
  if (op.finalState === 'Failed') {
    // What a failed reconcile reports in the Azure-AsyncOperation status; the SDK surfaces it as
    // "The long-running operation has failed. {code}. {message}" (Azure/azure-sdk-for-js sdk/core/core-lro).
    op.error = {
      code: 'ReconcileManagedClusterFailed',
      message: `Reconcile of managed cluster '${name}' failed (injected by the sandbox's lroFailRate knob). Retry the operation.`,
    };
  }
  ctx.store.state.clusters[armKey(cluster.id)] = cluster;
  ctx.store.markDirty();
  return json(existing ? 200 : 201, clusterJson(ctx, cluster, req.publicNames), asyncHeaders(ctx, req, op));
}

function agentPools(input: unknown[]): Record<string, unknown>[] {
  return input.filter(isRecord).map((p, i) => ({
    name: typeof p.name === 'string' ? p.name : `nodepool${i + 1}`,
    count: typeof p.count === 'number' ? p.count : 1,
    vmSize: typeof p.vmSize === 'string' ? p.vmSize : 'Standard_DS2_v2',
    osType: typeof p.osType === 'string' ? p.osType : 'Linux',
    mode: typeof p.mode === 'string' ? p.mode : i === 0 ? 'System' : 'User',
    maxPods: typeof p.maxPods === 'number' ? p.maxPods : 110,
    type: 'VirtualMachineScaleSets',
    ...Object.fromEntries(
      Object.entries(p).filter(
        ([k]) => !['provisioningState', 'powerState', 'currentOrchestratorVersion', 'orchestratorVersion'].includes(k),
      ),
    ),
  }));
}

/**
 * A new cluster: GUID for its issuer and API paths, its kubelet identity as a user-assigned
 * identity in the node resource group (where AKS creates `{cluster}-agentpool`).
 */
export function newCluster(
  state: SandboxState,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
  location: string,
  props: Record<string, unknown>,
): ClusterRecord {
  const nodeRg =
    typeof props.nodeResourceGroup === 'string' ? props.nodeResourceGroup : `MC_${resourceGroup}_${name}_${location}`;
  const nodeRgKey = armKey(resourceGroupId(subscriptionId, nodeRg));
  state.resourceGroups[nodeRgKey] ??= { subscriptionId, name: nodeRg, location };
  const kubeletName = `${name}-agentpool`;
  const kubeletId = identityId(subscriptionId, nodeRg, kubeletName);
  const kubelet = {
    id: kubeletId,
    name: kubeletName,
    subscriptionId,
    resourceGroup: nodeRg,
    location,
    tags: {},
    clientId: newGuid(),
    principalId: newGuid(),
    tenantId: state.tenantId,
    isolationScope: 'None' as const,
    federatedCredentials: {},
  };
  state.identities[armKey(kubeletId)] = kubelet;
  return {
    id: clusterId(subscriptionId, resourceGroup, name),
    name,
    subscriptionId,
    resourceGroup,
    location,
    guid: newGuid(),
    dnsPrefix:
      typeof props.dnsPrefix === 'string' && props.dnsPrefix
        ? props.dnsPrefix
        : `${name.slice(0, 10)}-${resourceGroup.slice(0, 16)}-${subscriptionId.slice(0, 6)}`,
    kubernetesVersion: DEFAULT_K8S_VERSION,
    agentPoolProfiles: agentPools([{ name: 'nodepool1', count: 1, mode: 'System' }]),
    oidcIssuerEnabled: false,
    workloadIdentityEnabled: false,
    kubeletIdentity: { resourceId: kubeletId, clientId: kubelet.clientId, objectId: kubelet.principalId },
    provisioningState: 'Creating',
    controlPlanePrincipalId: newGuid(),
    kube: newKubeState(),
    extraProperties: {},
  };
}

/** `GET …/locations/{loc}/operations/{id}`: `{name, status, startTime, endTime?, error?}`
 * (Azure/azure-resource-manager-rpc v1.0/async-api-reference.md). */
export function handleClusterOperation(ctx: SandboxContext, req: SandboxRequest, id: string): SandboxResponse {
  if (req.method !== 'GET') return methodNotAllowed(req.method, req.path);
  const op = ctx.store.state.operations[id.toLowerCase()] ?? ctx.store.state.operations[id];
  if (!op) return armError(404, 'NotFound', `Operation '${id}' was not found.`);
  const done = ctx.now() >= op.endTime;
  const status = done ? op.finalState : 'InProgress';
  const iso = (t: number): string => new Date(t).toISOString();
  return json(
    200,
    {
      id: `/subscriptions/${op.subscriptionId}/providers/Microsoft.ContainerService/locations/${op.location}/operations/${op.id}`,
      name: op.id,
      status,
      startTime: iso(op.startTime),
      ...(done ? { endTime: iso(op.endTime) } : {}),
      ...(done && op.error ? { error: op.error } : {}),
    },
    retryAfter(ctx, op),
  );
}
