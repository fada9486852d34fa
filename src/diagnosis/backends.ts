import { execFile } from 'node:child_process';
import { AzureCliCredential, ClientSecretCredential } from '@azure/identity';
import { createArmConnection } from '../azure/clients';
import { loadKubeconfig, type KubeconfigSource } from '../kube/kubeAccess';
import type { SandboxConnection } from '../sandbox/connection';
import type { DiagnosisBackend } from './diagnosisBackend';

export class BackendError extends Error {
  static is(e: unknown): e is BackendError {
    return e instanceof BackendError;
  }
}

/** A sandbox (in-process or attached): its developer principal, its Entra, its kubeconfig; context = cluster name. */
export async function sandboxDiagnosisBackend(
  s: SandboxConnection,
  clusterName: string,
  context?: string,
): Promise<DiagnosisBackend> {
  const credential = new ClientSecretCredential(s.tenantId, s.developer.clientId, s.developer.clientSecret, {
    authorityHost: s.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: s.caPem },
  });
  const kube = await loadKubeconfig({ text: s.kubeconfig() });
  if (!kube.ok) throw new BackendError(kube.error.message);
  const ctx = context ?? clusterName;
  if (!kube.value.contexts.some((c) => c.name === ctx)) {
    throw new BackendError(`the sandbox kubeconfig has no context '${ctx}'`);
  }
  return {
    arm: createArmConnection({ credential, endpoint: s.armEndpoint, tlsCa: s.caPem, concurrency: 16 }),
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    entra: { authorityHost: s.authorityHost, tlsCa: s.caPem, disableInstanceDiscovery: true },
    kube: { config: kube.value, context: ctx },
    tlsCa: s.caPem,
  };
}

function az(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.platform === 'win32' ? 'az.cmd' : 'az', args, { timeout: 30_000 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}

/** The Azure CLI's sign-in (`az login`) and the kubeconfig's context (KUBECONFIG or ~/.kube/config, as kubectl). */
export async function azureCliDiagnosisBackend(o: {
  subscriptionId?: string;
  context?: string;
  kubeconfig?: KubeconfigSource;
}): Promise<DiagnosisBackend> {
  let account: { id?: string; tenantId?: string };
  try {
    account = JSON.parse(
      await az([
        'account',
        'show',
        ...(o.subscriptionId ? ['--subscription', o.subscriptionId] : []),
        '--output',
        'json',
      ]),
    ) as typeof account;
  } catch (e) {
    throw new BackendError(
      `the Azure CLI is not signed in or not installed (az account show: ${(e as Error).message.split('\n')[0]}); run 'az login', or use --sandbox`,
    );
  }
  if (!account.id || !account.tenantId) throw new BackendError('az account show returned no subscription');
  const kube = await loadKubeconfig(o.kubeconfig ?? {});
  if (!kube.ok) throw new BackendError(kube.error.message);
  const context = o.context ?? kube.value.currentContext;
  if (!context || !kube.value.contexts.some((c) => c.name === context)) {
    throw new BackendError(context ? `no kubeconfig context '${context}'` : 'no kubeconfig context: pass --context');
  }
  return {
    arm: createArmConnection({ credential: new AzureCliCredential({ tenantId: account.tenantId }), concurrency: 16 }),
    subscriptionId: account.id,
    tenantId: account.tenantId,
    entra: { authorityHost: 'https://login.microsoftonline.com', disableInstanceDiscovery: false },
    kube: { config: kube.value, context },
  };
}
