import { DEFAULT_PAGE_SIZE } from './arm/paging';

/**
 * Realism knobs: latency, throttling, faults and propagation delays. Fault rates are
 * applied deterministically (an accumulator, not Math.random) so a test that sets a rate of 0.5
 * knows every second request fails.
 */
export interface Knobs {
  /** Added to every request except the control API. */
  latencyMs: number;
  /** Share of requests answered 429 + Retry-After (ARM's throttle body). */
  throttleRate: number;
  /** Share of requests answered 503 (SDKs retry it like 429) or 500. */
  errorRate: number;
  /** Share of requests whose connection is destroyed without an answer. */
  dropRate: number;
  /** Seconds after creation during which a federated credential is invisible to token exchange (AADSTS70021). */
  ficPropagationSeconds: number;
  /** Seconds after creation during which a role assignment grants nothing (Key Vault 403). */
  rbacPropagationSeconds: number;
  /**
   * Seconds during which a new identity's principal is not yet replicated to the directory:
   * role assignments naming it without `principalType` get PrincipalNotFound (learn.microsoft.com/azure/role-based-access-control/troubleshooting).
   */
  principalReplicationSeconds: number;
  /** Duration of long-running operations (AKS PUT). */
  lroSeconds: number;
  /** Retry-After sent with 429/503, seconds (ARM sends whole seconds). */
  retryAfterSeconds: number;
  /** Share of AKS create/update operations that end `Failed` with an error (Azure-AsyncOperation status). */
  lroFailRate: number;
  /** Items per page of ARM lists before `nextLink` (`$top` can only lower it); small values prove paging. */
  pageSize: number;
  /** Share of requests to the clusters' OIDC issuers (discovery, JWKS) answered 503: Entra then says AADSTS90061. */
  issuerErrorRate: number;
  /** Seconds between the tutorial sample pod's Key Vault reads (msal-go sleeps 60 s); also caps its restart back-off. */
  sampleIntervalSeconds: number;
}

export const DEFAULT_KNOBS: Readonly<Knobs> = Object.freeze({
  latencyMs: 0,
  throttleRate: 0,
  errorRate: 0,
  dropRate: 0,
  ficPropagationSeconds: 0,
  rbacPropagationSeconds: 0,
  principalReplicationSeconds: 0,
  lroSeconds: 0,
  retryAfterSeconds: 1,
  lroFailRate: 0,
  pageSize: DEFAULT_PAGE_SIZE,
  issuerErrorRate: 0,
  sampleIntervalSeconds: 60,
});

const RATES = new Set<keyof Knobs>(['throttleRate', 'errorRate', 'dropRate', 'lroFailRate', 'issuerErrorRate']);

/** Validates a partial knob object from the CLI or the control API; throws a readable message. */
export function validateKnobs(input: unknown): Partial<Knobs> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new Error('knobs must be a JSON object');
  }
  const out: Partial<Knobs> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!(key in DEFAULT_KNOBS)) {
      throw new Error(`unknown knob '${key}' (known: ${Object.keys(DEFAULT_KNOBS).join(', ')})`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`knob '${key}' must be a non-negative number`);
    }
    if (RATES.has(key as keyof Knobs) && value > 1) throw new Error(`knob '${key}' is a rate between 0 and 1`);
    if (key === 'pageSize' && (!Number.isInteger(value) || value < 1)) {
      throw new Error("knob 'pageSize' must be a whole number ≥ 1");
    }
    out[key as keyof Knobs] = value;
  }
  return out;
}

export type Fault = 'drop' | 'throttle' | 'error' | undefined;
type Accumulated = 'drop' | 'throttle' | 'error' | 'lro' | 'issuer';

/** Decides, per request, which fault (if any) to inject. */
export class FaultInjector {
  private readonly acc: Record<Accumulated, number> = { drop: 0, throttle: 0, error: 0, lro: 0, issuer: 0 };

  next(knobs: Knobs): Fault {
    if (this.step('drop', knobs.dropRate)) return 'drop';
    if (this.step('throttle', knobs.throttleRate)) return 'throttle';
    if (this.step('error', knobs.errorRate)) return 'error';
    return undefined;
  }

  /** Whether the next long-running operation ends Failed (same deterministic accumulator as the rates above). */
  nextLroFails(knobs: Knobs): boolean {
    return this.step('lro', knobs.lroFailRate);
  }

  /** Whether the next OIDC issuer request fails (issuers otherwise get latency only). */
  nextIssuer(knobs: Knobs): Fault {
    return this.step('issuer', knobs.issuerErrorRate) ? 'error' : undefined;
  }

  reset(): void {
    this.acc.drop = this.acc.throttle = this.acc.error = this.acc.lro = this.acc.issuer = 0;
  }

  private step(kind: Accumulated, rate: number): boolean {
    if (rate <= 0) {
      this.acc[kind] = 0;
      return false;
    }
    this.acc[kind] += rate;
    if (this.acc[kind] >= 1 - 1e-9) {
      this.acc[kind] -= 1;
      return true;
    }
    return false;
  }
}
