/** Step `cluster.oidc-issuer`: `az aks update --enable-oidc-issuer` (one long-running operation with workload identity). */
import { cmd } from '../shell';
import type { PlanStep } from '../plan';
import { blocked, t, type StepContext } from './stepContext';

const BUSY = new Set(['Creating', 'Updating', 'Upgrading', 'Deleting', 'Scaling', 'Starting', 'Stopping', 'Migrating']);

/** An operation is running on the cluster: ARM refuses another one until it ends. */
export function clusterBusy(provisioningState: string | undefined): boolean {
  return provisioningState !== undefined && BUSY.has(provisioningState);
}

export function oidcIssuerStep(ctx: StepContext): PlanStep {
  const { inputs, obs } = ctx;
  const c = obs.cluster;
  const base: Omit<PlanStep, 'state'> = {
    id: 'cluster.oidc-issuer',
    title: t(ctx, 'step.oidcIssuer', inputs.clusterName),
    dependsOn: [],
    changes: c && !c.oidcIssuerEnabled ? [{ field: 'oidcIssuerProfile.enabled', before: 'false', after: 'true' }] : [],
    equivalent: cmd(
      'az',
      'aks',
      'update',
      '--resource-group',
      inputs.resourceGroup,
      '--name',
      inputs.clusterName,
      '--enable-oidc-issuer',
      '--enable-workload-identity',
    ),
    resource: ctx.clusterId,
    irreversible: true,
    notes: c && !c.oidcIssuerEnabled ? [t(ctx, 'note.irreversibleIssuer')] : undefined,
  };
  if (obs.clusterMissing || !c) {
    return blocked(
      base,
      t(ctx, 'blocked.clusterNotFound', inputs.clusterName, inputs.resourceGroup),
      t(ctx, 'unblock.clusterNotFound'),
    );
  }
  // A cluster left `Failed` by an operation is reconciled by running the update again
  // (learn.microsoft.com "Troubleshoot Azure Kubernetes Service clusters in a failed state": `az aks update`).
  if (c.oidcIssuerEnabled && c.provisioningState !== 'Failed') return { ...base, state: 'done' };
  if (clusterBusy(c.provisioningState)) {
    return blocked(
      base,
      t(ctx, 'blocked.clusterBusy', inputs.clusterName, c.provisioningState ?? ''),
      t(ctx, 'unblock.clusterBusy'),
    );
  }
  return { ...base, state: 'todo' };
}
