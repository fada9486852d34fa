import { dmsg, type DiagnosisLocale, type DiagnosisMessageId } from './messages';
import type { ChainObservation } from './observation';
import type { CheckId, CheckResult, CheckStatus, Evidence, FixStepId, Observed } from './types';

/** What a check sees: the observation, the results of the checks before it, and the locale. */
export interface CheckContext {
  readonly o: ChainObservation;
  readonly prior: ReadonlyMap<CheckId, CheckResult>;
  readonly locale: DiagnosisLocale;
}

export type Check = (c: CheckContext) => CheckResult;

export const msg = (c: CheckContext, id: DiagnosisMessageId, ...args: Array<string | number>): string =>
  dmsg(c.locale, id, ...args);

export function result(
  id: CheckId,
  status: CheckStatus,
  summary: string,
  evidence: Evidence,
  extra: { fix?: FixStepId; propagation?: boolean } = {},
): CheckResult {
  return {
    id,
    status,
    summary,
    evidence,
    ...(extra.fix ? { fix: extra.fix } : {}),
    ...(extra.propagation ? { propagation: true } : {}),
  };
}

/** A check that cannot run because `after` did not pass. */
export function skipAfter(c: CheckContext, id: CheckId, after: CheckId): CheckResult {
  return result(id, 'skip', msg(c, 'skip.after', after), { reason: `${after} did not pass` });
}

export function skipNotObserved(c: CheckContext, id: CheckId): CheckResult {
  return result(id, 'skip', msg(c, 'skip.notObserved'), { reason: 'not observed' });
}

export const passed = (c: CheckContext, id: CheckId): boolean => {
  const s = c.prior.get(id)?.status;
  return s === 'pass' || s === 'warn';
};

export function errorEvidence<T>(o: Observed<T> & { ok: false }): Evidence {
  return {
    error: {
      kind: o.error.kind,
      message: o.error.message,
      ...(o.error.status !== undefined ? { status: o.error.status } : {}),
      ...(o.error.code ? { code: o.error.code } : {}),
    },
  };
}

export const ageSeconds = (now: number, at: number | undefined): number | undefined =>
  at === undefined ? undefined : Math.max(0, Math.round((now - at) / 1000));

export const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

/** The subject Entra compares for a Kubernetes ServiceAccount. */
export const expectedSubject = (o: ChainObservation): string =>
  `system:serviceaccount:${o.target.namespace}:${o.target.serviceAccount}`;

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
