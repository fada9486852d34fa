/**
 * Diagnosis results: plain data shared by `kwi doctor` and the VS Code report. Check IDs are
 * stable (scripts match on them); `fix` names the provisioning step that repairs the link.
 */
import type { Result } from '../result';

export const CHECK_IDS = [
  'cluster.oidc-issuer',
  'cluster.workload-identity',
  'issuer.discovery',
  'serviceaccount',
  'identity',
  'federated-credential',
  'pods',
  'token-request',
  'token-exchange',
  'role-assignment',
  'resource-access',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** Provisioning step IDs (the provisioning plan's `StepId`), named here so core stays self-contained. */
export type FixStepId =
  | 'cluster.oidc-issuer'
  | 'cluster.workload-identity'
  | 'identity'
  | 'serviceaccount'
  | 'federated-credential'
  | 'role-assignment'
  | 'propagation'
  | 'workload-restart';

export type Evidence = Record<string, unknown>;

export interface CheckResult {
  readonly id: CheckId;
  readonly status: CheckStatus;
  /** One sentence, localized. */
  readonly summary: string;
  /** The values compared (never a token or a secret value). */
  readonly evidence: Evidence;
  readonly fix?: FixStepId;
  /** The failure is explained by propagation delay: offer Re-check rather than a fix. */
  readonly propagation?: boolean;
}

/** An observed fact, or why it could not be observed. `undefined` in an observation = not attempted. */
export type Observed<T> = Result<T, ObservationError>;
export interface ObservationError {
  readonly kind: string;
  readonly message: string;
  readonly status?: number;
  readonly code?: string;
}

export const observed = <T>(value: T): Observed<T> => ({ ok: true, value });
export const unobserved = <T = never>(error: ObservationError): Observed<T> => ({ ok: false, error });
