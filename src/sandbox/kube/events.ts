import { randomUUID } from 'node:crypto';
import type { KubeClusterContext } from './clusterContext';
import { kubeTime, nextResourceVersion, type KubeObject } from './kubeState';

/**
 * Events recorded by the sandbox's controllers (core/v1 Event, as client-go's EventRecorder
 * writes them: `<object>.<hex timestamp>` names, count, first/last timestamps). Pod lifecycle
 * events are synthesised from the pods instead (podLifecycle.ts podEvents). Kept per namespace,
 * newest last, capped so a long-lived state file does not grow without bound (the API server
 * expires events after an hour, `--event-ttl`).
 */
const MAX_PER_NAMESPACE = 200;

export interface EventInput {
  involved: {
    apiVersion: string;
    kind: string;
    name: string;
    namespace: string;
    uid: unknown;
    resourceVersion?: unknown;
  };
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  component: string;
}

export function recordEvent(ctx: KubeClusterContext, e: EventInput, now: Date): void {
  const list = ((ctx.kube.events ??= {})[e.involved.namespace] ??= []);
  const t = kubeTime(now);
  // EventRecorder aggregates repeats of the same event into one with a growing count.
  const same = list.find(
    (x) =>
      x.reason === e.reason &&
      x.message === e.message &&
      (x.involvedObject as Record<string, unknown>).uid === e.involved.uid,
  );
  if (same) {
    same.count = Number(same.count ?? 1) + 1;
    same.lastTimestamp = t;
    (same.metadata as Record<string, unknown>).resourceVersion = nextResourceVersion(ctx.kube);
    return;
  }
  const event: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    count: 1,
    firstTimestamp: t,
    lastTimestamp: t,
    involvedObject: { ...e.involved },
    message: e.message,
    metadata: {
      creationTimestamp: t,
      name: `${e.involved.name}.${(now.getTime() * 1e6 + list.length).toString(16)}`,
      namespace: e.involved.namespace,
      resourceVersion: nextResourceVersion(ctx.kube),
      uid: randomUUID(),
    },
    reason: e.reason,
    reportingComponent: e.component,
    reportingInstance: '',
    source: { component: e.component },
    type: e.type,
  };
  list.push(event);
  if (list.length > MAX_PER_NAMESPACE) list.splice(0, list.length - MAX_PER_NAMESPACE);
}

export function recordedEvents(ctx: KubeClusterContext, namespace: string): KubeObject[] {
  return ctx.kube.events?.[namespace] ?? [];
}
