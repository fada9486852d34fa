import { execFile } from 'node:child_process';
import { AzureCliCredential } from '@azure/identity';
import { createArmConnection } from '../azure/clients';
import { sandboxCredential } from '../azure/sandboxCredential';
import type { KubeconfigSource } from '../kube/kubeAccess';
import type { SandboxConnection } from '../sandbox/connection';
import { clusterKubeContext, type ClusterContextRequest } from './clusterContext';
import type { DiagnosisBackend } from './diagnosisBackend';

export class BackendError extends Error {
  static is(e: unknown): e is BackendError {
    return e instanceof BackendError;
  }
}

/** The cluster a backend is for: its kubeconfig context is picked as provisioning picks it. */
export interface ClusterRef {
  readonly name: string;
  readonly resourceGroup: string;
}

async function kubeFor(r: ClusterContextRequest): Promise<DiagnosisBackend['kube']> {
  try {
    const { config, context } = await clusterKubeContext(r);
    return { config, context };
  } catch (e) {
    throw new BackendError((e as Error).message);
  }
}

/**
 * A sandbox (in-process or attached): its developer principal, its Entra, its kubeconfig; context
 * = the one asked for, else the cluster's name, else listClusterUserCredential's. `kubeconfig`
 * replaces the sandbox's own (a user's file that lacks the cluster).
 */
export async function sandboxDiagnosisBackend(
  s: SandboxConnection,
  cluster: ClusterRef,
  context?: string,
  kubeconfig: KubeconfigSource = { text: s.kubeconfig() },
): Promise<DiagnosisBackend> {
  const credential = sandboxCredential(s);
  const arm = createArmConnection({ credential, endpoint: s.armEndpoint, tlsCa: s.caPem, concurrency: 16 });
  const kube = await kubeFor({
    arm,
    subscriptionId: s.subscriptionId,
    resourceGroup: cluster.resourceGroup,
    clusterName: cluster.name,
    kubeconfig,
    ...(context ? { context } : {}),
  });
  return {
    arm,
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    entra: { authorityHost: s.authorityHost, tlsCa: s.caPem, disableInstanceDiscovery: true },
    kube,
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

/**
 * The Azure CLI's sign-in (`az login`) and the kubeconfig (KUBECONFIG or ~/.kube/config, as
 * kubectl): the context asked for, else the one named after the cluster, else
 * listClusterUserCredential's (as `az aks get-credentials` would fetch it, kept in memory).
 */
export async function azureCliDiagnosisBackend(o: {
  cluster: ClusterRef;
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
  const arm = createArmConnection({
    credential: new AzureCliCredential({ tenantId: account.tenantId }),
    concurrency: 16,
  });
  const kube = await kubeFor({
    arm,
    subscriptionId: account.id,
    resourceGroup: o.cluster.resourceGroup,
    clusterName: o.cluster.name,
    kubeconfig: o.kubeconfig ?? {},
    ...(o.context ? { context: o.context } : {}),
  });
  return {
    arm,
    subscriptionId: account.id,
    tenantId: account.tenantId,
    entra: { authorityHost: 'https://login.microsoftonline.com', disableInstanceDiscovery: false },
    kube,
  };
}
