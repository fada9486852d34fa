/**
 * The Azure public cloud's host names, and how the sandbox's loopback URLs map onto them.
 *
 * A client reaches the sandbox two ways: at its loopback origin (`https://127.0.0.1:PORT`, the
 * extension and the SDK tests), or under the public cloud's names through the sandbox's HTTPS
 * proxy (kubectl, az, any SDK with only HTTPS_PROXY and the CA set). Every URL a response hands
 * out is spelled for the way the request came: a client behind the proxy is told
 * `https://eastus.oic.prod-aks.azure.com/…`, `https://{vault}.vault.azure.net/` and the API
 * server's FQDN, never a loopback port it could not have learnt on Azure.
 *
 * A cluster's issuer therefore has two spellings, one per way in; they name the same issuer
 * (both serve the same keys), so wherever the sandbox compares issuers (token exchange, API server
 * authentication, duplicate credentials) it compares the loopback spelling of both sides. Any
 * other difference, a missing trailing slash or another case, still fails as on Azure.
 */

/** Azure Resource Manager, public cloud (learn.microsoft.com/azure/azure-resource-manager/management/overview). */
export const ARM_HOST = 'management.azure.com';
/** Microsoft Entra ID's authority host, public cloud (`AZURE_AUTHORITY_HOST` the webhook injects). */
export const LOGIN_HOST = 'login.microsoftonline.com';
/** Microsoft Graph (learn.microsoft.com/graph/use-the-api). */
export const GRAPH_HOST = 'graph.microsoft.com';
/** Key Vault's DNS suffix: `https://{vault}.vault.azure.net/` (learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates). */
export const VAULT_DNS_SUFFIX = '.vault.azure.net';
/** AKS issuer host `{region}.oic.prod-aks.azure.com` (learn.microsoft.com/azure/aks/use-oidc-issuer). */
export const ISSUER_DNS_SUFFIX = '.oic.prod-aks.azure.com';

/** Where the sandbox's own issuers are: its loopback origin, and the tenant in every issuer's path. */
export interface IssuerSite {
  readonly origin: string;
  readonly tenantId: string;
}

const PUBLIC_ISSUER = /^https:\/\/([a-z0-9]+)\.oic\.prod-aks\.azure\.com\/([^/]+)(\/.*)?$/;

/** `{origin}/oidc/{region}/{rest}` → `https://{region}.oic.prod-aks.azure.com/{rest}`; any other URL unchanged. */
export function publicIssuerUrl(url: string, site: IssuerSite): string {
  const prefix = `${site.origin}/oidc/`;
  if (!url.startsWith(prefix)) return url;
  const rest = url.slice(prefix.length);
  const slash = rest.indexOf('/');
  const region = slash === -1 ? rest : rest.slice(0, slash);
  if (!/^[a-z0-9]+$/.test(region)) return url;
  return `https://${region}${ISSUER_DNS_SUFFIX}${slash === -1 ? '' : rest.slice(slash)}`;
}

/**
 * The inverse of publicIssuerUrl, for the sandbox's own tenant only: the spelling the sandbox
 * stores and serves on loopback. An issuer of another tenant (a real AKS cluster's) is kept as sent.
 */
export function loopbackIssuerUrl(url: string, site: IssuerSite): string {
  const m = PUBLIC_ISSUER.exec(url);
  return m && m[2] === site.tenantId ? `${site.origin}/oidc/${m[1]!}/${m[2]}${m[3] ?? ''}` : url;
}

/** Whether two issuer strings name the same issuer: equal once both are spelled for loopback. */
export function sameIssuer(a: string, b: string, site: IssuerSite): boolean {
  return loopbackIssuerUrl(a, site) === loopbackIssuerUrl(b, site);
}

/** An issuer URL spelled for the way the request came (`publicNames`: through the proxy). */
export function issuerAsSeen(url: string, site: IssuerSite, publicNames: boolean | undefined): string {
  return publicNames ? publicIssuerUrl(url, site) : loopbackIssuerUrl(url, site);
}

/** A vault's data-plane URL on Azure: `https://{name}.vault.azure.net/` (vault names are case-insensitive; Azure reports them lower case). */
export function publicVaultUri(name: string): string {
  return `https://${name.toLowerCase()}${VAULT_DNS_SUFFIX}/`;
}

/** `{name}.vault.azure.net` → the vault's name (lower case, as DNS is); undefined for any other host. */
export function vaultNameOfHost(host: string): string | undefined {
  const m = /^([a-z0-9-]+)\.vault\.azure\.net$/i.exec(host);
  return m ? m[1]!.toLowerCase() : undefined;
}

/** `{region}.oic.prod-aks.azure.com` → the region; undefined for any other host. */
export function issuerRegionOfHost(host: string): string | undefined {
  return /^([a-z0-9]+)\.oic\.prod-aks\.azure\.com$/.exec(host)?.[1];
}

/** The public cloud's origin for a service the proxy serves. */
export function publicOrigin(host: string): string {
  return `https://${host}`;
}

/** The issuer site of a running sandbox (its context: origin and state). */
export function siteOf(ctx: {
  readonly origin: string;
  readonly store: { readonly state: { readonly tenantId: string } };
}): IssuerSite {
  return { origin: ctx.origin, tenantId: ctx.store.state.tenantId };
}
