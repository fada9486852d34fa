/**
 * The webhook's keys (Azure/azure-workload-identity pkg/webhook/consts.go). The source also
 * defines `azure.workload.identity/use-identity-binding` (v1.6 `use-<suffix>`).
 */
export const WI_PREFIX = 'azure.workload.identity/';
export const USE_LABEL = 'azure.workload.identity/use';
export const CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';
export const TENANT_ID_ANNOTATION = 'azure.workload.identity/tenant-id';
export const TOKEN_EXPIRATION_ANNOTATION = 'azure.workload.identity/service-account-token-expiration';
export const SKIP_CONTAINERS_ANNOTATION = 'azure.workload.identity/skip-containers';
export const INJECT_PROXY_SIDECAR_ANNOTATION = 'azure.workload.identity/inject-proxy-sidecar';
export const PROXY_SIDECAR_PORT_ANNOTATION = 'azure.workload.identity/proxy-sidecar-port';
export const USE_IDENTITY_BINDING = 'azure.workload.identity/use-identity-binding';
export const POD_IDENTITY_LABEL = 'aadpodidbinding';
export const ROLE_ARN = 'eks.amazonaws.com/role-arn';

export const KNOWN_WI_KEYS = [
  USE_LABEL,
  CLIENT_ID_ANNOTATION,
  TENANT_ID_ANNOTATION,
  TOKEN_EXPIRATION_ANNOTATION,
  SKIP_CONTAINERS_ANNOTATION,
  INJECT_PROXY_SIDECAR_ANNOTATION,
  PROXY_SIDECAR_PORT_ANNOTATION,
  USE_IDENTITY_BINDING,
];
/** Read from the ServiceAccount's annotations. */
export const SERVICE_ACCOUNT_KEYS = new Set([CLIENT_ID_ANNOTATION, TENANT_ID_ANNOTATION, TOKEN_EXPIRATION_ANNOTATION]);
/** Read from the pod's annotations. */
export const POD_ANNOTATION_KEYS = new Set([
  TOKEN_EXPIRATION_ANNOTATION,
  SKIP_CONTAINERS_ANNOTATION,
  INJECT_PROXY_SIDECAR_ANNOTATION,
  PROXY_SIDECAR_PORT_ANNOTATION,
  USE_IDENTITY_BINDING,
]);

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The real key nearest to a misspelt one (case-insensitive), or undefined when none is close. */
export function nearestKey(key: string): string | undefined {
  const suffix = key.slice(WI_PREFIX.length).toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const known of KNOWN_WI_KEYS) {
    const d = editDistance(suffix, known.slice(WI_PREFIX.length));
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  return bestDistance <= Math.max(2, Math.floor((best.length - WI_PREFIX.length) / 2)) ? best : undefined;
}
