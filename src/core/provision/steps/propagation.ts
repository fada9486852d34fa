/**
 * Step `propagation`: wait until a real token exchange works (a TokenRequest for the
 * ServiceAccount, then Entra's federated grant), and optionally until the role works on the data
 * plane. New credentials take seconds, role assignments up to 10 minutes
 * (learn.microsoft.com "Troubleshoot Azure RBAC": "…can take up to 10 minutes"). Observed, never slept.
 */
import type { PlanStep } from '../plan';
import { deps, t, type StepContext } from './stepContext';

export function propagationStep(ctx: StepContext, credentialDone: boolean, roleDone: boolean | undefined): PlanStep {
  const { inputs } = ctx;
  const notes = [t(ctx, 'note.waitLimit', ctx.waitLimitSeconds)];
  if (inputs.dataPlaneCheck) notes.push(t(ctx, 'note.dataPlane', inputs.dataPlaneCheck.secretName));
  return {
    id: 'propagation',
    title: t(ctx, 'step.propagation'),
    dependsOn: deps(
      'federated-credential',
      'serviceaccount',
      inputs.dataPlaneCheck && inputs.scope ? 'role-assignment' : undefined,
    ),
    changes: [],
    // What the tutorial does by hand: deploy the sample and read its log.
    equivalent: `kubectl create token ${inputs.serviceAccount} --namespace ${inputs.namespace} --audience api://AzureADTokenExchange  # then exchange it at Entra (az login --federated-token …)`,
    resource: `${ctx.identityId}`,
    notes,
    // Nothing changed in this run (credential and role pre-existed): nothing to wait for.
    state: credentialDone && (roleDone ?? true) ? 'done' : 'todo',
  };
}
