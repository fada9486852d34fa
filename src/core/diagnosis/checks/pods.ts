import { errorEvidence, iso, msg, result, type Check, type CheckContext } from '../checkContext';
import type { PodObservation } from '../observation';
import { CLIENT_ID_ANNOTATION } from '../../rules/keys';

/** What the webhook injects into every container it does not skip (pkg/webhook/webhook.go). */
export const INJECTED_VARIABLES = [
  'AZURE_CLIENT_ID',
  'AZURE_TENANT_ID',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_AUTHORITY_HOST',
] as const;

export type PodProblem =
  | { readonly kind: 'labelMissing' | 'kubeSystem' | 'stale' }
  | { readonly kind: 'labelNotTrue'; readonly value: string }
  | { readonly kind: 'notInjected'; readonly container: string; readonly missing: readonly string[] }
  | {
      readonly kind: 'clientIdDiffers';
      readonly container: string;
      readonly actual: string;
      readonly expected: string;
    };

export function podProblems(
  pod: PodObservation,
  annotationChangedAt: number | undefined,
  clientId: string | undefined,
): PodProblem[] {
  const problems: PodProblem[] = [];
  if (pod.useLabel === undefined) problems.push({ kind: 'labelMissing' });
  else if (pod.useLabel !== 'true') problems.push({ kind: 'labelNotTrue', value: pod.useLabel });
  // AKS excludes kube-system from the webhook (learn.microsoft.com, workload identity overview).
  if (pod.namespace === 'kube-system') problems.push({ kind: 'kubeSystem' });
  // Kubernetes timestamps have one-second resolution: only a strictly earlier second is stale.
  const stale =
    annotationChangedAt !== undefined && Math.floor(pod.createdAt / 1000) < Math.floor(annotationChangedAt / 1000);
  if (stale) problems.push({ kind: 'stale' });
  // Without the label the webhook never ran; a stale pod was injected from the old annotations
  // (no client-id: no AZURE_CLIENT_ID). Either way the missing variables are a consequence.
  if (
    stale ||
    problems.some((p) => p.kind === 'labelMissing' || p.kind === 'labelNotTrue' || p.kind === 'kubeSystem')
  ) {
    return problems;
  }
  for (const container of pod.containers) {
    if (container.skipped) continue;
    const missing: string[] = INJECTED_VARIABLES.filter((v) => container.env[v] === undefined);
    if (!container.tokenVolumeMounted) missing.push('projected token volume');
    if (missing.length) problems.push({ kind: 'notInjected', container: container.name, missing });
    const actual = container.env.AZURE_CLIENT_ID;
    if (clientId && actual !== undefined && actual.toLowerCase() !== clientId.toLowerCase()) {
      problems.push({ kind: 'clientIdDiffers', container: container.name, actual, expected: clientId });
    }
  }
  return problems;
}

function describe(c: CheckContext, pod: string, p: PodProblem): string {
  switch (p.kind) {
    case 'labelMissing':
      return msg(c, 'pod.labelMissing', pod);
    case 'labelNotTrue':
      return msg(c, 'pod.labelNotTrue', pod, p.value);
    case 'kubeSystem':
      return msg(c, 'pod.kubeSystem', pod);
    case 'stale':
      return msg(c, 'pod.stale', pod);
    case 'notInjected':
      return msg(c, 'pod.notInjected', pod, p.container, p.missing.join(', '));
    case 'clientIdDiffers':
      return msg(c, 'pod.clientIdDiffers', pod, p.actual, p.expected);
  }
}

/** The pods running as the ServiceAccount: label, injection, and created after the annotation. */
export const checkPods: Check = (c) => {
  const id = 'pods';
  const { pods, serviceAccount } = c.o;
  if (!pods) return result(id, 'skip', msg(c, 'skip.notObserved'), { reason: 'not observed' });
  if (!pods.ok) return result(id, 'warn', msg(c, 'pods.unreadable', pods.error.message), errorEvidence(pods));
  const sa = serviceAccount?.ok ? serviceAccount.value : undefined;
  const changedAt = sa?.annotationChangedAt;
  const clientId = sa?.annotations[CLIENT_ID_ANNOTATION];
  if (pods.value.length === 0) return result(id, 'warn', msg(c, 'pods.none'), { pods: [] });
  const rows = pods.value.map((pod) => ({ pod, problems: podProblems(pod, changedAt, clientId) }));
  const evidence = {
    annotationChangedAt: iso(changedAt) ?? null,
    pods: rows.map(({ pod, problems }) => ({
      name: pod.name,
      owner: pod.owner ? `${pod.owner.kind}/${pod.owner.name}` : null,
      createdAt: iso(pod.createdAt),
      useLabel: pod.useLabel ?? null,
      tokenFile: pod.containers.find((k) => k.env.AZURE_FEDERATED_TOKEN_FILE)?.env.AZURE_FEDERATED_TOKEN_FILE ?? null,
      problems: problems.map((p) => p.kind),
    })),
  };
  const bad = rows.filter((r) => r.problems.length);
  if (!bad.length) return result(id, 'pass', msg(c, 'pods.ok', rows.length), evidence);
  const text = bad.flatMap(({ pod, problems }) => problems.map((p) => describe(c, pod.name, p))).join('; ');
  const onlyRestart = bad.every((r) => r.problems.every((p) => p.kind === 'stale' || p.kind === 'clientIdDiffers'));
  return result(
    id,
    'fail',
    msg(c, 'pods.problems', bad.length, rows.length, text),
    evidence,
    onlyRestart ? { fix: 'workload-restart' } : {},
  );
};
