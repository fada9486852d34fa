import type { SigningKey } from '../oidc/keys';
import type { KubeObject, KubeState } from './kubeState';

/**
 * Everything the Kubernetes API, the OIDC issuer and the webhook need to know about one sandbox
 * cluster. The Azure side (ARM managedClusters) owns the cluster; it builds this view per request.
 */
export interface KubeClusterContext {
  readonly guid: string;
  readonly name: string;
  readonly tenantId: string;
  /**
   * The cluster's issuer URL, ending in '/', only while `oidcIssuerProfile.enabled`; spelled for
   * the way the request came (loopback, or the public `{region}.oic.prod-aks.azure.com` host).
   */
  readonly issuerUrl: string | undefined;
  /** Every spelling of `issuerUrl`: tokens bearing any of them are this cluster's (sandbox/publicNames.ts). Absent: `issuerUrl` only. */
  readonly issuerAliases?: readonly string[];
  /** The API server's path on the origin the client addressed: `/k8s/{guid}` on loopback, '' at its FQDN. Absent: `/k8s/{guid}`. */
  readonly apiServerPath?: string;
  /** `securityProfile.workloadIdentity.enabled`: the mutating webhook is installed. */
  readonly workloadIdentityEnabled: boolean;
  readonly signingKey: SigningKey;
  /**
   * The bearer token of the cluster's admin credential (the kubeconfig's `users[].user.token`):
   * the API server answers 401 to any other caller but its own ServiceAccount tokens (authn.ts).
   */
  readonly clientToken: string;
  /** Mutated in place by the handlers; `persist()` is called after every successful write. */
  readonly kube: KubeState;
  readonly webhookLayout: 'v1.6' | 'v1.5';
  /** Injected as AZURE_AUTHORITY_HOST; ends in '/' like the webhook's cloud value. */
  readonly authorityHost: string;
  persist(): void;
  /**
   * Optional: what a container "printed", for `kubectl logs` (the sandbox runs no containers).
   * Absent: logs are empty. See podLog.ts, and projectedTokenFor() for the token file's content.
   */
  containerLog?(
    pod: KubeObject,
    container: string,
    previous: boolean,
  ): Promise<string | undefined> | string | undefined;
}
