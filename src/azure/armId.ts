/**
 * ARM resource IDs and scopes, made readable. Format (azure-resource-manager-rpc, resource IDs):
 * `/subscriptions/{sub}/resourceGroups/{rg}/providers/{Namespace}/{type}/{name}[/{type}/{name}…]`;
 * management groups: `/providers/Microsoft.Management/managementGroups/{id}`. Case-insensitive.
 */
export interface ParsedArmId {
  readonly kind: 'root' | 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource' | 'unknown';
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  /** e.g. `Microsoft.KeyVault/vaults` (child types joined: `Microsoft.Sql/servers/databases`). */
  readonly resourceType?: string;
  /** Last name segment. */
  readonly name?: string;
  readonly managementGroup?: string;
}

export function parseArmId(id: string): ParsedArmId {
  const parts = id.split('/').filter(Boolean);
  if (parts.length === 0) return { kind: 'root' };
  const lower = parts.map((p) => p.toLowerCase());
  if (lower[0] === 'providers' && lower[1] === 'microsoft.management' && lower[2] === 'managementgroups' && parts[3]) {
    return { kind: 'managementGroup', managementGroup: parts[3], name: parts[3] };
  }
  if (lower[0] !== 'subscriptions' || !parts[1]) return { kind: 'unknown' };
  const subscriptionId = parts[1];
  if (parts.length === 2) return { kind: 'subscription', subscriptionId };
  let i = 2;
  let resourceGroup: string | undefined;
  if (lower[2] === 'resourcegroups' && parts[3]) {
    resourceGroup = parts[3];
    if (parts.length === 4) return { kind: 'resourceGroup', subscriptionId, resourceGroup, name: resourceGroup };
    i = 4;
  }
  if (lower[i] !== 'providers' || !parts[i + 1]) return { kind: 'unknown', subscriptionId, resourceGroup };
  const namespace = parts[i + 1];
  const types: string[] = [];
  let name: string | undefined;
  for (let j = i + 2; j + 1 < parts.length; j += 2) {
    types.push(parts[j]);
    name = parts[j + 1];
  }
  if (!types.length) return { kind: 'unknown', subscriptionId, resourceGroup };
  return { kind: 'resource', subscriptionId, resourceGroup, resourceType: `${namespace}/${types.join('/')}`, name };
}

/** Friendly names of the resource types role assignments most often target. */
const TYPE_LABELS: Record<string, string> = {
  'microsoft.keyvault/vaults': 'Key Vault',
  'microsoft.storage/storageaccounts': 'storage account',
  'microsoft.storage/storageaccounts/blobservices/containers': 'blob container',
  'microsoft.containerregistry/registries': 'container registry',
  'microsoft.containerservice/managedclusters': 'AKS cluster',
  'microsoft.managedidentity/userassignedidentities': 'managed identity',
  'microsoft.documentdb/databaseaccounts': 'Cosmos DB account',
  'microsoft.servicebus/namespaces': 'Service Bus namespace',
  'microsoft.eventhub/namespaces': 'Event Hubs namespace',
  'microsoft.sql/servers': 'SQL server',
  'microsoft.sql/servers/databases': 'SQL database',
  'microsoft.appconfiguration/configurationstores': 'App Configuration store',
  'microsoft.network/virtualnetworks': 'virtual network',
  'microsoft.compute/virtualmachinescalesets': 'VM scale set',
};

export interface ScopeLabelOptions {
  /** subscriptionId (lower-case) → display name */
  subscriptionNames?: ReadonlyMap<string, string>;
  /** Words for the kinds, so the vscode layer can localize; English by default. */
  words?: Partial<Record<'root' | 'managementGroup' | 'subscription' | 'resourceGroup', string>>;
}

/** `kv-demo (Key Vault)`, `rg-demo (resource group)`, `Sandbox subscription (subscription)`. */
export function scopeLabel(scope: string, o: ScopeLabelOptions = {}): string {
  const p = parseArmId(scope);
  const w = {
    root: 'root',
    managementGroup: 'management group',
    subscription: 'subscription',
    resourceGroup: 'resource group',
    ...o.words,
  };
  switch (p.kind) {
    case 'root':
      return `/ (${w.root})`;
    case 'managementGroup':
      return `${p.managementGroup} (${w.managementGroup})`;
    case 'subscription':
      return `${o.subscriptionNames?.get(p.subscriptionId!.toLowerCase()) ?? p.subscriptionId} (${w.subscription})`;
    case 'resourceGroup':
      return `${p.resourceGroup} (${w.resourceGroup})`;
    case 'resource': {
      const type = p.resourceType!;
      return `${p.name} (${TYPE_LABELS[type.toLowerCase()] ?? type})`;
    }
    default:
      return scope;
  }
}

/** Azure portal deep link for a resource ID (portal's `#@{tenant}/resource{id}` form). */
export function portalUrl(id: string, tenantId?: string, portalHost = 'https://portal.azure.com'): string {
  return `${portalHost}/#${tenantId ? `@${tenantId}` : ''}/resource${id}`;
}

/** The last GUID of a role definition ID, lower-cased: how roles compare. */
export function roleGuid(roleDefinitionId: string): string {
  return (roleDefinitionId.split('/').pop() ?? roleDefinitionId).toLowerCase();
}
