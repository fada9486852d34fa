/**
 * The pods that use a ServiceAccount, with their controllers resolved (a Deployment's pods name a
 * ReplicaSet: matched back to the Deployment whose template uses the ServiceAccount and whose
 * selector the pod's labels satisfy), and the rollout restart of a controller: a merge patch of
 * its pod template's `kubectl.kubernetes.io/restartedAt` annotation, which is what
 * `kubectl rollout restart` sends (kubernetes/kubectl pkg/polymorphichelpers/objectrestarter.go).
 */
import type { V1LabelSelector, V1Pod } from '@kubernetes/client-node';
import type { WorkloadRef } from '../../core/provision/plan';
import type { PodFacts } from '../../core/provision/steps/workloadRestart';
import { USE_LABEL } from '../../core/rules/keys';
import { FIELD_MANAGER, isNotFound, mergePatch, type KubeClients } from './kubeClients';

interface Controller {
  ref: WorkloadRef;
  selector?: V1LabelSelector;
  serviceAccount: string;
}

function matches(selector: V1LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key];
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(value!))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(value!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

async function controllers(k: KubeClients, namespace: string): Promise<Controller[]> {
  const out: Controller[] = [];
  const lists: Array<
    [
      WorkloadRef['kind'],
      () => Promise<{
        items: Array<{
          metadata?: { name?: string };
          spec?: { selector?: V1LabelSelector; template?: { spec?: { serviceAccountName?: string } } };
        }>;
      }>,
    ]
  > = [
    ['Deployment', () => k.apps.listNamespacedDeployment({ namespace })],
    ['StatefulSet', () => k.apps.listNamespacedStatefulSet({ namespace })],
    ['DaemonSet', () => k.apps.listNamespacedDaemonSet({ namespace })],
  ];
  for (const [kind, list] of lists) {
    k.counters.requests++;
    try {
      for (const item of (await list()).items) {
        out.push({
          ref: { kind, namespace, name: item.metadata?.name ?? '' },
          selector: item.spec?.selector,
          serviceAccount: item.spec?.template?.spec?.serviceAccountName || 'default',
        });
      }
    } catch (e) {
      // A cluster (or the sandbox) that serves no such kind has none of it.
      if (!isNotFound(e)) throw e;
    }
  }
  return out;
}

function injectedClientId(pod: V1Pod): string | undefined {
  for (const c of pod.spec?.containers ?? []) {
    const v = c.env?.find((e) => e.name === 'AZURE_CLIENT_ID')?.value;
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Pods of the ServiceAccount; controllers are listed only when some pod has an owner. */
export async function podsOfServiceAccount(
  k: KubeClients,
  namespace: string,
  serviceAccount: string,
): Promise<PodFacts[]> {
  k.counters.requests++;
  const pods = (await k.core.listNamespacedPod({ namespace })).items.filter(
    (p) => (p.spec?.serviceAccountName || 'default') === serviceAccount,
  );
  const owned = pods.filter((p) => (p.metadata?.ownerReferences ?? []).some((r) => r.controller));
  const ctrls = owned.length
    ? (await controllers(k, namespace)).filter((c) => c.serviceAccount === serviceAccount)
    : [];
  return pods.map((p): PodFacts => {
    const labels = p.metadata?.labels ?? {};
    const ref = (p.metadata?.ownerReferences ?? []).find((r) => r.controller);
    let owner: WorkloadRef | undefined;
    if (ref) {
      const direct = ctrls.find((c) => c.ref.kind === ref.kind && c.ref.name === ref.name);
      const viaReplicaSet =
        ref.kind === 'ReplicaSet'
          ? ctrls.find((c) => c.ref.kind === 'Deployment' && matches(c.selector, labels))
          : undefined;
      owner = (direct ?? viaReplicaSet)?.ref;
    }
    return {
      name: p.metadata?.name ?? '',
      createdAt: p.metadata?.creationTimestamp
        ? new Date(p.metadata.creationTimestamp as unknown as string).toISOString()
        : new Date(0).toISOString(),
      owner,
      usesWorkloadIdentity: labels[USE_LABEL] === 'true',
      injectedClientId: injectedClientId(p),
    };
  });
}

/** `kubectl rollout restart`: only the pod template's restartedAt annotation changes. */
export async function rolloutRestart(k: KubeClients, ref: WorkloadRef, at = new Date()): Promise<void> {
  const body = {
    spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at.toISOString() } } } },
  };
  const args = { name: ref.name, namespace: ref.namespace, fieldManager: FIELD_MANAGER, body };
  k.counters.requests++;
  k.counters.writes++;
  if (ref.kind === 'Deployment') await k.apps.patchNamespacedDeployment(args, mergePatch(k));
  else if (ref.kind === 'StatefulSet') await k.apps.patchNamespacedStatefulSet(args, mergePatch(k));
  else if (ref.kind === 'DaemonSet') await k.apps.patchNamespacedDaemonSet(args, mergePatch(k));
  else throw new Error(`a bare ${ref.kind} cannot be restarted`);
}

/** Sets `azure.workload.identity/use: "true"` on a workload's pod template (or a bare pod's labels). */
export async function labelForWorkloadIdentity(
  k: KubeClients,
  ref: WorkloadRef,
  value: string | null = 'true',
): Promise<void> {
  const labels = { [USE_LABEL]: value };
  k.counters.requests++;
  k.counters.writes++;
  const templ = {
    name: ref.name,
    namespace: ref.namespace,
    fieldManager: FIELD_MANAGER,
    body: { spec: { template: { metadata: { labels } } } },
  };
  if (ref.kind === 'Pod') {
    await k.core.patchNamespacedPod(
      { name: ref.name, namespace: ref.namespace, fieldManager: FIELD_MANAGER, body: { metadata: { labels } } },
      mergePatch(k),
    );
  } else if (ref.kind === 'Deployment') await k.apps.patchNamespacedDeployment(templ, mergePatch(k));
  else if (ref.kind === 'StatefulSet') await k.apps.patchNamespacedStatefulSet(templ, mergePatch(k));
  else await k.apps.patchNamespacedDaemonSet(templ, mergePatch(k));
}

/** Whether each workload's pod template (or pod) already carries the label. */
export async function workloadLabelled(k: KubeClients, ref: WorkloadRef): Promise<boolean> {
  k.counters.requests++;
  const labels =
    ref.kind === 'Pod'
      ? (await k.core.readNamespacedPod({ name: ref.name, namespace: ref.namespace })).metadata?.labels
      : ref.kind === 'Deployment'
        ? (await k.apps.readNamespacedDeployment({ name: ref.name, namespace: ref.namespace })).spec?.template?.metadata
            ?.labels
        : ref.kind === 'StatefulSet'
          ? (await k.apps.readNamespacedStatefulSet({ name: ref.name, namespace: ref.namespace })).spec?.template
              ?.metadata?.labels
          : (await k.apps.readNamespacedDaemonSet({ name: ref.name, namespace: ref.namespace })).spec?.template
              ?.metadata?.labels;
  return labels?.[USE_LABEL] === 'true';
}
