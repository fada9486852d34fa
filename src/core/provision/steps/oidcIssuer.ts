/** Step `cluster.oidc-issuer`: `az aks update --enable-oidc-issuer` (one long-running operation with workload identity). */
import type { PlanStep } from '../plan';
import { clusterSwitchStep } from './clusterSwitch';
import { t, type StepContext } from './stepContext';

const BUSY = new Set(['Creating', 'Updating', 'Upgrading', 'Deleting', 'Scaling', 'Starting', 'Stopping', 'Migrating']);

/** An operation is running on the cluster: ARM refuses another one until it ends. */
export function clusterBusy(provisioningState: string | undefined): boolean {
  return provisioningState !== undefined && BUSY.has(provisioningState);
}

export function oidcIssuerStep(ctx: StepContext): PlanStep {
  return clusterSwitchStep(ctx, {
    id: 'cluster.oidc-issuer',
    title: 'step.oidcIssuer',
    dependsOn: [],
    field: 'oidcIssuerProfile.enabled',
    target: true,
    read: (c) => c.oidcIssuerEnabled,
    flags: ['--enable-oidc-issuer', '--enable-workload-identity'],
    rerunWhenFailed: true,
    busy: BUSY,
    extra: (_ctx, changing) => ({
      irreversible: true,
      notes: changing ? [t(ctx, 'note.irreversibleIssuer')] : undefined,
    }),
  });
}
