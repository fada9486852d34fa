/** The user-assigned identity: observe, create (PUT is idempotent), delete (for Undo). */
import type { Observation } from '../../core/provision/plan';
import { armGetJson } from '../subscriptions';
import { RESOURCE_GROUPS_API_VERSION } from '../resourceGroups';
import type { ProvisionClients } from './provisionClients';
import { unlessNotFound } from './stepErrors';

export type IdentityObservation = NonNullable<Observation['identity']>;

export async function observeIdentity(
  c: ProvisionClients,
  resourceGroup: string,
  name: string,
  abortSignal?: AbortSignal,
): Promise<IdentityObservation | undefined> {
  return unlessNotFound(async () => {
    const i = await c.msi.userAssignedIdentities.get(resourceGroup, name, { abortSignal });
    return {
      id: i.id ?? '',
      clientId: i.clientId ?? '',
      principalId: i.principalId ?? '',
      tenantId: i.tenantId ?? '',
      location: i.location,
    };
  }, undefined);
}

export async function resourceGroupExists(
  c: ProvisionClients,
  resourceGroup: string,
  abortSignal?: AbortSignal,
): Promise<boolean> {
  return unlessNotFound(async () => {
    c.counters.requests++;
    await armGetJson(
      c.connection,
      `${c.connection.endpoint}/subscriptions/${c.subscriptionId}/resourcegroups/${encodeURIComponent(resourceGroup)}?api-version=${RESOURCE_GROUPS_API_VERSION}`,
      abortSignal,
    );
    return true;
  }, false);
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
