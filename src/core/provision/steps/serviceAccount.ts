/**
 * Step `serviceaccount`: the `azure.workload.identity/client-id` annotation on the ServiceAccount
 * in the cluster (a merge patch that names only that key, so other annotations and labels stay),
 * or the ServiceAccount created with it, as the tutorial's `kubectl apply` does.
 */
import { CLIENT_ID_ANNOTATION } from '../../rules/keys';
import { cmd } from '../shell';
import { serviceAccountResource, type PlanStep } from '../plan';
import { blocked, deps, t, type StepContext } from './stepContext';

export function serviceAccountStep(ctx: StepContext): PlanStep {
  const { inputs, obs } = ctx;
  const sa = obs.serviceAccount;
  const clientId = obs.identity?.clientId;
  const wanted = clientId ?? '${USER_ASSIGNED_CLIENT_ID}';
  const exists = sa?.exists === true;
  const notes: string[] = [];
  if (exists) notes.push(t(ctx, 'note.annotationOthersKept'));
  if (obs.manifest) notes.push(t(ctx, 'note.manifestEdit', obs.manifest.uri));
  const base: Omit<PlanStep, 'state'> = {
    id: 'serviceaccount',
    title: t(
      ctx,
      exists ? 'step.serviceAccountAnnotate' : 'step.serviceAccountCreate',
      inputs.namespace,
      inputs.serviceAccount,
    ),
    dependsOn: deps('identity'),
    changes: exists
      ? sa?.clientId === clientId && clientId
        ? []
        : [
            {
              field: `metadata.annotations["${CLIENT_ID_ANNOTATION}"]`,
              ...(sa?.clientId !== undefined ? { before: sa.clientId } : {}),
              after: wanted,
            },
          ]
      : [
          { field: 'ServiceAccount', after: `${inputs.namespace}/${inputs.serviceAccount}` },
          { field: `metadata.annotations["${CLIENT_ID_ANNOTATION}"]`, after: wanted },
        ],
    equivalent: exists
      ? cmd(
          'kubectl',
          'annotate',
          'serviceaccount',
          inputs.serviceAccount,
          '--namespace',
          inputs.namespace,
          `${CLIENT_ID_ANNOTATION}=${wanted}`,
          '--overwrite',
        )
      : `cat <<EOF | kubectl apply -f -\n${serviceAccountYaml(inputs.namespace, inputs.serviceAccount, wanted)}EOF`,
    resource: serviceAccountResource(inputs.namespace, inputs.serviceAccount),
    notes: notes.length ? notes : undefined,
  };
  if (obs.kubeError !== undefined) {
    return blocked(base, t(ctx, 'blocked.clusterUnreachable', obs.kubeError), t(ctx, 'unblock.clusterUnreachable'));
  }
  if (obs.clusterMissing) {
    return blocked(
      base,
      t(ctx, 'blocked.clusterNotFound', inputs.clusterName, inputs.resourceGroup),
      t(ctx, 'unblock.clusterNotFound'),
    );
  }
  const manifestDone = !obs.manifest || obs.manifest.clientId === clientId;
  return {
    ...base,
    state: exists && clientId !== undefined && sa?.clientId === clientId && manifestDone ? 'done' : 'todo',
  };
}

/** The tutorial's ServiceAccount manifest (double-quoted scalars, as it writes them). */
export function serviceAccountYaml(namespace: string, name: string, clientId: string): string {
  const q = (s: string) => JSON.stringify(s);
  return [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  annotations:',
    `    ${CLIENT_ID_ANNOTATION}: ${q(clientId)}`,
    `  name: ${q(name)}`,
    `  namespace: ${q(namespace)}`,
    '',
  ].join('\n');
}
