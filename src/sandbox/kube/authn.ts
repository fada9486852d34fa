import { createPublicKey, timingSafeEqual, verify } from 'node:crypto';
import type { KubeClusterContext } from './clusterContext';
import { clusterIssuers, PRIVATE_ISSUER } from './tokenRequest';

/**
 * Who a request to a sandbox cluster's API server is, the way kube-apiserver authenticates with
 * anonymous auth off (AKS):
 * - the cluster's own credential, the bearer token the sandbox writes into the kubeconfig and
 *   returns from `listClusterUserCredential` (AKS's `clusterUser`, cluster-admin); or
 * - a ServiceAccount token the cluster signed, unexpired, whose `aud` names one of the API
 *   server's audiences (`--api-audiences`, the issuer by default, and the in-cluster name), for a
 *   ServiceAccount that still exists with the same UID (kubernetes
 *   pkg/serviceaccount/claims.go, Validate). A token minted for `api://AzureADTokenExchange` is
 *   refused, as on a cluster. Such a caller may only read discovery documents: the sandbox has no
 *   RBAC, and a ServiceAccount holds no more than `system:discovery` by default.
 * Anything else is `undefined` (401).
 */
export type KubeCaller = { kind: 'clusterUser' } | { kind: 'serviceAccount'; username: string };

const verifiedTokens = new Map<string, Record<string, unknown>>();

export function authenticateKube(
  ctx: KubeClusterContext,
  authorization: string | string[] | undefined,
  now: Date,
): KubeCaller | undefined {
  if (typeof authorization !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) return undefined;
  const token = m[1]!;
  if (sameSecret(token, ctx.clientToken)) return { kind: 'clusterUser' };
  const claims = serviceAccountClaims(ctx, token);
  if (!claims) return undefined;
  const seconds = now.getTime() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= seconds) return undefined;
  if (typeof claims.nbf === 'number' && claims.nbf > seconds + 60) return undefined;
  const issuers = clusterIssuers(ctx);
  if (typeof claims.iss !== 'string' || !issuers.includes(claims.iss)) return undefined;
  const audiences = new Set([...issuers, PRIVATE_ISSUER]);
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => typeof a === 'string' && audiences.has(a))) return undefined;
  const k8s = claims['kubernetes.io'] as
    { namespace?: unknown; serviceaccount?: { name?: unknown; uid?: unknown } } | undefined;
  const ns = typeof k8s?.namespace === 'string' ? k8s.namespace : '';
  const name = typeof k8s?.serviceaccount?.name === 'string' ? k8s.serviceaccount.name : '';
  const sa = ctx.kube.serviceaccounts[ns]?.[name];
  if (!sa || (sa.metadata as { uid?: unknown } | undefined)?.uid !== k8s?.serviceaccount?.uid) return undefined;
  return { kind: 'serviceAccount', username: `system:serviceaccount:${ns}:${name}` };
}

/** The discovery paths `system:discovery` grants (kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go). */
export function isDiscoveryPath(method: string, path: string): boolean {
  if (method !== 'GET') return false;
  return (
    /^\/(api|apis|version|healthz|livez|readyz|openapi|\.well-known\/openid-configuration|openid\/v1\/jwks)(\/|$)/.test(
      path,
    ) && !/^\/api\/v1\/|^\/apis\/[^/]+\/[^/]+\/./.test(path)
  );
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return b.length > 0 && x.length === y.length && timingSafeEqual(x, y);
}

function serviceAccountClaims(ctx: KubeClusterContext, token: string): Record<string, unknown> | undefined {
  const cacheKey = `${ctx.signingKey.kid}|${token}`;
  const cached = verifiedTokens.get(cacheKey);
  if (cached) return cached;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: unknown; kid?: unknown };
    if (header.alg !== 'RS256' || header.kid !== ctx.signingKey.kid) return undefined;
    const key = createPublicKey({
      key: { kty: 'RSA', n: ctx.signingKey.publicJwk.n, e: ctx.signingKey.publicJwk.e },
      format: 'jwk',
    });
    if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2]!, 'base64url'))) {
      return undefined;
    }
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (verifiedTokens.size >= 1000) verifiedTokens.clear();
    verifiedTokens.set(cacheKey, claims);
    return claims;
  } catch {
    return undefined;
  }
}
