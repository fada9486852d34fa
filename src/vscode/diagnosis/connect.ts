import * as vscode from 'vscode';
import type { DiagnosisBackend } from '../../diagnosis/diagnosisBackend';
import type { ProvisionBackend } from '../../provision/session';

/**
 * The diagnosis talks to what the explorer's backend switch chose: its ARM connection (and the
 * sandbox's CA when it carries one, for the issuer's documents, Entra and the data plane), its
 * kubeconfig, and the Entra authority provisioning already exchanges against. The context is the
 * one named after the cluster, as `az aks get-credentials` names it; without one, the clusterUser
 * kubeconfig from ARM's listClusterUserCredential, as provisioning does (kept in memory).
 */
export async function diagnosisBackendFor(
  p: ProvisionBackend,
  subscriptionId: string,
  cluster: { readonly name: string; readonly resourceGroup: string },
): Promise<DiagnosisBackend | string> {
  const source = typeof p.kube.source === 'function' ? p.kube.source() : p.kube.source;
  let kube: DiagnosisBackend['kube'];
  try {
    // Through the backend bundle: @kubernetes/client-node stays out of activation (scripts/build.mjs).
    const { clusterKubeContext } = await import('../explorer/backend');
    const found = await clusterKubeContext({
      arm: p.arm,
      subscriptionId,
      resourceGroup: cluster.resourceGroup,
      clusterName: cluster.name,
      kubeconfig: source,
      useClusterUserCredential: p.kube.useClusterUserCredential !== false,
    });
    kube = { config: found.config, context: found.context };
  } catch (e) {
    return vscode.l10n.t('No Kubernetes access to cluster {0}: {1}', cluster.name, (e as Error).message);
  }
  const tlsCa = p.arm.tlsCa;
  return {
    arm: p.arm,
    subscriptionId,
    tenantId: p.tenantId ?? '',
    entra: {
      authorityHost: p.authorityHost,
      ...(tlsCa ? { tlsCa, disableInstanceDiscovery: true } : { disableInstanceDiscovery: false }),
    },
    kube,
    ...(tlsCa ? { tlsCa } : {}),
  };
}
