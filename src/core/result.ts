/**
 * Expected failures as values: an online call returns either its value or a typed error, and the
 * caller decides how to show it (aks-tools' `Errorable<T>`). Each layer names its error type:
 * `Errorable<T>` (src/azure/errors.ts), `KubeResult<T>` (src/kube/kubeAccess.ts).
 */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };
