/**
 * The subscription's Key Vaults, offered as role targets: `vaults.listBySubscription` of
 * @azure/arm-keyvault (Microsoft.KeyVault/vaults, which ARM serves through `GET …/resources`
 * filtered on the resource type: Azure/azure-rest-api-specs
 * specification/keyvault/resource-manager/Microsoft.KeyVault/stable/2023-07-01/keyvault.json).
 */
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { parseArmId } from '../armId';
import { pipelineOptions, type ArmClients } from '../clients';

export interface KeyVaultInfo {
  readonly id: string;
  readonly name: string;
  readonly resourceGroup: string;
  readonly vaultUri?: string;
}

export async function listKeyVaults(clients: ArmClients, abortSignal?: AbortSignal): Promise<KeyVaultInfo[]> {
  const c = clients.connection;
  // Modular client: its scope goes under `credentials` (it would default to `${endpoint}/.default`).
  const kv = new KeyVaultManagementClient(c.credential, clients.subscriptionId, {
    ...pipelineOptions(c),
    endpoint: c.endpoint,
    credentials: { scopes: [c.scope] },
  });
  const out: KeyVaultInfo[] = [];
  for await (const v of kv.vaults.listBySubscription({ abortSignal })) {
    if (!v.id) continue;
    const p = parseArmId(v.id);
    out.push({
      id: v.id,
      name: v.name ?? v.id.split('/').pop() ?? v.id,
      resourceGroup: p?.resourceGroup ?? '',
      ...(v.properties?.vaultUri ? { vaultUri: v.properties.vaultUri } : {}),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
