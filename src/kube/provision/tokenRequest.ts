/**
 * A TokenRequest for the ServiceAccount (`POST …/serviceaccounts/{name}/token`, authentication.k8s.io/v1),
 * audience `api://AzureADTokenExchange`, as the kubelet would project it. The token is returned to
 * the caller that exchanges it and goes nowhere else.
 */
import { WI_AUDIENCE } from '../../core/provision/plan';
import type { KubeClients } from './kubeClients';

export async function requestServiceAccountToken(k: KubeClients, namespace: string, name: string): Promise<string> {
  k.counters.requests++;
  const r = await k.core.createNamespacedServiceAccountToken({
    name,
    namespace,
    // 600 s is the API server's minimum ("may not specify a duration less than 10 minutes").
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: [WI_AUDIENCE], expirationSeconds: 600 },
    },
  });
  const token = r.status?.token;
  if (!token) throw new Error('the TokenRequest returned no token');
  return token;
}
