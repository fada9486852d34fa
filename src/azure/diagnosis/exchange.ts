import type { TokenCredential } from '@azure/core-auth';
import { ClientAssertionCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { aadstsCode } from '../../core/diagnosis/aadsts';
import type { ExchangeObservation, ResourceAccessObservation } from '../../core/diagnosis/observation';
import { observed, unobserved, type Observed } from '../../core/diagnosis/types';
import { redactText } from '../../core/diagnosis/redact';

export interface EntraEndpoint {
  /** e.g. https://login.microsoftonline.com, or the sandbox origin. */
  readonly authorityHost: string;
  readonly tlsCa?: string;
  /** Custom authorities (the sandbox) must not ask login.microsoftonline.com for instance discovery. */
  readonly disableInstanceDiscovery: boolean;
}

export const KEY_VAULT_SCOPE = 'https://vault.azure.net/.default';
export const ARM_EXCHANGE_SCOPE = 'https://management.azure.com/.default';

/**
 * The exchange result and, on success, a credential that serves the exchanged token from
 * MSAL's in-memory cache. The caller uses it for the data-plane call and then drops it: the
 * access token is never returned, logged or stored.
 */
export interface Exchanged {
  readonly observation: Observed<ExchangeObservation>;
  readonly credential?: TokenCredential;
}

export async function exchangeToken(
  endpoint: EntraEndpoint,
  tenantId: string,
  clientId: string,
  assertion: () => string,
  scope: string,
): Promise<Exchanged> {
  const credential = new ClientAssertionCredential(tenantId, clientId, async () => assertion(), {
    authorityHost: endpoint.authorityHost,
    disableInstanceDiscovery: endpoint.disableInstanceDiscovery,
    ...(endpoint.tlsCa ? { tlsOptions: { ca: endpoint.tlsCa } } : {}),
  } as ConstructorParameters<typeof ClientAssertionCredential>[3]);
  try {
    // Key Vault's challenge policy asks with `enableCae: true`, and @azure/identity keeps CAE
    // tokens in a cache of their own: ask the same way, so the data-plane call reuses this token
    // instead of exchanging a second time (Azure/azure-sdk-for-js sdk/identity, CAE support).
    const t = await credential.getToken(scope, { enableCae: true });
    return {
      observation: observed({ ok: true, expiresOn: t.expiresOnTimestamp, scope, tenantId, clientId }),
      credential,
    };
  } catch (e) {
    const message = redactText((e as Error)?.message ?? String(e));
    const aadsts = aadstsCode(message);
    if (!aadsts && !/AADSTS|invalid_client|invalid_request/.test(message)) {
      return { observation: unobserved({ kind: 'network', message }) };
    }
    return { observation: observed({ ok: false, aadsts, message, scope, tenantId, clientId }) };
  }
}

/** Key Vault "Get Secrets" (names and attributes, never values), first page only, with the exchanged token. */
export async function listSecretNames(
  vaultUrl: string,
  credential: TokenCredential,
  tlsCa?: string,
): Promise<Observed<ResourceAccessObservation>> {
  // A host outside *.vault.azure.net (the sandbox) cannot pass the SDK's challenge-resource check.
  const verify = /\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)$/i.test(new URL(vaultUrl).hostname);
  const client = new SecretClient(vaultUrl, credential, {
    disableChallengeResourceVerification: !verify,
    retryOptions: { maxRetries: 1 },
    ...(tlsCa ? { tlsOptions: { ca: tlsCa } } : {}),
  } as ConstructorParameters<typeof SecretClient>[2]);
  try {
    const names: string[] = [];
    for await (const page of client.listPropertiesOfSecrets().byPage({ maxPageSize: 25 })) {
      for (const p of page) names.push(p.name);
      break;
    }
    return observed({ kind: 'keyvault-secrets', url: vaultUrl, status: 200, secretNames: names.sort() });
  } catch (e) {
    const err = e as { statusCode?: number; message?: string; code?: string };
    if (typeof err.statusCode === 'number') {
      return observed({
        kind: 'keyvault-secrets',
        url: vaultUrl,
        status: err.statusCode,
        message: redactText(err.code ? `${err.code}: ${err.message ?? ''}` : (err.message ?? '')),
      });
    }
    return unobserved({ kind: 'network', message: redactText(err.message ?? String(e)) });
  }
}
