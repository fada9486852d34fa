/**
 * Expected failures as step results: the service's own code and message (ARM's
 * `{"error":{code,message}}` as RestError.code/message; Node's network codes), never a stack.
 */
import type { StepError } from '../../core/provision/plan';

export function toStepError(e: unknown): StepError {
  const err = (typeof e === 'object' && e !== null ? e : {}) as {
    code?: unknown;
    statusCode?: unknown;
    message?: unknown;
    name?: unknown;
    body?: unknown;
  };
  let code = typeof err.code === 'string' && err.code ? err.code : undefined;
  const message = typeof err.message === 'string' && err.message ? err.message : String(e);
  // Kubernetes ApiException: numeric code, the Status object in `body` (string or parsed).
  if (typeof err.code === 'number') {
    const body = typeof err.body === 'string' ? safeJson(err.body) : err.body;
    const status = body as { reason?: unknown; message?: unknown } | undefined;
    return {
      code: typeof status?.reason === 'string' ? status.reason : String(err.code),
      message: typeof status?.message === 'string' ? status.message : message,
    };
  }
  if (!code && typeof err.statusCode === 'number') code = String(err.statusCode);
  if (!code && err.name === 'AbortError') code = 'Cancelled';
  return { code: code ?? (typeof err.name === 'string' ? err.name : 'Error'), message: redactTokens(message) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** JWTs (three base64url parts) never leave in a message. */
export function redactTokens(text: string): string {
  return text.replace(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '[token]');
}

export function statusOf(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** What `run` returns, or `absent` when ARM answers 404 Not Found; any other failure is thrown. */
export async function unlessNotFound<T, A>(run: () => Promise<T>, absent: A): Promise<T | A> {
  try {
    return await run();
  } catch (e) {
    if (statusOf(e) === 404) return absent;
    throw e;
  }
}

export function codeOf(e: unknown): string | undefined {
  const c = (e as { code?: unknown })?.code;
  return typeof c === 'string' ? c : undefined;
}
