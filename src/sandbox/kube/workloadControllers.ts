import type { KubeClusterContext } from './clusterContext';
import { podTemplateHash } from './deploymentController';
import { recordEvent } from './events';
import { kubeTime, type KubeObject } from './kubeState';
import { nodeNameOf } from './podLifecycle';
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
 * The StatefulSet, DaemonSet and Job controllers (kubernetes pkg/controller/statefulset,
 * daemon, job), reduced to what a workload-identity rollout shows: pods created from the
 * template through the API's pod-create path (so the webhook mutates or refuses them), named
 * and labelled as those controllers name and label them, and the status fields `kubectl get`
 * and `kubectl rollout status` read. Every sandbox pod runs at once; the sandbox has one node.
 */
const REVISION_LABEL = 'controller-revision-hash';

/** StatefulSet: `<name>-<ordinal>` pods; a template change replaces them (RollingUpdate, all at once). */
export function reconcileStatefulSet(ctx: KubeClusterContext, sts: KubeObject, origin: string, now: Date): boolean {
  const md = sts.metadata as Obj;
  const spec = sts.spec as Obj;
  const ns = String(md.namespace);
  const name = String(md.name);
  const desired = Number(spec.replicas ?? 1);
  const revision = `${name}-${podTemplateHash(spec.template)}`;
  const involved = { apiVersion: 'apps/v1', kind: 'StatefulSet', name, namespace: ns, uid: md.uid };
  let changed = false;
  let pods = ownedBy(ctx, 'pods', ns, md.uid);
  const ordinal = (p: KubeObject): number => Number(/-(\d+)$/.exec(String((p.metadata as Obj).name))?.[1] ?? -1);
  for (const pod of pods) {
    const stale =
      ((pod.metadata as Obj).labels as Obj | undefined)?.[REVISION_LABEL] !== revision &&
      spec.updateStrategy &&
      (spec.updateStrategy as Obj).type !== 'OnDelete';
    if (ordinal(pod) >= desired || stale) {
      deleteStored(ctx, 'pods', pod);
      recordEvent(
        ctx,
        {
          involved,
          type: 'Normal',
          reason: 'SuccessfulDelete',
          message: `delete Pod ${String((pod.metadata as Obj).name)} in StatefulSet ${name} successful`,
          component: 'statefulset-controller',
        },
        now,
      );
      changed = true;
    }
  }
  pods = ownedBy(ctx, 'pods', ns, md.uid);
  let failure: string | undefined;
  for (let i = 0; i < desired; i++) {
    const podName = `${name}-${i}`;
    if (pods.some((p) => (p.metadata as Obj).name === podName)) continue;
    const extra: Obj = { hostname: podName };
    if (typeof spec.serviceName === 'string' && spec.serviceName) extra.subdomain = spec.serviceName;
    const made = createPodWithEvent(
      ctx,
      involved,
      'statefulset-controller',
      now,
      () =>
        createPodFrom(
          ctx,
          sts,
          'statefulsets',
          spec.template as Obj,
          { name: podName },
          {
            [REVISION_LABEL]: revision,
            'statefulset.kubernetes.io/pod-name': podName,
            'apps.kubernetes.io/pod-index': String(i),
          },
          origin,
          now,
          extra,
        ),
      {
        created: () => `create Pod ${podName} in StatefulSet ${name} successful`,
        failed: (reason) => `create Pod ${podName} in StatefulSet ${name} failed error: ${reason}`,
      },
    );
    changed = true;
    if (made.failure !== undefined) {
      failure = made.failure;
      break; // OrderedReady: the next ordinal waits for this one
    }
    pods.push(made.pod);
  }
  const ready = pods.filter(isRunning).length;
  const updated = pods.filter(
    (p) => ((p.metadata as Obj).labels as Obj | undefined)?.[REVISION_LABEL] === revision,
  ).length;
  const status: Obj = { observedGeneration: md.generation, replicas: pods.length };
  if (ready) status.readyReplicas = ready;
  if (updated) status.currentReplicas = updated;
  if (updated) status.updatedReplicas = updated;
  status.currentRevision = revision;
  status.updateRevision = revision;
  status.collisionCount = 0;
  status.availableReplicas = ready;
  if (failure) {
    status.conditions = [replicaFailureCondition(failure, kubeTime(now))];
  }
  return setStatus(ctx, sts, status) || changed;
}

