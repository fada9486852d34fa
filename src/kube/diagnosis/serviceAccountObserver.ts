import type { CoreV1Api, V1ManagedFieldsEntry } from '@kubernetes/client-node';
import { CLIENT_ID_ANNOTATION } from '../../core/rules/keys';
import type { ServiceAccountObservation } from '../../core/diagnosis/observation';
import type { Observed } from '../../core/diagnosis/types';
import { apiFor, kubeResult, type Kubeconfig } from '../kubeAccess';
import { fromKube, isNotFound } from './kubeObserved';

/**
 * When the client-id annotation last changed: the newest `metadata.managedFields[].time` of a
 * manager that owns `f:metadata.f:annotations.f:azure.workload.identity/client-id`
 * (Kubernetes "Server-Side Apply", field management). Without such an entry, the creation time.
 */
export function annotationChangedAt(
  entries: readonly V1ManagedFieldsEntry[] | undefined,
  created: Date | undefined,
): number | undefined {
  let latest: number | undefined;
  for (const e of entries ?? []) {
    const fields = e.fieldsV1 as Record<string, Record<string, Record<string, unknown>>> | undefined;
    const owns = fields?.['f:metadata']?.['f:annotations']?.[`f:${CLIENT_ID_ANNOTATION}`] !== undefined;
    const t = e.time ? new Date(e.time).getTime() : undefined;
    if (owns && t !== undefined && !Number.isNaN(t)) latest = Math.max(latest ?? 0, t);
  }
  return latest ?? (created ? new Date(created).getTime() : undefined);
}

export async function observeServiceAccount(
  config: Kubeconfig,
  context: string,
  namespace: string,
  name: string,
): Promise<Observed<ServiceAccountObservation>> {
  return fromKube(
    await kubeResult(async (): Promise<ServiceAccountObservation> => {
      const api = await apiFor<CoreV1Api>(config, context, (k, kc) => kc.makeApiClient(k.CoreV1Api));
      try {
        const sa = await api.readNamespacedServiceAccount({ name, namespace });
        return {
          exists: true,
          annotations: { ...(sa.metadata?.annotations ?? {}) },
          uid: sa.metadata?.uid,
          annotationChangedAt: annotationChangedAt(sa.metadata?.managedFields, sa.metadata?.creationTimestamp),
        };
      } catch (e) {
        if (isNotFound(e)) return { exists: false, annotations: {} };
        throw e;
      }
    }),
  );
}
