import { stringify } from 'yaml';

export interface KubeconfigCluster {
  /** Context and cluster name, e.g. the AKS cluster's name. */
  readonly name: string;
  /** `kubeApiServer(origin, guid)`. */
  readonly server: string;
  /** The cluster's bearer token (`KubeClusterContext.clientToken`): the API server refuses any other. */
  readonly token: string;
}

/**
 * A kubeconfig (clientcmd v1 Config) with one cluster, user and context per sandbox cluster,
 * named like `az aks get-credentials` names them (context = cluster name, user
 * `clusterUser_{name}`). The CA is embedded so kubectl and client-node verify TLS normally.
 */
export function buildKubeconfig(
  clusters: readonly KubeconfigCluster[],
  caPem: string,
  currentContext?: string,
): string {
  const caData = Buffer.from(caPem, 'utf8').toString('base64');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: clusters.map((c) => ({
      name: c.name,
      cluster: { 'certificate-authority-data': caData, server: c.server },
    })),
    contexts: clusters.map((c) => ({ name: c.name, context: { cluster: c.name, user: userName(c) } })),
    'current-context': currentContext ?? clusters[0]?.name ?? '',
    preferences: {},
    users: clusters.map((c) => ({ name: userName(c), user: { token: c.token } })),
  };
  return stringify(config);
}

function userName(c: KubeconfigCluster): string {
  return `clusterUser_${c.name}`;
}
