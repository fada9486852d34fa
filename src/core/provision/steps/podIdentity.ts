/**
 * Steps of the migration away from AAD Pod Identity (Azure/aad-pod-identity, deprecated; the
 * migration guide learn.microsoft.com/azure/aks/workload-identity-migrate-from-pod-identity):
 * `pod-label` puts `azure.workload.identity/use: "true"` on the workloads' pod templates (the
 * part `azwi podidentity detect` leaves out), and `pod-identity-cleanup` tells the user to remove
 * the AzureIdentity and AzureIdentityBinding once the workload runs with workload identity.
 */
import { USE_LABEL } from '../../rules/keys';
import { cmd } from '../shell';
import { workloadResource, type PlanStep, type WorkloadRef } from '../plan';
import { deps, t, type StepContext } from './stepContext';

export function podLabelStep(
  ctx: StepContext,
  workloads: readonly { ref: WorkloadRef; labelled: boolean }[],
): PlanStep {
  const todo = workloads.filter((w) => !w.labelled);
  return {
    id: 'pod-label',
    title: t(ctx, 'step.podLabel', workloads.map((w) => workloadResource(w.ref)).join(', ') || ctx.inputs.namespace),
    dependsOn: deps('serviceaccount'),
    changes: todo.map((w) => ({
      field: `${workloadResource(w.ref)} ${w.ref.kind === 'Pod' ? 'metadata' : 'spec.template.metadata'}.labels[${JSON.stringify(USE_LABEL)}]`,
      after: '"true"',
    })),
    equivalent: todo
      .map((w) =>
        w.ref.kind === 'Pod'
          ? cmd('kubectl', 'label', 'pod', w.ref.name, '--namespace', w.ref.namespace, `${USE_LABEL}=true`)
          : cmd(
              'kubectl',
              'patch',
              w.ref.kind.toLowerCase(),
              w.ref.name,
              '--namespace',
              w.ref.namespace,
              '--type',
              'merge',
              '-p',
              JSON.stringify({ spec: { template: { metadata: { labels: { [USE_LABEL]: 'true' } } } } }),
            ),
      )
      .join('\n'),
    resource: workloads.map((w) => workloadResource(w.ref)).join(',') || `${ctx.inputs.namespace}`,
    state: todo.length ? 'todo' : 'done',
  };
}

export function podIdentityCleanupStep(
  ctx: StepContext,
  azureIdentity: string,
  binding: string,
  namespace: string,
): PlanStep {
  return {
    id: 'pod-identity-cleanup',
    title: t(ctx, 'step.podIdentityCleanup', azureIdentity, binding),
    dependsOn: deps('pod-label', 'federated-credential'),
    changes: [],
    equivalent: [
      cmd('kubectl', 'delete', 'azureidentitybinding', binding, '--namespace', namespace),
      cmd('kubectl', 'delete', 'azureidentity', azureIdentity, '--namespace', namespace),
    ].join('\n'),
    resource: `${namespace}/AzureIdentityBinding/${binding}`,
    notes: [t(ctx, 'note.removePodIdentity', azureIdentity, binding, namespace)],
    // Left to the user on purpose: the plan never deletes what it did not create.
    state: 'skipped',
  };
}
