/**
 * Expected failures of an online call, as values (aks-tools' `Errorable<T>`). The tree turns an
 * `AzureError` into an error item with a Retry action; nothing here branches on message text.
 */
import type { Result } from '../core/result';

export type AzureErrorKind =
  | 'forbidden' // 403: the signed-in principal may not read this scope
  | 'throttled' // 429 after the SDK's own Retry-After retries were used up
  | 'expiredSession' // 401, or the credential could not produce a token
  | 'network' // no HTTP response at all (refused, reset, DNS, TLS)
  | 'notFound'
  | 'conflict'
  | 'server' // 5xx after retries
  | 'unknown';

export interface AzureError {
  readonly kind: AzureErrorKind;
  readonly message: string;
  readonly status?: number;
  /** ARM error code (`AuthorizationFailed`, `SubscriptionRequestsThrottled`…) or Node error code. */
  readonly code?: string;
}

export type Errorable<T> = Result<T, AzureError>;

export const ok = <T>(value: T): Errorable<T> => ({ ok: true, value });
export const fail = <T = never>(error: AzureError): Errorable<T> => ({ ok: false, error });

/** Error names @azure/identity (and our VS Code session adapter) use for "no usable sign-in". */
const SESSION_ERROR_NAMES = new Set([
  'AuthenticationRequiredError',
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
  'SessionRequiredError',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'REQUEST_SEND_ERROR',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  statusCode?: unknown;
  status?: unknown;
  code?: unknown;
  cause?: unknown;
}

function kindOfStatus(status: number): AzureErrorKind {
  if (status === 401) return 'expiredSession';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 409) return 'conflict';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'server';
  return 'unknown';
}

/** Classifies anything thrown by an SDK client, a credential or fetch into an `AzureError`. */
export function toAzureError(e: unknown): AzureError {
  const err = (typeof e === 'object' && e !== null ? e : { message: String(e) }) as ErrorLike;
  const message = typeof err.message === 'string' && err.message ? err.message : String(e);
  const code = typeof err.code === 'string' ? err.code : undefined;
  const status =
    typeof err.statusCode === 'number' ? err.statusCode : typeof err.status === 'number' ? err.status : undefined;
  if (typeof err.name === 'string' && SESSION_ERROR_NAMES.has(err.name)) {
    return { kind: 'expiredSession', message, code, status };
  }
  if (status !== undefined && status > 0) return { kind: kindOfStatus(status), message, status, code };
  if (code && NETWORK_CODES.has(code)) return { kind: 'network', message, code };
  const cause = err.cause as ErrorLike | undefined;
  if (cause && typeof cause.code === 'string' && NETWORK_CODES.has(cause.code)) {
    return { kind: 'network', message, code: cause.code };
  }
  if (err.name === 'RestError' && status === undefined) return { kind: 'network', message, code };
  return { kind: 'unknown', message, code, status };
}

/** Runs `fn`, returning its value or its classified failure. */
export async function attempt<T>(fn: () => Promise<T>): Promise<Errorable<T>> {
  try {
    return ok(await fn());
  } catch (e) {
    return fail(toAzureError(e));
  }
}
