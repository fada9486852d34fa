import type { KubeClusterContext } from './clusterContext';
import { recordEvent } from './events';
import { kubeTime, type KubeObject } from './kubeState';
import {
  createPodFrom,
  createPodWithEvent,
  deleteStored,
  isRunning,
  newestFirst,
  ownedBy,
  replicaFailureCondition,
  setStatus,
} from './podControl';

type Obj = Record<string, unknown>;

/**
 * The ReplicaSet controller (kubernetes pkg/controller/replicaset/replica_set.go), run
 * synchronously: it creates or deletes pods until `spec.replicas` pods name the ReplicaSet as
 * their controller, records SuccessfulCreate / FailedCreate / SuccessfulDelete events, and
 * writes the status (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas and a
 * ReplicaFailure condition whose message is the API error, e.g. the webhook's denial).
 * Returns whether anything changed.
 */
export function reconcileReplicaSet(ctx: KubeClusterContext, rs: KubeObject, origin: string, now: Date): boolean {
  const md = rs.metadata as Obj;
  const spec = rs.spec as Obj;
  const ns = String(md.namespace);
  const name = String(md.name);
  const desired = Number(spec.replicas ?? 1);
  const involved = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name, namespace: ns, uid: md.uid };
  const pods = ownedBy(ctx, 'pods', ns, md.uid);
  let changed = false;
  let failure: string | undefined;
  // A ReplicaSet orphaned from a Deployment that is being replaced is left alone by nobody: it
  // keeps its pods, as on a cluster.
  for (let i = pods.length; i < desired; i++) {
    const made = createPodWithEvent(ctx, involved, 'replicaset-controller', now, () =>
      createPodFrom(ctx, rs, 'replicasets', spec.template as Obj, { generateName: `${name}-` }, {}, origin, now),
    );
    changed = true;
    if (made.failure !== undefined) {
      // The controller stops the batch at the first error (slowStartBatch).
      failure = made.failure;
      break;
    }
    pods.push(made.pod);
  }
  if (pods.length > desired) {
    const extra = [...pods].sort(newestFirst).slice(0, pods.length - desired);
    for (const pod of extra) {
      deleteStored(ctx, 'pods', pod);
      recordEvent(
        ctx,
        {
          involved,
          type: 'Normal',
          reason: 'SuccessfulDelete',
          message: `Deleted pod: ${String((pod.metadata as Obj).name)}`,
          component: 'replicaset-controller',
        },
        now,
      );
    }
    pods.splice(0, pods.length, ...pods.filter((p) => !extra.includes(p)));
    changed = true;
  }
  const ready = pods.filter(isRunning).length;
  const prev = ((rs.status as Obj | undefined)?.conditions ?? []) as Obj[];
  const status: Obj = { replicas: pods.length };
  // Go's omitempty drops zero counts; replicas is not omitempty.
  if (pods.length) status.fullyLabeledReplicas = pods.length;
  if (ready) status.readyReplicas = ready;
  if (ready) status.availableReplicas = ready;
  status.observedGeneration = md.generation;
  if (failure) {
    const was = prev.find((c) => c.type === 'ReplicaFailure');
    status.conditions = [replicaFailureCondition(failure, was?.lastTransitionTime ?? kubeTime(now))];
  } else if (pods.length < desired && prev.some((c) => c.type === 'ReplicaFailure')) {
    status.conditions = prev.filter((c) => c.type === 'ReplicaFailure');
  }
  return setStatus(ctx, rs, status) || changed;
}

/** The ReplicaFailure message of a ReplicaSet, when pod creation is failing. */
export function replicaFailure(rs: KubeObject): string | undefined {
  const c = (((rs.status as Obj | undefined)?.conditions ?? []) as Obj[]).find(
    (x) => x.type === 'ReplicaFailure' && x.status === 'True',
  );
  return c ? String(c.message) : undefined;
}
