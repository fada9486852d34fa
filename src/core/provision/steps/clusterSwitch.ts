/**
 * The shape every cluster feature switch shares: one `az aks update` flag set that turns a boolean
 * of the managed cluster on or off (the ARM fields are in Azure/azure-rest-api-specs,
 * specification/containerservice/resource-manager/Microsoft.ContainerService/aks/stable/*\/managedClusters.json).
 */
import { cmd } from '../shell';
import type { Observation, PlanStep, StepId } from '../plan';
import type { ProvisionMessageId } from '../messages';
import { blocked, t, type StepContext } from './stepContext';

type ObservedCluster = NonNullable<Observation['cluster']>;

export interface ClusterSwitch {
  readonly id: StepId;
  readonly title: ProvisionMessageId;
  readonly dependsOn: StepId[];
  /** The ARM field the switch sets, and the value it leaves there. */
  readonly field: string;
  readonly target: boolean;
  read(cluster: ObservedCluster): boolean | undefined;
  /** The `az aks update` flags that make the change. */
  readonly flags: string[];
  /**
   * Turning a feature on reconciles a `Failed` cluster, so a `Failed` cluster is not done yet
   * (learn.microsoft.com "Troubleshoot Azure Kubernetes Service clusters in a failed state": `az aks update`).
   */
  readonly rerunWhenFailed?: boolean;
  /** Provisioning states in which the switch waits instead of running. */
  readonly busy?: ReadonlySet<string>;
  /** Fields the step adds after `resource` (flags such as `irreversible`, notes, warnings). */
  extra?(ctx: StepContext, changing: boolean): Partial<PlanStep>;
}

export function clusterSwitchStep(ctx: StepContext, s: ClusterSwitch): PlanStep {
  const { inputs, obs } = ctx;
  const c = obs.cluster;
  const changing = !!c && !!s.read(c) !== s.target;
  const base: Omit<PlanStep, 'state'> = {
    id: s.id,
    title: t(ctx, s.title, inputs.clusterName),
    dependsOn: s.dependsOn,
    changes: changing ? [{ field: s.field, before: String(!s.target), after: String(s.target) }] : [],
    equivalent: cmd(
      'az',
      'aks',
      'update',
      '--resource-group',
      inputs.resourceGroup,
      '--name',
      inputs.clusterName,
      ...s.flags,
    ),
    resource: ctx.clusterId,
    ...s.extra?.(ctx, changing),
  };
  if (obs.clusterMissing || !c) {
    return blocked(
      base,
      t(ctx, 'blocked.clusterNotFound', inputs.clusterName, inputs.resourceGroup),
      t(ctx, 'unblock.clusterNotFound'),
    );
  }
  const failed = s.rerunWhenFailed === true && c.provisioningState === 'Failed';
  if (!!s.read(c) === s.target && !failed) return { ...base, state: 'done' };
  if (c.provisioningState && s.busy?.has(c.provisioningState)) {
    return blocked(
      base,
      t(ctx, 'blocked.clusterBusy', inputs.clusterName, c.provisioningState),
      t(ctx, 'unblock.clusterBusy'),
    );
  }
  return { ...base, state: 'todo' };
}
