/** Step `cluster.workload-identity`: `securityProfile.workloadIdentity.enabled` (needs the issuer). */
import { cmd } from '../shell';
import type { PlanStep } from '../plan';
import { blocked, t, type StepContext } from './stepContext';

export function workloadIdentityStep(ctx: StepContext): PlanStep {
  const { inputs, obs } = ctx;
  const c = obs.cluster;
  const base: Omit<PlanStep, 'state'> = {
    id: 'cluster.workload-identity',
    title: t(ctx, 'step.workloadIdentity', inputs.clusterName),
    dependsOn: ['cluster.oidc-issuer'],
    changes:
      c && !c.workloadIdentityEnabled
        ? [{ field: 'securityProfile.workloadIdentity.enabled', before: 'false', after: 'true' }]
        : [],
    equivalent: cmd(
      'az',
      'aks',
      'update',
      '--resource-group',
      inputs.resourceGroup,
      '--name',
      inputs.clusterName,
      '--enable-workload-identity',
    ),
    resource: ctx.clusterId,
  };
  if (obs.clusterMissing || !c) {
    return blocked(
      base,
      t(ctx, 'blocked.clusterNotFound', inputs.clusterName, inputs.resourceGroup),
      t(ctx, 'unblock.clusterNotFound'),
    );
  }
  // A `Failed` cluster is reconciled by the update (see the issuer step).
  return { ...base, state: c.workloadIdentityEnabled && c.provisioningState !== 'Failed' ? 'done' : 'todo' };
}

/** Step `cluster.disable-workload-identity`: `az aks update --disable-workload-identity`. */
export function disableWorkloadIdentityStep(ctx: StepContext): PlanStep {
  const { inputs, obs } = ctx;
  const c = obs.cluster;
  const base: Omit<PlanStep, 'state'> = {
    id: 'cluster.disable-workload-identity',
    title: t(ctx, 'step.disableWorkloadIdentity', inputs.clusterName),
    dependsOn: [],
    changes: c?.workloadIdentityEnabled
      ? [{ field: 'securityProfile.workloadIdentity.enabled', before: 'true', after: 'false' }]
      : [],
    equivalent: cmd(
      'az',
      'aks',
      'update',
      '--resource-group',
      inputs.resourceGroup,
      '--name',
      inputs.clusterName,
      '--disable-workload-identity',
    ),
    resource: ctx.clusterId,
    destructive: true,
    warning: t(ctx, 'note.disableStops'),
    notes: [t(ctx, 'note.disableStops')],
  };
  if (obs.clusterMissing || !c) {
    return blocked(
      base,
      t(ctx, 'blocked.clusterNotFound', inputs.clusterName, inputs.resourceGroup),
      t(ctx, 'unblock.clusterNotFound'),
    );
  }
  return { ...base, state: c.workloadIdentityEnabled ? 'todo' : 'done' };
}
