import * as vscode from 'vscode';
import type { DiagnosisBackend } from '../../diagnosis/diagnosisBackend';
import type { ProvisionBackend } from '../../provision/session';

/**
 * The diagnosis talks to what the explorer's backend switch chose: its ARM connection (and the
 * sandbox's CA when it carries one, for the issuer's documents, Entra and the data plane), its
 * kubeconfig, and the Entra authority provisioning already exchanges against. The context is the
 * one named after the cluster, as `az aks get-credentials` names it.
 */
export async function diagnosisBackendFor(
  p: ProvisionBackend,
  subscriptionId: string,
  clusterName: string,
): Promise<DiagnosisBackend | string> {
  const source = typeof p.kube.source === 'function' ? p.kube.source() : p.kube.source;
  // Through the backend bundle: @kubernetes/client-node stays out of activation (scripts/build.mjs).
  const { loadKubeconfig } = await import('../explorer/backend');
  const kube = await loadKubeconfig(source);
  if (!kube.ok) return kube.error.message;
  const context = kube.value.contexts.some((c) => c.name === clusterName) ? clusterName : undefined;
  if (!context) {
    return vscode.l10n.t('No kubeconfig context named {0}: run az aks get-credentials for it first.', clusterName);
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
    kube: { config: kube.value, context },
    ...(tlsCa ? { tlsCa } : {}),
  };
}
