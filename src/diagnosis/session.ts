import { runChecks, recheckDelays, type Diagnosis } from '../core/diagnosis/runChecks';
import { observed, type Observed } from '../core/diagnosis/types';
import type { PodObservation } from '../core/diagnosis/observation';
import { createLimiter } from '../azure/limiter';
import { listServiceAccounts } from '../kube/kubeAccess';
import { fromKube } from '../kube/diagnosis/kubeObserved';
import { listPodsByServiceAccount } from '../kube/diagnosis/podsObserver';
import type { DiagnosisBackend, DiagnoseOptions } from './diagnosisBackend';
import { ObservationCache, observeChain } from './observeChain';

/** The façade `kwi doctor` and the VS Code report call: observe, then run the pure checks. */
export async function diagnoseServiceAccount(
  backend: DiagnosisBackend,
  o: DiagnoseOptions,
  namespace: string,
  serviceAccount: string,
  cache = new ObservationCache(backend),
): Promise<Diagnosis> {
  const observation = await observeChain(cache, o, { namespace, serviceAccount });
  return runChecks(observation, o.locale ?? 'en');
}

/** What a Re-check must look at again: credentials, role assignments, the exchange and the data plane. */
function forgetPropagating(cache: ObservationCache): void {
  for (const prefix of ['credentials|', 'roles|', 'access|', 'discovery|']) cache.forget(prefix);
}

/**
 * Re-check: re-observes with backoff (1 s, 2 s, 4 s… capped) while a propagation delay still
 * explains a warning, and stops at the first diagnosis without one, or when `signal` aborts.
 */
export async function recheck(
  backend: DiagnosisBackend,
  o: DiagnoseOptions,
  namespace: string,
  serviceAccount: string,
  opts: { delays?: readonly number[]; signal?: AbortSignal; onAttempt?: (d: Diagnosis, attempt: number) => void } = {},
): Promise<Diagnosis> {
  const cache = new ObservationCache(backend);
  let d = await diagnoseServiceAccount(backend, o, namespace, serviceAccount, cache);
  opts.onAttempt?.(d, 0);
  let attempt = 0;
  for (const delay of opts.delays ?? recheckDelays()) {
    if (!d.propagation || opts.signal?.aborted) break;
    await new Promise((r) => setTimeout(r, delay));
    forgetPropagating(cache);
    d = await diagnoseServiceAccount(backend, o, namespace, serviceAccount, cache);
    opts.onAttempt?.(d, ++attempt);
  }
  return d;
}

export interface ClusterDiagnosis {
  readonly diagnoses: readonly Diagnosis[];
  /** Set when the ServiceAccounts could not be listed. */
  readonly error?: string;
}

/**
 * `--all`: every ServiceAccount with a client-id annotation. ServiceAccounts and pods are listed
 * once for the whole cluster, and every ARM lookup is shared through one cache, so 200
 * ServiceAccounts on 50 identities list each identity's credentials once.
 */
export async function diagnoseCluster(
  backend: DiagnosisBackend,
  o: DiagnoseOptions,
  cache = new ObservationCache(backend),
): Promise<ClusterDiagnosis> {
  const { config, context } = backend.kube;
  const listing = await listServiceAccounts(config, context);
  if (!listing.ok) return { diagnoses: [], error: listing.error.message };
  const annotated = listing.value.annotated.filter((s) => s.clientId !== undefined);
  const pods: Promise<Observed<ReadonlyMap<string, readonly PodObservation[]>>> = listPodsByServiceAccount(
    config,
    context,
    listing.value.namespaceOnly,
  ).then((r) => (r.ok ? observed(r.value.byServiceAccount) : fromKube(r)));
  const limiter = createLimiter(o.concurrency ?? 16);
  const diagnoses = await Promise.all(
    annotated.map((sa) =>
      limiter.run(async () =>
        runChecks(
          await observeChain(cache, o, { namespace: sa.namespace, serviceAccount: sa.name }, pods),
          o.locale ?? 'en',
        ),
      ),
    ),
  );
  return { diagnoses };
}
