import { createHash, randomBytes } from 'node:crypto';
import type { SandboxContext } from './context';
import { sampleContainerLog } from './sampleWorkload';
import type { SandboxRequest, SandboxResponse } from './http';
import type { KubeClusterContext } from './kube/clusterContext';
import { authenticateKube } from './kube/authn';
import { handleKubeRequest, KUBE_API_PREFIX, kubeApiServer } from './kube/kubeApi';
import { issuerAsSeen, LOGIN_HOST, loopbackIssuerUrl, publicIssuerUrl, publicOrigin, siteOf } from './publicNames';
import { buildKubeconfig } from './kube/kubeconfig';
import { createKubeState, type KubeState } from './kube/kubeState';
import { handleIssuerRequest, sandboxIssuerUrl } from './oidc/issuer';
import { createSigningKey, type SigningKey } from './oidc/keys';
import { armKey } from './ids';
import type { ClusterRecord } from './state';

/**
 * The one place the Azure half meets the Kubernetes half (src/sandbox/kube, src/sandbox/oidc;
 * interface in docs/contracts.md). Everything the router,
 * the ARM cluster handler and the CLI need from that half goes through here.
 */

export function newKubeState(): KubeState {
  return createKubeState();
}

export function issuerUrlFor(origin: string, region: string, tenantId: string, guid: string): string {
  return sandboxIssuerUrl(origin, region, tenantId, guid);
}

export function kubeServerUrl(origin: string, guid: string): string {
  return kubeApiServer(origin, guid);
}

/** A cluster's service-account signing key, created the first time it is needed. */
export function signingKeyOf(ctx: SandboxContext, cluster: ClusterRecord): SigningKey {
  if (!cluster.signingKey) {
    cluster.signingKey = createSigningKey();
    ctx.store.markDirty();
  }
  return cluster.signingKey;
}

/** A cluster's admin bearer token (kubeconfig, `listClusterUserCredential`), created the first time it is needed. */
export function clientTokenOf(ctx: SandboxContext, cluster: ClusterRecord): string {
  if (!cluster.clientToken) {
    cluster.clientToken = newSecretToken();
    ctx.store.markDirty();
  }
  return cluster.clientToken;
}

/** 32 random bytes, hex: the shape of AKS's local-account tokens. */
export function newSecretToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The Kubernetes half's view of one cluster for one request: a request that came through the
 * proxy (`publicNames`) sees the public issuer host, Entra's public authority host (what the
 * webhook injects on Azure) and an API server at its FQDN's root.
 */
export function clusterContext(ctx: SandboxContext, cluster: ClusterRecord, req?: SandboxRequest): KubeClusterContext {
  const issuer = cluster.oidcIssuerEnabled ? cluster.issuerUrl : undefined;
  const publicNames = req?.publicNames === true;
  const kctx: KubeClusterContext = {
    guid: cluster.guid,
    name: cluster.name,
    tenantId: ctx.store.state.tenantId,
    issuerUrl: issuer === undefined ? undefined : issuerAsSeen(issuer, siteOf(ctx), publicNames),
    issuerAliases:
      issuer === undefined ? undefined : [loopbackIssuerUrl(issuer, siteOf(ctx)), publicIssuerUrl(issuer, siteOf(ctx))],
    apiServerPath: publicNames ? '' : `${KUBE_API_PREFIX}/${cluster.guid}`,
    workloadIdentityEnabled: cluster.workloadIdentityEnabled,
    signingKey: signingKeyOf(ctx, cluster),
    clientToken: clientTokenOf(ctx, cluster),
    kube: cluster.kube,
    webhookLayout: ctx.webhookLayout,
    authorityHost: publicNames ? `${publicOrigin(LOGIN_HOST)}/` : `${ctx.origin}/`,
    persist: () => ctx.store.markDirty({ map: 'clusters', key: armKey(cluster.id) }),
    containerLog: (pod, container, previous) => sampleContainerLog(ctx, kctx, pod, container, previous),
  };
  return kctx;
}

/** Whether a request to `/k8s/{guid}/…` carries a credential that cluster's API server accepts (authn.ts). */
export function kubeCallerOf(ctx: SandboxContext, path: string, authorization: string | string[] | undefined): boolean {
  const match = /^\/k8s\/([^/]+)/i.exec(path);
  const cluster = match ? ctx.store.clusterByGuid(match[1]!) : undefined;
  return (
    cluster !== undefined &&
    authenticateKube(clusterContext(ctx, cluster), authorization, new Date(ctx.now())) !== undefined
  );
}

/** `/k8s/{guid}/…` → the cluster's Kubernetes API (req.path = the part after the GUID). */
export async function routeKube(ctx: SandboxContext, req: SandboxRequest): Promise<SandboxResponse> {
  const match = /^\/k8s\/([^/]+)(\/.*)?$/i.exec(req.path);
  const cluster = match ? ctx.store.clusterByGuid(match[1]!) : undefined;
  if (!match || !cluster) return kubeNotFound();
  return handleKubeRequest(clusterContext(ctx, cluster, req), { ...req, path: match[2] ?? '/' });
}

/** `/oidc/{region}/{tenantId}/{guid}/…` → the cluster's issuer (404 while it is not enabled). */
export function routeIssuer(ctx: SandboxContext, req: SandboxRequest): SandboxResponse {
  const match = /^\/oidc\/[^/]+\/([^/]+)\/([^/]+)(\/.*)?$/i.exec(req.path);
  const cluster = match ? ctx.store.clusterByGuid(match[2]!) : undefined;
  if (!match || !cluster || match[1]!.toLowerCase() !== ctx.store.state.tenantId) {
    return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not Found' };
  }
  return handleIssuerRequest(clusterContext(ctx, cluster, req), { ...req, path: match[3] ?? '/' });
}

/** A cluster's API server host name, as ARM's `properties.fqdn` gives it (arm/clusters.ts builds the same). */
export function clusterFqdn(cluster: ClusterRecord): string {
  return `${cluster.dnsPrefix}-${createHash('sha256').update(cluster.guid).digest('hex').slice(0, 8)}.hcp.${cluster.location}.azmk8s.io`;
}

/** kubeconfig whose servers are the clusters' real API server FQDNs (reached through the sandbox's HTTPS proxy). */
export function proxyKubeconfigFor(ctx: SandboxContext, clusters: readonly ClusterRecord[]): string {
  return buildKubeconfig(
    clusters.map((c) => ({ name: c.name, server: `https://${clusterFqdn(c)}:443`, token: clientTokenOf(ctx, c) })),
    ctx.caPem,
  );
}

/** kubeconfig for some clusters (listClusterUserCredential: one; `kwi sandbox --kubeconfig`: all). */
export function kubeconfigFor(ctx: SandboxContext, clusters: readonly ClusterRecord[]): string {
  return buildKubeconfig(
    clusters.map((c) => ({ name: c.name, server: kubeServerUrl(ctx.origin, c.guid), token: clientTokenOf(ctx, c) })),
    ctx.caPem,
  );
}

function kubeNotFound(): SandboxResponse {
  return {
    status: 404,
    headers: { 'content-type': 'application/json' },
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      details: {},
      code: 404,
    },
  };
}
