import type { KubeClusterContext } from './clusterContext';
import { reconcileDeployment } from './deploymentController';
import { nextResourceVersion } from './kubeState';
import { controllerOf } from './podControl';
import { reconcileReplicaSet } from './replicaSets';
import type { Resource } from './resources';
import { reconcileDaemonSet, reconcileJob, reconcileStatefulSet } from './workloadControllers';

type Obj = Record<string, unknown>;

/** The owner kinds the garbage collector checks, and which stored map holds each. */
const OWNER_KINDS: Record<string, Exclude<Resource, 'namespaces' | 'pods' | 'serviceaccounts'>> = {
  'apps/v1/Deployment': 'deployments',
  'apps/v1/ReplicaSet': 'replicasets',
  'apps/v1/StatefulSet': 'statefulsets',
  'apps/v1/DaemonSet': 'daemonsets',
  'batch/v1/Job': 'jobs',
};

/**
 * kube-controller-manager for one namespace, run synchronously after every write that could
 * concern it: the garbage collector first (background cascading deletion of ReplicaSets and
 * pods whose controller is gone), then the Deployment controller (which runs its ReplicaSets),
 * the ReplicaSets no Deployment owns, StatefulSets, DaemonSets and Jobs.
 */
export function runControllers(ctx: KubeClusterContext, namespace: string, origin: string, now: Date): void {
  let changed = collectGarbage(ctx, namespace);
  for (const dep of Object.values(ctx.kube.deployments[namespace] ?? {})) {
    changed = reconcileDeployment(ctx, dep, origin, now) || changed;
  }
  for (const rs of Object.values(ctx.kube.replicasets[namespace] ?? {})) {
    if (controllerOf(rs)?.kind !== 'Deployment') changed = reconcileReplicaSet(ctx, rs, origin, now) || changed;
  }
  for (const sts of Object.values(ctx.kube.statefulsets[namespace] ?? {})) {
    changed = reconcileStatefulSet(ctx, sts, origin, now) || changed;
  }
  for (const ds of Object.values(ctx.kube.daemonsets[namespace] ?? {})) {
    changed = reconcileDaemonSet(ctx, ds, origin, now) || changed;
  }
  for (const job of Object.values(ctx.kube.jobs[namespace] ?? {})) {
    changed = reconcileJob(ctx, job, origin, now) || changed;
  }
  if (changed) ctx.persist();
}

/**
 * The garbage collector: an object whose controller (by kind and uid) no longer exists is
 * deleted, ReplicaSets before their pods, repeated until nothing changes.
 */
function collectGarbage(ctx: KubeClusterContext, namespace: string): boolean {
  let any = false;
  for (let round = 0; round < 4; round++) {
    let changed = false;
    for (const kind of ['replicasets', 'pods'] as const) {
      const objects = ctx.kube[kind][namespace] ?? {};
      for (const [name, obj] of Object.entries(objects)) {
        const ref = controllerOf(obj);
        const ownerKind = ref ? OWNER_KINDS[`${String(ref.apiVersion)}/${String(ref.kind)}`] : undefined;
        if (!ref || !ownerKind) continue;
        const alive = Object.values(ctx.kube[ownerKind][namespace] ?? {}).some(
          (o) => (o.metadata as Obj).uid === ref.uid,
        );
        if (!alive) {
          delete objects[name];
          changed = true;
        }
      }
    }
    if (!changed) break;
    nextResourceVersion(ctx.kube);
    any = true;
  }
  return any;
}
