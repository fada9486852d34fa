/** Step `identity`: `az identity create` when the user-assigned identity does not exist. */
import { cmd } from '../shell';
import type { PlanStep } from '../plan';
import { blocked, t, type StepContext } from './stepContext';

export function identityStep(ctx: StepContext): PlanStep {
  const { inputs, obs } = ctx;
  const location = inputs.location ?? obs.cluster?.location ?? '';
  const exists = obs.identity !== undefined;
  const base: Omit<PlanStep, 'state'> = {
    id: 'identity',
    title: t(ctx, exists ? 'step.identityExisting' : 'step.identity', inputs.identityName),
    dependsOn: [],
    changes: exists
      ? []
      : [
          { field: 'name', after: inputs.identityName },
          { field: 'resourceGroup', after: ctx.identityGroup },
          { field: 'location', after: location },
        ],
    equivalent: cmd(
      'az',
      'identity',
      'create',
      '--name',
      inputs.identityName,
      '--resource-group',
      ctx.identityGroup,
      '--location',
      location,
      '--subscription',
      inputs.subscriptionId,
    ),
    resource: ctx.identityId,
  };
  if (exists) return { ...base, state: 'done' };
  if (obs.identityGroupMissing) {
    return blocked(
      base,
      t(ctx, 'blocked.identityGroupMissing', ctx.identityGroup),
      t(ctx, 'unblock.identityGroupMissing'),
    );
  }
  if (!location) {
    return blocked(
      base,
      t(ctx, 'blocked.clusterNotFound', inputs.clusterName, inputs.resourceGroup),
      t(ctx, 'unblock.clusterNotFound'),
    );
  }
  return { ...base, state: 'todo' };
}
