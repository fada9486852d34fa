/**
 * Step `workload-restart`: a ServiceAccount's annotation reaches only pods created afterwards
 * (Azure/azure-workload-identity docs/book/src/topics/service-account-labels-and-annotations.md),
 * so the pods that predate the change are restarted through their owners, as
 * `kubectl rollout restart` does (it patches the pod template's
 * `kubectl.kubernetes.io/restartedAt` annotation: kubernetes/kubectl pkg/polymorphichelpers/objectrestarter.go).
 * Bare pods have no owner to re-create them: they are listed, never deleted.
 */
import { cmd } from '../shell';
import { workloadResource, type PlanStep, type WorkloadRef } from '../plan';
import { blocked, deps, t, type StepContext } from './stepContext';

export interface PodFacts {
  readonly name: string;
  readonly createdAt: string;
  /** The pod's controller after resolving ReplicaSet → Deployment; undefined for a bare pod. */
  readonly owner?: WorkloadRef;
  /** The pod carries `azure.workload.identity/use: "true"`. */
  readonly usesWorkloadIdentity?: boolean;
  /** AZURE_CLIENT_ID the webhook injected into its first container (absent: none). */
  readonly injectedClientId?: string;
}

/**
 * Pods created before `changedAt` (ISO; creation times have whole seconds, so a pod of the same
 * second counts only by the second rule), or labelled for workload identity but injected with
 * another client ID than `clientId`: grouped by owner, bare ones apart. Pure.
 */
export function stalePods(
  pods: readonly PodFacts[],
  changedAt: string | undefined,
  clientId?: string,
): { owners: WorkloadRef[]; bare: string[]; counts: Map<string, number> } {
  const owners = new Map<string, WorkloadRef>();
  const counts = new Map<string, number>();
  const bare: string[] = [];
  const limit = changedAt ? Date.parse(changedAt) : Number.POSITIVE_INFINITY;
  for (const p of pods) {
    const older = Math.floor(Date.parse(p.createdAt) / 1000) < Math.floor(limit / 1000);
    const wrongId = clientId !== undefined && p.usesWorkloadIdentity === true && p.injectedClientId !== clientId;
    if (!older && !wrongId) continue;
    if (!p.owner) {
      bare.push(p.name);
      continue;
    }
    const key = workloadResource(p.owner);
    owners.set(key, p.owner);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return {
    owners: [...owners.values()].sort((a, b) => workloadResource(a).localeCompare(workloadResource(b))),
    bare: bare.sort(),
    counts,
  };
}

export function restartEquivalent(ref: WorkloadRef): string {
  return cmd('kubectl', 'rollout', 'restart', `${ref.kind.toLowerCase()}/${ref.name}`, '--namespace', ref.namespace);
}

export function workloadRestartStep(
  ctx: StepContext,
  stale: ReturnType<typeof stalePods>,
  afterPropagation: boolean,
): PlanStep {
  const { inputs, obs } = ctx;
  const notes = [
    ...stale.owners.map((o) =>
      t(ctx, 'note.restartWorkload', workloadResource(o), stale.counts.get(workloadResource(o)) ?? 0),
    ),
    ...stale.bare.map((b) => t(ctx, 'note.barePod', b)),
  ];
  if (!notes.length) notes.push(t(ctx, 'note.nothingToRestart'));
  const base: Omit<PlanStep, 'state'> = {
    id: 'workload-restart',
    title: t(ctx, 'step.restart', inputs.namespace, inputs.serviceAccount),
    dependsOn: deps('serviceaccount', 'federated-credential', afterPropagation ? 'propagation' : undefined),
    changes: stale.owners.map((o) => ({
      field: `${workloadResource(o)} spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]`,
      after: 'now',
    })),
    equivalent: stale.owners.length
      ? stale.owners.map(restartEquivalent).join('\n')
      : cmd('kubectl', 'get', 'pods', '--namespace', inputs.namespace),
    resource: `${inputs.namespace}/ServiceAccount/${inputs.serviceAccount}`,
    notes,
  };
  if (obs.kubeError !== undefined) {
    return blocked(base, t(ctx, 'blocked.clusterUnreachable', obs.kubeError), t(ctx, 'unblock.clusterUnreachable'));
  }
  return { ...base, state: stale.owners.length ? 'todo' : 'done' };
}
