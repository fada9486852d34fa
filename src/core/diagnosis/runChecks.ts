import type { Check, CheckContext } from './checkContext';
import { checkClusterOidcIssuer } from './checks/clusterOidcIssuer';
import { checkClusterWorkloadIdentity } from './checks/clusterWorkloadIdentity';
import { checkFederatedCredential } from './checks/federatedCredential';
import { checkIdentity } from './checks/identity';
import { checkIssuerDiscovery } from './checks/issuerDiscovery';
import { checkPods } from './checks/pods';
import { checkResourceAccess } from './checks/resourceAccess';
import { checkRoleAssignment } from './checks/roleAssignment';
import { checkServiceAccount } from './checks/serviceAccount';
import { checkTokenExchange } from './checks/tokenExchange';
import { checkTokenRequest } from './checks/tokenRequest';
import type { DiagnosisLocale } from './messages';
import type { ChainObservation } from './observation';
import { redactValue } from './redact';
import type { CheckId, CheckResult, CheckStatus } from './types';

/** In report order; a check may read the results of the checks before it. */
const CHECKS: ReadonlyArray<readonly [CheckId, Check]> = [
  ['cluster.oidc-issuer', checkClusterOidcIssuer],
  ['cluster.workload-identity', checkClusterWorkloadIdentity],
  ['issuer.discovery', checkIssuerDiscovery],
  ['serviceaccount', checkServiceAccount],
  ['identity', checkIdentity],
  ['federated-credential', checkFederatedCredential],
  ['pods', checkPods],
  ['token-request', checkTokenRequest],
  ['token-exchange', checkTokenExchange],
  ['role-assignment', checkRoleAssignment],
  ['resource-access', checkResourceAccess],
];

export interface Diagnosis {
  /** `namespace/name`. */
  readonly serviceAccount: string;
  readonly cluster: { readonly name: string; readonly resourceGroup: string; readonly subscriptionId: string };
  readonly checks: readonly CheckResult[];
  readonly verdict: CheckStatus;
  /** Some warning or failure is explained by propagation: Re-check may clear it. */
  readonly propagation: boolean;
}

export function runChecks(o: ChainObservation, locale: DiagnosisLocale = 'en'): Diagnosis {
  const prior = new Map<CheckId, CheckResult>();
  const ctx: CheckContext = { o, prior, locale };
  for (const [id, check] of CHECKS) {
    const r = check(ctx);
    // Evidence is redacted at the source, so no renderer can leak a token by accident.
    prior.set(id, { ...r, evidence: redactValue(r.evidence) as CheckResult['evidence'] });
  }
  const checks = [...prior.values()];
  return {
    serviceAccount: `${o.target.namespace}/${o.target.serviceAccount}`,
    cluster: {
      name: o.target.clusterName,
      resourceGroup: o.target.resourceGroup,
      subscriptionId: o.target.subscriptionId,
    },
    checks,
    verdict: verdictOf(checks),
    propagation: checks.some((c) => c.propagation),
  };
}

export function verdictOf(checks: readonly CheckResult[]): CheckStatus {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  if (checks.some((c) => c.status === 'warn')) return 'warn';
  return 'pass';
}

/** The checks a Re-check must observe again: those propagation explains, and those after them. */
export function propagationAffected(d: Diagnosis): CheckId[] {
  return d.checks.filter((c) => c.propagation).map((c) => c.id);
}

/**
 * Backoff for Re-check: doubling from `firstMs`, capped at `maxMs`, never a fixed sleep of the
 * whole window (propagation is waited for by observing success).
 */
export function recheckDelays(firstMs = 1000, maxMs = 16000, totalMs = 120000): number[] {
  const out: number[] = [];
  let d = firstMs;
  let sum = 0;
  while (sum + d <= totalMs) {
    out.push(d);
    sum += d;
    d = Math.min(maxMs, d * 2);
  }
  return out;
}
