import { json, type SandboxRequest, type SandboxResponse } from '../http';
import type { KubeClusterContext } from '../kube/clusterContext';

/** Path prefix of every cluster issuer on the sandbox server. */
export const OIDC_PREFIX = '/oidc';

/**
 * The sandbox's stand-in for AKS's `https://{region}.oic.prod-aks.azure.com/{tenantId}/{guid}/`:
 * same path shape, same trailing slash (Entra compares the issuer byte for byte).
 */
export function sandboxIssuerUrl(origin: string, region: string, tenantId: string, guid: string): string {
  return `${origin}${OIDC_PREFIX}/${region}/${tenantId}/${guid}/`;
}

/**
 * Serves the issuer's discovery document and JWKS, as AKS's issuer does (a static blob store
 * holding what kube-apiserver's `/.well-known/openid-configuration` would serve;
 * kubernetes pkg/serviceaccount/openidmetadata.go). Only while the issuer is enabled.
 * `req.path` is what follows `/oidc/{region}/{tenantId}/{guid}`.
 */
export function handleIssuerRequest(ctx: KubeClusterContext, req: SandboxRequest): SandboxResponse {
  const issuer = ctx.issuerUrl;
  if (issuer === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
    return notFound();
  }
  // Tolerate a doubled slash: clients that join `issuer` + `/.well-known/…` send `//.well-known`.
  const path = req.path.replace(/^\/+/, '/');
  if (path === '/.well-known/openid-configuration') {
    return json(200, {
      issuer,
      jwks_uri: `${issuer}openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  }
  if (path === '/openid/v1/jwks') {
    return json(200, { keys: [ctx.signingKey.publicJwk] }, { 'content-type': 'application/jwk-set+json' });
  }
  return notFound();
}

/** What the issuer's blob storage answers for anything else: a plain 404. */
function notFound(): SandboxResponse {
  return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not Found' };
}
