/** What `GET /_sandbox/stats` reports (never bodies or tokens). */
export interface SandboxStats {
  /** Every request, the control API's included. */
  requests: number;
  byService: Record<string, number>;
  /** Every request by upper-cased HTTP method, the control API's included (same total as `requests`). */
  byMethod: Record<string, number>;
  /**
   * Requests that ask ARM or a Kubernetes API server to change something: PUT, PATCH, POST and
   * DELETE, whatever their answer (a refused or faulted write was still sent). Not counted:
   * Entra (token requests), Key Vault's data plane, the issuers, the control API, ARM `POST …/list*`
   * actions (listClusterUserCredential, listKeys: reads that ARM routes as actions) and the
   * Kubernetes POSTs that store nothing (TokenRequest `serviceaccounts/{name}/token`, and
   * `…reviews` such as SelfSubjectAccessReview). "An idempotent re-run sends 0 writes" is
   * asserted with this number.
   */
  writes: number;
  byStatus: Record<string, number>;
  faults: { drop: number; throttle: number; error: number };
  /** The last 100 requests, oldest first (what the SDKs really sent: e.g. Key Vault's bodiless first PUT). */
  /** `proxied`: the client addressed an Azure host name through the proxy (publicNames.ts). */
  recent: {
    method: string;
    service: string;
    path: string;
    status: number;
    bearer: boolean;
    bodyBytes: number;
    proxied: boolean;
  }[];
}

export function emptyStats(): SandboxStats {
  return {
    requests: 0,
    byService: {},
    byMethod: {},
    writes: 0,
    byStatus: {},
    faults: { drop: 0, throttle: 0, error: 0 },
    recent: [],
  };
}

/** Counts a request as it arrives (before faults, so a dropped write still counts). */
export function countRequest(stats: SandboxStats, service: string, method: string, path: string): void {
  stats.requests++;
  stats.byService[service] = (stats.byService[service] ?? 0) + 1;
  stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
  if (isWrite(service, method, path)) stats.writes++;
}

/** See `SandboxStats.writes`. */
export function isWrite(service: string, method: string, path: string): boolean {
  if (service !== 'arm' && service !== 'kube') return false;
  if (method !== 'PUT' && method !== 'PATCH' && method !== 'POST' && method !== 'DELETE') return false;
  if (method !== 'POST') return true;
  const last = path.replace(/\/+$/, '').split('/').pop()?.toLowerCase() ?? '';
  if (service === 'arm') return !last.startsWith('list');
  if (/\/serviceaccounts\/[^/]+\/token$/i.test(path.replace(/\/+$/, ''))) return false;
  return !last.endsWith('reviews');
}