/** DaemonSet: one pod on the sandbox's node, pinned to it by node affinity as the controller does. */
export function reconcileDaemonSet(ctx: KubeClusterContext, ds: KubeObject, origin: string, now: Date): boolean {
  const md = ds.metadata as Obj;
  const spec = ds.spec as Obj;
  const ns = String(md.namespace);
  const name = String(md.name);
  const hash = podTemplateHash(spec.template);
  const generation = String(md.generation ?? 1);
  const involved = { apiVersion: 'apps/v1', kind: 'DaemonSet', name, namespace: ns, uid: md.uid };
  const node = nodeNameOf(ctx);
  let changed = false;
  let pods = ownedBy(ctx, 'pods', ns, md.uid);
  const onDelete = (spec.updateStrategy as Obj | undefined)?.type === 'OnDelete';
  const revisionOf = (p: KubeObject): unknown => ((p.metadata as Obj).labels as Obj | undefined)?.[REVISION_LABEL];
  // One pod per node: extra pods go (newest first), and outdated ones unless OnDelete.
  const keep = [...pods]
    .sort(newestFirst)
    .reverse()
    .find((p) => onDelete || revisionOf(p) === hash);
  for (const pod of pods) {
    if (pod === keep) continue;
    deleteStored(ctx, 'pods', pod);
    recordEvent(
      ctx,
      {
        involved,
        type: 'Normal',
        reason: 'SuccessfulDelete',
        message: `Deleted pod: ${String((pod.metadata as Obj).name)}`,
        component: 'daemonset-controller',
      },
      now,
    );
    changed = true;
  }
  pods = ownedBy(ctx, 'pods', ns, md.uid);
  let failure: string | undefined;
  if (!pods.length) {
    // util.ReplaceDaemonSetPodNodeNameNodeAffinity: required node affinity on metadata.name.
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
        },
      },
    };
    const tolerations = [...((((spec.template as Obj).spec as Obj).tolerations ?? []) as Obj[])];
    for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute' });
    }
    for (const key of [
      'node.kubernetes.io/disk-pressure',
      'node.kubernetes.io/memory-pressure',
      'node.kubernetes.io/pid-pressure',
      'node.kubernetes.io/unschedulable',
    ]) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoSchedule' });
    }
    const made = createPodWithEvent(ctx, involved, 'daemonset-controller', now, () =>
      createPodFrom(
        ctx,
        ds,
        'daemonsets',
        spec.template as Obj,
        { generateName: `${name}-` },
        { [REVISION_LABEL]: hash, 'pod-template-generation': generation },
        origin,
        now,
        { affinity, tolerations },
      ),
    );
    changed = true;
    if (made.failure !== undefined) failure = made.failure;
    else pods.push(made.pod);
  }
  const ready = pods.filter(isRunning).length;
  const updated = pods.filter((p) => ((p.metadata as Obj).labels as Obj | undefined)?.[REVISION_LABEL] === hash).length;
  const status: Obj = {
    currentNumberScheduled: pods.length,
    desiredNumberScheduled: 1,
    numberMisscheduled: 0,
    numberReady: ready,
    observedGeneration: md.generation,
  };
  if (ready) status.numberAvailable = ready;
  if (1 - ready > 0) status.numberUnavailable = 1 - ready;
  if (updated) status.updatedNumberScheduled = updated;
  if (failure) {
    status.conditions = [replicaFailureCondition(failure, kubeTime(now))];
  }
  return setStatus(ctx, ds, status) || changed;
}

/**
 * Job: `parallelism` pods at a time up to `completions`. Sandbox containers never exit, so a
 * Job stays active with its pods running, as one whose work takes long.
 */
export function reconcileJob(ctx: KubeClusterContext, job: KubeObject, origin: string, now: Date): boolean {
  const md = job.metadata as Obj;
  const spec = job.spec as Obj;
  const ns = String(md.namespace);
  const name = String(md.name);
  const involved = { apiVersion: 'batch/v1', kind: 'Job', name, namespace: ns, uid: md.uid };
  const want = spec.suspend === true ? 0 : Math.min(Number(spec.parallelism ?? 1), Number(spec.completions ?? 1));
  const pods = ownedBy(ctx, 'pods', ns, md.uid);
  let changed = false;
  let failure: string | undefined;
  for (let i = pods.length; i < want; i++) {
    const made = createPodWithEvent(ctx, involved, 'job-controller', now, () =>
      createPodFrom(ctx, job, 'jobs', spec.template as Obj, { generateName: `${name}-` }, {}, origin, now),
    );
    changed = true;
    if (made.failure !== undefined) {
      failure = made.failure;
      break;
    }
    pods.push(made.pod);
  }
  const prev = (job.status ?? {}) as Obj;
  const ready = pods.filter(isRunning).length;
  const status: Obj = {
    startTime: prev.startTime ?? kubeTime(now),
    terminating: 0,
    uncountedTerminatedPods: {},
    ready,
  };
  if (pods.length) status.active = pods.length;
  if (failure) {
    status.conditions = [
      {
        type: 'FailureTarget',
        status: 'False',
        lastProbeTime: kubeTime(now),
        lastTransitionTime: kubeTime(now),
        reason: 'FailedCreate',
        message: failure,
      },
    ];
  }
  return setStatus(ctx, job, status) || changed;
}
