import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import type { TargetObservation } from '../../core/diagnosis/observation';
import { parseArmId } from '../armId';
import { pipelineOptions, type ArmClients } from '../clients';
import { attempt, type Errorable } from '../errors';

/** Key Vault's secret-read data action (Key Vault Secrets User, learn.microsoft.com built-in roles). */
export const KEY_VAULT_GET_SECRET = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';

const normalize = (u: string) => u.replace(/\/+$/, '').toLowerCase();

export interface VaultRef {
  readonly id: string;
  readonly vaultUri: string;
}

function keyVaultClient(clients: ArmClients): KeyVaultManagementClient {
  const c = clients.connection;
  // Modular client: its scope goes under `credentials` (it would default to `${endpoint}/.default`).
  return new KeyVaultManagementClient(c.credential, clients.subscriptionId, {
    ...pipelineOptions(c),
    endpoint: c.endpoint,
    credentials: { scopes: [c.scope] },
  });
}

/** The subscription's vaults (ID and data-plane URI): one listing per run, to resolve a pod's KEYVAULT_URL. */
export function listVaults(clients: ArmClients): Promise<Errorable<VaultRef[]>> {
  return attempt(async () => {
    const out: VaultRef[] = [];
    for await (const v of keyVaultClient(clients).vaults.listBySubscription()) {
      if (v.id && v.properties?.vaultUri) out.push({ id: v.id, vaultUri: v.properties.vaultUri });
    }
    return out;
  });
}

/** The vault URL a pod's environment names (the tutorial's sample reads KEYVAULT_URL). */
export function vaultUrlFromPods(env: ReadonlyArray<Readonly<Record<string, string>>>): string | undefined {
  for (const e of env) if (e.KEYVAULT_URL) return e.KEYVAULT_URL;
  return undefined;
}

/** The target: the user's `--scope`, else the pods' KEYVAULT_URL resolved to its vault. */
export function resolveTarget(
  scope: string | undefined,
  podVaultUrl: string | undefined,
  vaults: Errorable<VaultRef[]> | undefined,
): Errorable<TargetObservation | undefined> {
  if (scope) {
    const p = parseArmId(scope);
    const isVault = p.resourceType?.toLowerCase() === 'microsoft.keyvault/vaults';
    const vault =
      isVault && vaults?.ok ? vaults.value.find((v) => v.id.toLowerCase() === scope.toLowerCase()) : undefined;
    return {
      ok: true,
      value: {
        scope,
        source: 'user',
        vaultUrl: vault?.vaultUri,
        dataAction: isVault ? KEY_VAULT_GET_SECRET : undefined,
      },
    };
  }
  if (!podVaultUrl) return { ok: true, value: undefined };
  if (!vaults) return { ok: true, value: undefined };
  if (!vaults.ok) return vaults;
  const vault = vaults.value.find((v) => normalize(v.vaultUri) === normalize(podVaultUrl));
  if (!vault) {
    return {
      ok: false,
      error: { kind: 'notFound', message: `no vault you can read has the URL ${podVaultUrl} (KEYVAULT_URL)` },
    };
  }
  return {
    ok: true,
    value: {
      scope: vault.id,
      source: 'pod-env',
      from: `KEYVAULT_URL=${podVaultUrl}`,
      vaultUrl: vault.vaultUri,
      dataAction: KEY_VAULT_GET_SECRET,
    },
  };
}
