import type { CoreV1Api } from '@kubernetes/client-node';
import type { TokenRequestObservation } from '../../core/diagnosis/observation';
import { observed, unobserved, type Observed } from '../../core/diagnosis/types';
import { WORKLOAD_IDENTITY_AUDIENCE } from '../../core/federationMatch';
import { apiFor, kubeResult, type Kubeconfig } from '../kubeAccess';

/** The API server refuses TokenRequests shorter than 10 minutes (authentication.k8s.io/v1 validation). */
export const SHORTEST_TOKEN_SECONDS = 600;

/**
 * The token stays in this object only, handed to the exchange and dropped with it; callers must
 * never log or serialize it (`toJSON` hides it should one try).
 */
export class ServiceAccountToken {
  constructor(private readonly value: string) {}
  reveal(): string {
    return this.value;
  }
  toJSON(): string {
    return '[redacted token]';
  }
  toString(): string {
    return '[redacted token]';
  }
}

function claims(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export async function requestToken(
  config: Kubeconfig,
  context: string,
  namespace: string,
  name: string,
): Promise<{ observation: Observed<TokenRequestObservation>; token?: ServiceAccountToken }> {
  const r = await kubeResult(async () => {
    const api = await apiFor<CoreV1Api>(config, context, (k, kc) => kc.makeApiClient(k.CoreV1Api));
    const res = await api.createNamespacedServiceAccountToken({
      name,
      namespace,
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { audiences: [WORKLOAD_IDENTITY_AUDIENCE], expirationSeconds: SHORTEST_TOKEN_SECONDS },
      },
    });
    return res.status?.token ?? '';
  });
  if (!r.ok) {
    return { observation: unobserved({ kind: r.error.kind, message: r.error.message, status: r.error.status }) };
  }
  if (!r.value) return { observation: unobserved({ kind: 'unknown', message: 'the TokenRequest returned no token' }) };
  try {
    const c = claims(r.value);
    const aud = Array.isArray(c.aud) ? c.aud.map(String) : typeof c.aud === 'string' ? [c.aud] : [];
    const iat = Number(c.iat ?? 0) * 1000;
    const exp = Number(c.exp ?? 0) * 1000;
    return {
      observation: observed({
        iss: String(c.iss ?? ''),
        sub: String(c.sub ?? ''),
        aud,
        issuedAt: iat,
        expiresAt: exp,
        expirationSeconds: Math.round((exp - iat) / 1000),
      }),
      token: new ServiceAccountToken(r.value),
    };
  } catch {
    return { observation: unobserved({ kind: 'unknown', message: 'the token is not a decodable JWT' }) };
  }
}
