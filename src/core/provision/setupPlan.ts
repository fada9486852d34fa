/**
 * Assembles the setup chain from what the checks observed, in the tutorial's order. Pure: the
 * same observation gives the same plan (so a test can build one from data, and a re-run after a
 * crash plans exactly what is left).
 */
import type { Observation, Plan, PlanKind, PlanStep, SetupInputs, StepId, ManifestEdit } from './plan';
import { pmsg } from './messages';
import { federatedCredentialStep } from './steps/federatedCredential';
import { identityStep } from './steps/identity';
import { oidcIssuerStep } from './steps/oidcIssuer';
import { propagationStep } from './steps/propagation';
import { roleAssignmentStep } from './steps/roleAssignment';
import { sampleWorkloadStep } from './steps/sampleWorkload';
import { serviceAccountStep } from './steps/serviceAccount';
import { stepContext, type StepContext } from './steps/stepContext';
import { stalePods, workloadRestartStep, type PodFacts } from './steps/workloadRestart';
import { disableWorkloadIdentityStep, workloadIdentityStep } from './steps/workloadIdentity';

export interface SetupObservation extends Observation {
  /** Pods of the ServiceAccount and when its client-id last changed (for the restart step). */
  readonly pods?: readonly PodFacts[];
  readonly annotationChangedAt?: string;
}

export interface BuildOptions {
  /** Seconds, shown in the preview. */
  readonly waitLimitSeconds?: number;
  readonly manifestEdits?: readonly ManifestEdit[];
}

/** The full chain. */
export function buildSetupPlan(inputs: SetupInputs, obs: SetupObservation, o: BuildOptions = {}): Plan {
  const ctx = stepContext(inputs, obs, o.waitLimitSeconds);
  const steps: PlanStep[] = [
    oidcIssuerStep(ctx),
    workloadIdentityStep(ctx),
    identityStep(ctx),
    serviceAccountStep(ctx),
    federatedCredentialStep(ctx),
  ];
  if (inputs.scope) steps.push(roleAssignmentStep(ctx));
  const wait = inputs.waitForPropagation !== false;
  if (wait) {
    steps.push(
      propagationStep(
        ctx,
        stateOf(steps, 'federated-credential') === 'done',
        inputs.scope ? stateOf(steps, 'role-assignment') === 'done' : undefined,
      ),
    );
  }
  if (inputs.restartWorkloads !== false) steps.push(restartStep(ctx, obs, steps, wait));
  const sample = sampleWorkloadStep(ctx, wait);
  if (sample) steps.push(sample);
  return finish('setup', inputs, obs, steps, o);
}

/** A plan of some of the chain's steps (the single-step commands), dependencies outside it dropped. */
export function buildPartialPlan(
  kind: PlanKind,
  inputs: SetupInputs,
  obs: SetupObservation,
  ids: readonly StepId[],
  o: BuildOptions = {},
): Plan {
  const ctx = stepContext(inputs, obs, o.waitLimitSeconds);
  const all =
    kind === 'disable-workload-identity' ? [disableWorkloadIdentityStep(ctx)] : buildSetupPlan(inputs, obs, o).steps;
  const byId = new Map(all.map((s) => [s.id, s]));
  const steps = all
    .filter((s) => ids.includes(s.id))
    .map((s): PlanStep => {
      // A dependency left out of this command must already be done, or this step cannot run.
      const missing = s.dependsOn.map((d) => byId.get(d)).find((d) => d && !ids.includes(d.id) && d.state !== 'done');
      const kept = { ...s, dependsOn: s.dependsOn.filter((d) => ids.includes(d)) };
      return missing && s.state === 'todo'
        ? {
            ...kept,
            state: 'blocked',
            blockedReason: pmsg(ctx.locale, 'blocked.needsStep', missing.title),
            unblock: missing.blockedReason,
          }
        : kept;
    });
  return finish(kind, inputs, obs, steps, o);
}

export function restartStep(
  ctx: StepContext,
  obs: SetupObservation,
  steps: readonly PlanStep[],
  afterPropagation: boolean,
): PlanStep {
  // When the annotation is still to be written, every current pod of the ServiceAccount predates it.
  const saTodo = stateOf(steps, 'serviceaccount') !== 'done' || stateOf(steps, 'federated-credential') !== 'done';
  const stale = stalePods(obs.pods ?? [], saTodo ? undefined : obs.annotationChangedAt, obs.identity?.clientId);
  return workloadRestartStep(ctx, stale, afterPropagation);
}

function stateOf(steps: readonly PlanStep[], id: StepId) {
  return steps.find((s) => s.id === id)?.state;
}

/** Steps whose dependency is blocked cannot run either: marked blocked with the same reason. */
function finish(kind: PlanKind, inputs: SetupInputs, obs: Observation, steps: PlanStep[], o: BuildOptions): Plan {
  const byId = new Map(steps.map((s) => [s.id, s]));
  for (const s of steps) {
    if (s.state !== 'todo') continue;
    const dep = s.dependsOn.map((d) => byId.get(d)).find((d) => d?.state === 'blocked');
    if (dep) Object.assign(s, { state: 'blocked', blockedReason: dep.blockedReason, unblock: dep.unblock });
  }
  return { kind, inputs, steps, observed: obs, manifestEdits: o.manifestEdits ?? [] };
}
