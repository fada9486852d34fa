import { randomBytes, randomUUID } from 'node:crypto';

/** Lower-case GUID, the form Azure returns for generated IDs (clientId, principalId, …). */
export function newGuid(): string {
  return randomUUID();
}

/** Key Vault object versions are 32 lower-case hex characters (a GUID without dashes). */
export function newSecretVersion(): string {
  return randomBytes(16).toString('hex');
}

/** ARM resource IDs are case-insensitive (azure-resource-manager-rpc): state maps key on this. */
export function armKey(id: string): string {
  return id.toLowerCase();
}

export function identityId(subscriptionId: string, resourceGroup: string, name: string): string {
  // Real ARM answers with `resourcegroups` in lower case for this RP (IdentityCreate.json example).
  return `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
}

export function resourceGroupId(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
}

export function clusterId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`;
}

export function vaultId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.KeyVault/vaults/${name}`;
}

/** Whether `scope` is `target` or one of its ancestors (ARM scopes nest by path). */
export function scopeCovers(scope: string, target: string): boolean {
  const s = scope.toLowerCase().replace(/\/+$/, '');
  const t = target.toLowerCase().replace(/\/+$/, '');
  return s === '' || s === '/' || t === s || t.startsWith(`${s}/`);
}

/** ARM stores locations normalized: `East US` → `eastus`. */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}
