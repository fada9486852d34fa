/**
 * The plan's Kubernetes objects as YAML, ready for `kubectl apply -f`: the annotated
 * ServiceAccount and, when planned, the tutorial's sample pod. A client ID not known yet (the
 * identity is still to be created) is left as `${USER_ASSIGNED_CLIENT_ID}` for envsubst, and said so.
 */
import type { Plan } from '../plan';
import { serviceAccountYaml } from '../steps/serviceAccount';
import { samplePodYaml } from '../steps/sampleWorkload';
import { exportValues } from './exportValues';

export function renderKubernetesYaml(plan: Plan): string {
  const v = exportValues(plan);
  const docs: string[] = [];
  const head = v.clientId
    ? ''
    : '# The identity does not exist yet: replace ${USER_ASSIGNED_CLIENT_ID} (envsubst) with its client ID.\n';
  docs.push(head + serviceAccountYaml(v.namespace, v.serviceAccount, v.clientId ?? '${USER_ASSIGNED_CLIENT_ID}'));
  if (v.sample) {
    docs.push(samplePodYaml(v.namespace, v.serviceAccount, v.sample.podName, v.sample.vaultUrl, v.sample.secretName));
  }
  return docs.join('---\n');
}
