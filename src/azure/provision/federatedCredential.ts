/**
 * Federated identity credentials of one identity (Microsoft.ManagedIdentity 2024-11-30). Listed
 * whole (for the (issuer, subject) match and the 20-credential limit); created with a PUT that is
 * idempotent for the same name and values. Writes under one identity are serialized by the
 * executor; a 409 from a writer outside this run is retried with backoff.
 */
import { WI_AUDIENCE } from '../../core/provision/plan';
import { backoffDelay, type BackoffSettings } from '../../core/provision/backoff';
import type { ProvisionClients } from './provisionClients';
import { codeOf, statusOf } from './stepErrors';
import { sleep } from './sleep';

export interface CredentialFact {
  readonly name: string;
  readonly issuer: string;
  readonly subject: string;
  readonly id: string;
}

export async function listCredentials(
  c: ProvisionClients,
  resourceGroup: string,
  identityName: string,
  abortSignal?: AbortSignal,
): Promise<CredentialFact[]> {
  const out: CredentialFact[] = [];
  for await (const f of c.msi.federatedIdentityCredentials.list(resourceGroup, identityName, { abortSignal })) {
    out.push({ name: f.name ?? '', issuer: f.issuer ?? '', subject: f.subject ?? '', id: f.id ?? '' });
  }
  return out;
}

export async function createCredential(
  c: ProvisionClients,
  resourceGroup: string,
  identityName: string,
  name: string,
  issuer: string,
  subject: string,
  o: { abortSignal?: AbortSignal; backoff?: BackoffSettings; onRetry?: (code: string, delayMs: number) => void } = {},
): Promise<CredentialFact> {
  for (let attempt = 0; ; attempt++) {
    try {
      const f = await c.msi.federatedIdentityCredentials.createOrUpdate(
        resourceGroup,
        identityName,
        name,
        { issuer, subject, audiences: [WI_AUDIENCE] },
        { abortSignal: o.abortSignal },
      );
      return { name: f.name ?? name, issuer: f.issuer ?? issuer, subject: f.subject ?? subject, id: f.id ?? '' };
    } catch (e) {
      // Concurrent writes under one identity: 409 ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity.
      if (statusOf(e) !== 409 || attempt >= 5 || /exists/i.test(codeOf(e) ?? '')) throw e;
      const delay = backoffDelay(attempt, o.backoff);
      o.onRetry?.(codeOf(e) ?? '409', delay);
      await sleep(delay, o.abortSignal);
    }
  }
}

export async function deleteCredential(
  c: ProvisionClients,
  resourceGroup: string,
  identityName: string,
  name: string,
  abortSignal?: AbortSignal,
): Promise<void> {
  await c.msi.federatedIdentityCredentials.delete(resourceGroup, identityName, name, { abortSignal });
}
