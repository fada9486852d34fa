/**
 * Retries of Kubernetes API calls that the service did not process or that are safe to repeat.
 * @kubernetes/client-node has no retry policy of its own (unlike the Azure SDKs' pipeline), so a
 * 429 from API Priority and Fairness or a dropped connection would end the run. Rules
 * (kubernetes.io "API Priority and Fairness": a 429 carries Retry-After and was not executed):
 * - 429: retried for every call, after Retry-After (capped) — the request was not executed;
 * - 5xx and network errors: retried only for reads (`read*`, `list*`) and the TokenRequest
 *   (`create…Token`, stores nothing), whose repetition changes nothing.
 */
import { backoffDelay, type BackoffSettings } from '../../core/provision/backoff';

const ATTEMPTS = 5;
const BACKOFF: BackoffSettings = { initialMs: 200, maxMs: 2_000 };

function statusOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

function retryAfterMs(e: unknown): number | undefined {
  const headers = (e as { headers?: Record<string, string> })?.headers;
  const v = headers?.['retry-after'] ?? headers?.['Retry-After'];
  const s = v === undefined ? NaN : Number(v);
  return Number.isFinite(s) && s >= 0 ? Math.min(s * 1000, BACKOFF.maxMs!) : undefined;
}

function isNetworkError(e: unknown): boolean {
  return (
    e instanceof TypeError ||
    /ECONNRESET|socket hang up|fetch failed|other side closed/i.test(String((e as Error)?.message ?? ''))
  );
}

export function isRepeatable(method: string): boolean {
  return /^(read|list)/.test(method) || /^create\w*Token$/.test(method);
}

/** Whether a failed call of `method` should be sent again. */
export function shouldRetry(method: string, e: unknown): boolean {
  const status = statusOf(e);
  if (status === 429) return true;
  if (!isRepeatable(method)) return false;
  return (status !== undefined && status >= 500) || (status === undefined && isNetworkError(e));
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The API object with its methods retried per the rules above. */
export function withRetries<T extends object>(api: T): T {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return async (...args: unknown[]) => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } catch (e) {
            if (attempt + 1 >= ATTEMPTS || !shouldRetry(prop, e)) throw e;
            await pause(retryAfterMs(e) ?? backoffDelay(attempt, BACKOFF));
          }
        }
      };
    },
  });
}
