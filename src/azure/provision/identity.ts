/** The user-assigned identity: observe, create (PUT is idempotent), delete (for Undo). */
import type { Observation } from '../../core/provision/plan';
import { armGetJson } from '../subscriptions';
import { RESOURCE_GROUPS_API_VERSION } from '../resourceGroups';
import type { ProvisionClients } from './provisionClients';
import { statusOf } from './stepErrors';

export type IdentityObservation = NonNullable<Observation['identity']>;

export async function observeIdentity(
  c: ProvisionClients,
  resourceGroup: string,
  name: string,
  abortSignal?: AbortSignal,
): Promise<IdentityObservation | undefined> {
  try {
    const i = await c.msi.userAssignedIdentities.get(resourceGroup, name, { abortSignal });
    return {
      id: i.id ?? '',
      clientId: i.clientId ?? '',
      principalId: i.principalId ?? '',
      tenantId: i.tenantId ?? '',
      location: i.location,
    };
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

export async function resourceGroupExists(
  c: ProvisionClients,
  resourceGroup: string,
  abortSignal?: AbortSignal,
): Promise<boolean> {
  try {
    c.counters.requests++;
    await armGetJson(
      c.connection,
      `${c.connection.endpoint}/subscriptions/${c.subscriptionId}/resourcegroups/${encodeURIComponent(resourceGroup)}?api-version=${RESOURCE_GROUPS_API_VERSION}`,
      abortSignal,
    );
    return true;
  } catch (e) {
    if (statusOf(e) === 404) return false;
    throw e;
  }
}

export async function createIdentity(
  c: ProvisionClients,
  resourceGroup: string,
  name: string,
  location: string,
  abortSignal?: AbortSignal,
): Promise<IdentityObservation> {
  const i = await c.msi.userAssignedIdentities.createOrUpdate(resourceGroup, name, { location }, { abortSignal });
  return {
    id: i.id ?? '',
    clientId: i.clientId ?? '',
    principalId: i.principalId ?? '',
    tenantId: i.tenantId ?? '',
    location: i.location,
  };
}

export async function deleteIdentity(
  c: ProvisionClients,
  resourceGroup: string,
  name: string,
  abortSignal?: AbortSignal,
): Promise<void> {
  await c.msi.userAssignedIdentities.delete(resourceGroup, name, { abortSignal });
}
