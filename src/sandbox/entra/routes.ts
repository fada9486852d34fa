import type { SandboxContext } from '../context';
import { json, type SandboxRequest, type SandboxResponse } from '../http';
import { openIdConfiguration } from './discovery';
import { handleToken, tenantNotFound } from './token';

/** Entra ID paths: `/{tenant}/v2.0/.well-known/openid-configuration`, `/{tenant}/oauth2/v2.0/token`, `/{tenant}/discovery/v2.0/keys`. */
export function isEntraPath(path: string): boolean {
  return (
    /^\/[^/]+\/(v2\.0\/\.well-known\/openid-configuration|\.well-known\/openid-configuration|oauth2\/v2\.0\/token|oauth2\/token|discovery\/v2\.0\/keys|discovery\/keys)$/i.test(
      path,
    ) || /^\/common\/discovery\/instance$/i.test(path)
  );
}

export async function handleEntra(ctx: SandboxContext, req: SandboxRequest): Promise<SandboxResponse> {
  const [, tenant = '', ...rest] = req.path.split('/');
  const tail = rest.join('/').toLowerCase();
  const { tenantId, entraKey } = ctx.store.state;
  if (tenant.toLowerCase() === 'common' && tail === 'discovery/instance') {
    // Instance discovery, for clients that do not set disableInstanceDiscovery but do point at the sandbox.
    // req.origin: the authority the client addressed (login.microsoftonline.com through the proxy).
    const host = new URL(req.origin).host;
    return json(200, {
      tenant_discovery_endpoint: `${req.origin}/${tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  }
  const knownTenant = tenant.toLowerCase() === tenantId;
  if (tail.endsWith('openid-configuration')) {
    if (req.method !== 'GET') return methodNotAllowed();
    return knownTenant ? openIdConfiguration(req.origin, tenantId) : tenantNotFound(req, tenant);
  }
  if (tail.endsWith('keys')) {
    if (req.method !== 'GET') return methodNotAllowed();
    return json(200, {
      keys: [{ ...entraKey.publicJwk, x5t: entraKey.kid, issuer: `${req.origin}/${tenantId}/v2.0` }],
    });
  }
  if (req.method !== 'POST') return methodNotAllowed();
  return handleToken(ctx, req, tenant);
}

function methodNotAllowed(): SandboxResponse {
  return { status: 405, headers: { 'content-type': 'text/plain' }, body: 'Method Not Allowed' };
}
