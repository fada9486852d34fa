/** Steps `cluster.workload-identity` and `cluster.disable-workload-identity`: `securityProfile.workloadIdentity.enabled`. */
import type { PlanStep } from '../plan';
import { clusterSwitchStep } from './clusterSwitch';
import { t, type StepContext } from './stepContext';

const FIELD = 'securityProfile.workloadIdentity.enabled';

/** Turns workload identity on (needs the issuer). */
export function workloadIdentityStep(ctx: StepContext): PlanStep {
  return clusterSwitchStep(ctx, {
    id: 'cluster.workload-identity',
    title: 'step.workloadIdentity',
    dependsOn: ['cluster.oidc-issuer'],
    field: FIELD,
    target: true,
    read: (c) => c.workloadIdentityEnabled,
    flags: ['--enable-workload-identity'],
    rerunWhenFailed: true,
  });
}

/** `az aks update --disable-workload-identity`. */
export function disableWorkloadIdentityStep(ctx: StepContext): PlanStep {
  return clusterSwitchStep(ctx, {
    id: 'cluster.disable-workload-identity',
    title: 'step.disableWorkloadIdentity',
    dependsOn: [],
    field: FIELD,
    target: false,
    read: (c) => c.workloadIdentityEnabled,
    flags: ['--disable-workload-identity'],
    extra: () => ({
      destructive: true,
      warning: t(ctx, 'note.disableStops'),
      notes: [t(ctx, 'note.disableStops')],
    }),
  });
}
