/** The tutorial's sample pod: exists?, create, delete (Undo). */
import type { V1Pod } from '@kubernetes/client-node';
import { samplePodManifest } from '../../core/provision/steps/sampleWorkload';
import { FIELD_MANAGER, isNotFound, type KubeClients } from './kubeClients';

export async function podExists(k: KubeClients, namespace: string, name: string): Promise<boolean> {
  k.counters.requests++;
  try {
    await k.core.readNamespacedPod({ name, namespace });
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

export async function createSamplePod(
  k: KubeClients,
  namespace: string,
  serviceAccount: string,
  podName: string,
  vaultUrl: string,
  secretName: string,
): Promise<void> {
  k.counters.requests++;
  k.counters.writes++;
  await k.core.createNamespacedPod({
    namespace,
    fieldManager: FIELD_MANAGER,
    body: samplePodManifest(namespace, serviceAccount, podName, vaultUrl, secretName) as V1Pod,
  });
}

export async function deletePod(k: KubeClients, namespace: string, name: string): Promise<void> {
  k.counters.requests++;
  k.counters.writes++;
  await k.core.deleteNamespacedPod({ name, namespace });
}
