/**
 * Step `sample-workload`: the tutorial's pod (learn.microsoft.com/azure/aks/workload-identity-deploy-cluster,
 * "Deploy your application"; image from Azure/azure-workload-identity examples/msal-go), which
 * reads KEYVAULT_URL and SECRET_NAME and logs the secret it got with the federated token.
 */
import { USE_LABEL } from '../../rules/keys';
import { workloadResource, type PlanStep } from '../plan';
import { blocked, deps, t, type StepContext } from './stepContext';

export const SAMPLE_IMAGE = 'ghcr.io/azure/azure-workload-identity/msal-go';

export function samplePodManifest(
  namespace: string,
  serviceAccount: string,
  podName: string,
  vaultUrl: string,
  secretName: string,
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: podName, namespace, labels: { [USE_LABEL]: 'true' } },
    spec: {
      serviceAccountName: serviceAccount,
      containers: [
        {
          image: SAMPLE_IMAGE,
          name: 'oidc',
          env: [
            { name: 'KEYVAULT_URL', value: vaultUrl },
            { name: 'SECRET_NAME', value: secretName },
          ],
        },
      ],
      nodeSelector: { 'kubernetes.io/os': 'linux' },
    },
  };
}

export function samplePodYaml(
  namespace: string,
  serviceAccount: string,
  podName: string,
  vaultUrl: string,
  secretName: string,
): string {
  const q = (s: string) => JSON.stringify(s);
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${q(podName)}`,
    `  namespace: ${q(namespace)}`,
    '  labels:',
    `    ${USE_LABEL}: "true"`,
    'spec:',
    `  serviceAccountName: ${q(serviceAccount)}`,
    '  containers:',
    `    - image: ${SAMPLE_IMAGE}`,
    '      name: oidc',
    '      env:',
    '        - name: KEYVAULT_URL',
    `          value: ${q(vaultUrl)}`,
    '        - name: SECRET_NAME',
    `          value: ${q(secretName)}`,
    '  nodeSelector:',
    '    kubernetes.io/os: linux',
    '',
  ].join('\n');
}

export function sampleWorkloadStep(ctx: StepContext, afterPropagation: boolean): PlanStep | undefined {
  const { inputs, obs } = ctx;
  const s = inputs.sample;
  if (!s) return undefined;
  const podName = s.podName ?? 'quick-start';
  const base: Omit<PlanStep, 'state'> = {
    id: 'sample-workload',
    title: t(ctx, 'step.sample', inputs.namespace, podName),
    dependsOn: deps('serviceaccount', afterPropagation ? 'propagation' : undefined),
    changes: obs.samplePodExists
      ? []
      : [
          { field: 'Pod', after: `${inputs.namespace}/${podName}` },
          { field: 'KEYVAULT_URL', after: s.vaultUrl },
          { field: 'SECRET_NAME', after: s.secretName },
        ],
    equivalent: `cat <<EOF | kubectl apply -f -\n${samplePodYaml(inputs.namespace, inputs.serviceAccount, podName, s.vaultUrl, s.secretName)}EOF`,
    resource: workloadResource({ kind: 'Pod', namespace: inputs.namespace, name: podName }),
    notes: [t(ctx, 'note.sample', s.vaultUrl, s.secretName)],
  };
  if (obs.kubeError !== undefined) {
    return blocked(base, t(ctx, 'blocked.clusterUnreachable', obs.kubeError), t(ctx, 'unblock.clusterUnreachable'));
  }
  return { ...base, state: obs.samplePodExists ? 'done' : 'todo' };
}
