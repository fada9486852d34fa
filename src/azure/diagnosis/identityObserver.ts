import type { CredentialObservation, IdentityLookup } from '../../core/diagnosis/observation';
import type { Observed } from '../../core/diagnosis/types';
import type { ArmClients } from '../clients';
import type { Errorable } from '../errors';
import { listFederatedCredentials } from '../loaders';
import type { IdentityInfo } from '../models';
import { fromErrorable } from './azureObserved';

/** The user-assigned identity whose client ID the annotation names, among those listed once per run. */
export function findIdentity(listed: Errorable<readonly IdentityInfo[]>, clientId: string): Observed<IdentityLookup> {
  if (!listed.ok) return fromErrorable(listed);
  const wanted = clientId.trim().toLowerCase();
  const i = listed.value.find((x) => x.clientId.toLowerCase() === wanted);
  return {
    ok: true,
    value: {
      searched: listed.value.length,
      identity: i && {
        id: i.id,
        name: i.name,
        resourceGroup: i.resourceGroup,
        subscriptionId: i.subscriptionId,
        clientId: i.clientId,
        principalId: i.principalId,
        tenantId: i.tenantId,
      },
    },
  };
}

export async function observeCredentials(
  clients: ArmClients,
  identity: { id: string; name: string; resourceGroup: string },
): Promise<Observed<readonly CredentialObservation[]>> {
  const r = await listFederatedCredentials(clients, identity);
  return fromErrorable(
    r.ok
      ? {
          ok: true,
          value: r.value.map((f) => ({
            name: f.name,
            issuer: f.issuer,
            subject: f.subject,
            audiences: f.audiences,
            createdAt: f.createdAt,
          })),
        }
      : r,
  );
}
