/**
 * The two ways to build a ProvisionBackend outside VS Code: a running sandbox (its developer
 * principal, its CA trusted per client, its kubeconfig), or Azure with the Azure CLI's login and
 * the user's kubeconfig (or listClusterUserCredential when no context names the cluster). This is
 * the CLI's one backend switch; nothing below it knows which it got.
 */
import { AzureCliCredential } from '@azure/identity';
import { createArmConnection, ARM_ENDPOINT } from '../azure/clients';
import { sandboxCredential } from '../azure/sandboxCredential';
import type { SandboxConnection } from '../sandbox/connection';
import type { ProvisionBackend } from './session';

export function sandboxBackend(s: SandboxConnection): ProvisionBackend {
  const credential = sandboxCredential(s);
  return {
    arm: createArmConnection({ credential, endpoint: s.armEndpoint, tlsCa: s.caPem, maxRetries: 8 }),
    kube: { source: () => ({ text: s.kubeconfig() }) },
    tenantId: s.tenantId,
    authorityHost: s.authorityHost,
    verifyKeyVaultChallenge: false,
  };
}

export function azureCliBackend(kubeconfigPaths?: readonly string[]): ProvisionBackend {
  return {
    arm: createArmConnection({ credential: new AzureCliCredential(), endpoint: ARM_ENDPOINT }),
    kube: { source: kubeconfigPaths ? { paths: kubeconfigPaths } : {}, useClusterUserCredential: true },
    authorityHost: 'https://login.microsoftonline.com',
    verifyKeyVaultChallenge: true,
  };
}
