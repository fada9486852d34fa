/**
 * The resources the sandbox's Entra ID issues tokens for, keyed by the `aud` it writes. Scopes
 * are accepted in the forms real Entra accepts for the client-credentials grant:
 * `{resource}/.default`, with or without a trailing slash on the resource, plus ARM's legacy
 * `https://management.core.windows.net//.default` (learn.microsoft.com/entra/identity-platform/scopes-oidc, "The /.default scope").
 */
export const ARM_AUDIENCE = 'https://management.azure.com';
export const VAULT_AUDIENCE = 'https://vault.azure.net';
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

const SCOPE_TO_AUDIENCE: ReadonlyMap<string, string> = new Map([
  ['https://management.azure.com/.default', ARM_AUDIENCE],
  ['https://management.azure.com//.default', ARM_AUDIENCE],
  ['https://management.core.windows.net/.default', 'https://management.core.windows.net/'],
  ['https://management.core.windows.net//.default', 'https://management.core.windows.net/'],
  ['https://vault.azure.net/.default', VAULT_AUDIENCE],
  ['https://vault.azure.net//.default', VAULT_AUDIENCE],
  ['https://graph.microsoft.com/.default', GRAPH_AUDIENCE],
  // What the Azure CLI asks for (its Graph resource ID ends in a slash); the real endpoint accepts it.
  ['https://graph.microsoft.com//.default', GRAPH_AUDIENCE],
  // Graph's application ID, which Entra accepts as its resource identifier too.
  ['00000003-0000-0000-c000-000000000000/.default', GRAPH_AUDIENCE],
]);

/** Audiences Microsoft Graph accepts in an access token. */
export const GRAPH_AUDIENCES: ReadonlySet<string> = new Set([
  GRAPH_AUDIENCE,
  `${GRAPH_AUDIENCE}/`,
  '00000003-0000-0000-c000-000000000000',
]);

/** Audiences ARM accepts (its 401 InvalidAuthenticationTokenAudience lists exactly these). */
export const ARM_AUDIENCES: ReadonlySet<string> = new Set([
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
  'https://management.azure.com/',
  'https://management.azure.com',
]);

export const VAULT_AUDIENCES: ReadonlySet<string> = new Set([VAULT_AUDIENCE, `${VAULT_AUDIENCE}/`]);

/** OIDC scopes MSAL may add; Entra ignores them for the client-credentials grant. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export type ScopeResult =
  { audience: string } | { error: 'noDefault' | 'unknown' | 'missing' | 'multiple'; resource: string };

export function audienceForScope(scopeParam: string | null): ScopeResult {
  const scopes = (scopeParam ?? '').split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s.toLowerCase()));
  if (scopes.length === 0) return { error: 'missing', resource: '' };
  if (scopes.length > 1) return { error: 'multiple', resource: scopes.join(' ') };
  const scope = scopes[0]!;
  const audience = SCOPE_TO_AUDIENCE.get(scope.toLowerCase());
  if (audience) return { audience };
  if (!scope.toLowerCase().endsWith('/.default')) return { error: 'noDefault', resource: scope };
  return { error: 'unknown', resource: scope.slice(0, -'/.default'.length) };
}
