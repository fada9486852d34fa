// Shared setup for the provisioning tests: a real sandbox, the developer's credential, and a
// ProvisionBackend built the way the CLI builds one (same code path as against Azure).
import type { ClientSecretCredential } from '@azure/identity';
import { sandboxCredential } from '../../../src/azure/sandboxCredential';
import { createArmConnection } from '../../../src/azure/clients';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../src/sandbox/server';
import { SCENARIO } from '../../../src/sandbox/scenario';
import type { ProvisionBackend } from '../../../src/provision/session';
import type { SetupInputs } from '../../../src/core/provision/plan';

export async function provisionSandbox(
  options: SandboxOptions = {},
): Promise<{ sandbox: RunningSandbox; backend: ProvisionBackend; credential: ClientSecretCredential }> {
  const sandbox = await startSandbox({ port: 0, ...options });
  const credential = sandboxCredential(sandbox);
  const backend: ProvisionBackend = {
    arm: createArmConnection({ credential, endpoint: sandbox.armEndpoint, tlsCa: sandbox.caPem, maxRetries: 8 }),
    kube: { source: () => ({ text: sandbox.kubeconfig() }) },
    tenantId: sandbox.tenantId,
    authorityHost: sandbox.authorityHost,
    verifyKeyVaultChallenge: false,
  };
  return { sandbox, backend, credential };
}

export function vaultId(sandbox: RunningSandbox): string {
  return `/subscriptions/${sandbox.subscriptionId}/resourceGroups/${SCENARIO.resourceGroup}/providers/Microsoft.KeyVault/vaults/${SCENARIO.vault}`;
}

export function tutorialInputs(sandbox: RunningSandbox, over: Partial<SetupInputs> = {}): SetupInputs {
  return {
    subscriptionId: sandbox.subscriptionId,
    resourceGroup: SCENARIO.resourceGroup,
    clusterName: SCENARIO.clusterWithout,
    namespace: 'default',
    serviceAccount: 'app-sa',
    identityName: 'id-app',
    scope: vaultId(sandbox),
    ...over,
  };
}

export const FAST = {
  backoff: { initialMs: 50, maxMs: 400 },
  pollIntervalMs: 50,
  propagationTimeoutMs: 30_000,
} as const;
