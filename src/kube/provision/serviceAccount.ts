/**
 * The ServiceAccount in the cluster: observe its client-id annotation (and when it was set, from
 * managedFields), create it, or set the annotation with a JSON merge patch that names only that
 * key — other annotations and labels are untouched (the approach `kubectl annotate` takes; azwi's
 * Create-then-Update of the whole object is what this avoids).
 */
import type { V1ServiceAccount } from '@kubernetes/client-node';
import { CLIENT_ID_ANNOTATION } from '../../core/rules/keys';
import { FIELD_MANAGER, isNotFound, mergePatch, type KubeClients } from './kubeClients';

export interface ServiceAccountFacts {
  readonly exists: boolean;
  readonly clientId?: string;
  readonly annotations?: Record<string, string>;
  /** When the client-id annotation was last written (managedFields), else the object's creation. */
  readonly annotationChangedAt?: string;
}

export async function observeServiceAccount(
  k: KubeClients,
  namespace: string,
  name: string,
): Promise<ServiceAccountFacts> {
  k.counters.requests++;
  try {
    const sa = await k.core.readNamespacedServiceAccount({ name, namespace });
    return facts(sa);
  } catch (e) {
    if (isNotFound(e)) return { exists: false };
    throw e;
  }
}

function facts(sa: V1ServiceAccount): ServiceAccountFacts {
  const annotations = sa.metadata?.annotations ?? {};
  let changed: string | undefined;
  for (const m of sa.metadata?.managedFields ?? []) {
    const f = m.fieldsV1 as Record<string, Record<string, Record<string, unknown>>> | undefined;
    if (f?.['f:metadata']?.['f:annotations']?.[`f:${CLIENT_ID_ANNOTATION}`] !== undefined && m.time) {
      const t = new Date(m.time as unknown as string).toISOString();
      if (!changed || t > changed) changed = t;
    }
  }
  const created = sa.metadata?.creationTimestamp
    ? new Date(sa.metadata.creationTimestamp as unknown as string).toISOString()
    : undefined;
  return {
    exists: true,
    clientId: annotations[CLIENT_ID_ANNOTATION],
    annotations,
    annotationChangedAt: changed ?? created,
  };
}

export async function createServiceAccount(
  k: KubeClients,
  namespace: string,
  name: string,
  clientId: string,
): Promise<void> {
  k.counters.requests++;
  k.counters.writes++;
  await k.core.createNamespacedServiceAccount({
    namespace,
    fieldManager: FIELD_MANAGER,
    body: {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace, annotations: { [CLIENT_ID_ANNOTATION]: clientId } },
    },
  });
}

/** Sets (or with `null` removes) only the client-id annotation. */
export async function patchClientId(
  k: KubeClients,
  namespace: string,
  name: string,
  clientId: string | null,
): Promise<void> {
  k.counters.requests++;
  k.counters.writes++;
  await k.core.patchNamespacedServiceAccount(
    {
      name,
      namespace,
      fieldManager: FIELD_MANAGER,
      body: { metadata: { annotations: { [CLIENT_ID_ANNOTATION]: clientId } } },
    },
    mergePatch(k),
  );
}

export async function deleteServiceAccount(k: KubeClients, namespace: string, name: string): Promise<void> {
  k.counters.requests++;
  k.counters.writes++;
  await k.core.deleteNamespacedServiceAccount({ name, namespace });
}

export async function listNamespaces(k: KubeClients): Promise<string[]> {
  k.counters.requests++;
  const r = await k.core.listNamespace();
  return r.items
    .map((n) => n.metadata?.name ?? '')
    .filter(Boolean)
    .sort();
}
