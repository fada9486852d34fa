import { observed, unobserved, type Observed } from '../../core/diagnosis/types';
import { toAzureError, type Errorable } from '../errors';

/** An `Errorable` from the loaders as a diagnosis observation. */
export function fromErrorable<T>(r: Errorable<T>): Observed<T> {
  return r.ok
    ? observed(r.value)
    : unobserved({ kind: r.error.kind, message: r.error.message, status: r.error.status, code: r.error.code });
}

export async function observe<T>(fn: () => Promise<T>): Promise<Observed<T>> {
  try {
    return observed(await fn());
  } catch (e) {
    const err = toAzureError(e);
    return unobserved({ kind: err.kind, message: err.message, status: err.status, code: err.code });
  }
}
