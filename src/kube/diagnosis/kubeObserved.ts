import { observed, unobserved, type Observed } from '../../core/diagnosis/types';
import type { KubeResult } from '../kubeAccess';

/** A kubeAccess result as a diagnosis observation. */
export function fromKube<T>(r: KubeResult<T>): Observed<T> {
  return r.ok
    ? observed(r.value)
    : unobserved({ kind: r.error.kind, message: r.error.message, status: r.error.status });
}

/** A 404 from the API server, as `@kubernetes/client-node`'s ApiException carries it. */
export const isNotFound = (e: unknown): boolean => (e as { code?: unknown })?.code === 404;
