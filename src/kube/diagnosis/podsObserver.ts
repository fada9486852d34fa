import type { CoreV1Api, V1Container, V1Pod } from '@kubernetes/client-node';
import { SKIP_CONTAINERS_ANNOTATION, USE_LABEL } from '../../core/rules/keys';
import type { ContainerObservation, PodObservation } from '../../core/diagnosis/observation';
import { WORKLOAD_IDENTITY_AUDIENCE } from '../../core/federationMatch';
import { apiFor, kubeResult, type KubeResult, type Kubeconfig } from '../kubeAccess';

/** A ReplicaSet named `{deployment}-{pod-template-hash}` belongs to that Deployment (kube's naming). */
function ownerOf(pod: V1Pod): PodObservation['owner'] {
  const ref = pod.metadata?.ownerReferences?.find((r) => r.controller) ?? pod.metadata?.ownerReferences?.[0];
  if (!ref) return undefined;
  if (ref.kind === 'ReplicaSet') {
    const m = /^(.+)-[a-z0-9]{5,10}$/.exec(ref.name);
    if (m) return { kind: 'Deployment', name: m[1]! };
  }
  return { kind: ref.kind, name: ref.name };
}

function containerOf(pod: V1Pod, c: V1Container, skipped: ReadonlySet<string>): ContainerObservation {
  const env: Record<string, string> = {};
  // AZURE_* as injected, and KEYVAULT_URL: the tutorial sample's target (examples/msal-go reads it).
  for (const e of c.env ?? []) {
    if (e.name.startsWith('AZURE_') || e.name === 'KEYVAULT_URL') env[e.name] = e.value ?? '';
  }
  // The webhook's projected volume: a serviceAccountToken source with the exchange audience.
  const tokenVolumes = new Set(
    (pod.spec?.volumes ?? [])
      .filter((v) => v.projected?.sources?.some((s) => s.serviceAccountToken?.audience === WORKLOAD_IDENTITY_AUDIENCE))
      .map((v) => v.name),
  );
  return {
    name: c.name,
    env,
    tokenVolumeMounted: (c.volumeMounts ?? []).some((m) => tokenVolumes.has(m.name)),
    skipped: skipped.has(c.name),
  };
}

export function toPodObservation(pod: V1Pod): PodObservation {
  const skipped = new Set(
    (pod.metadata?.annotations?.[SKIP_CONTAINERS_ANNOTATION] ?? '')
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) =>
    containerOf(pod, c, skipped),
  );
  return {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? 'default',
    useLabel: pod.metadata?.labels?.[USE_LABEL],
    createdAt: pod.metadata?.creationTimestamp ? new Date(pod.metadata.creationTimestamp).getTime() : 0,
    owner: ownerOf(pod),
    phase: pod.status?.phase,
    containers,
  };
}

/** The ServiceAccount a pod runs as: no `serviceAccountName` means `default`. */
export const podServiceAccount = (p: V1Pod): string =>
  p.spec?.serviceAccountName || p.spec?.serviceAccount || 'default';

export interface PodListing {
  /** `namespace/serviceAccount` → its pods. */
  readonly byServiceAccount: ReadonlyMap<string, readonly PodObservation[]>;
}

/** Lists pods once (one namespace, or every namespace for `--all`) and groups them by ServiceAccount. */
export function listPodsByServiceAccount(
  config: Kubeconfig,
  context: string,
  namespace?: string,
): Promise<KubeResult<PodListing>> {
  return kubeResult(async () => {
    const api = await apiFor<CoreV1Api>(config, context, (k, kc) => kc.makeApiClient(k.CoreV1Api));
    const items: V1Pod[] = [];
    let cont: string | undefined;
    do {
      const r = namespace
        ? await api.listNamespacedPod({ namespace, limit: 500, _continue: cont })
        : await api.listPodForAllNamespaces({ limit: 500, _continue: cont });
      items.push(...r.items);
      cont = r.metadata?._continue || undefined;
    } while (cont);
    const byServiceAccount = new Map<string, PodObservation[]>();
    for (const p of items) {
      const key = `${p.metadata?.namespace ?? 'default'}/${podServiceAccount(p)}`;
      let list = byServiceAccount.get(key);
      if (!list) byServiceAccount.set(key, (list = []));
      list.push(toPodObservation(p));
    }
    return { byServiceAccount };
  });
}
