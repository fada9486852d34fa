/**
 * Exponential backoff with a cap, for every wait on the service (propagation, PrincipalNotFound,
 * concurrent-write 409): never a fixed sleep (learn.microsoft.com "Retry guidance for Azure services").
 */
export interface BackoffSettings {
  readonly initialMs?: number;
  readonly maxMs?: number;
  readonly factor?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffSettings> = { initialMs: 500, maxMs: 15_000, factor: 2 };

/** Delay before retry number `attempt` (0-based): initial × factor^attempt, at most maxMs. */
export function backoffDelay(attempt: number, o: BackoffSettings = {}): number {
  const initial = o.initialMs ?? DEFAULT_BACKOFF.initialMs;
  const max = o.maxMs ?? DEFAULT_BACKOFF.maxMs;
  const factor = o.factor ?? DEFAULT_BACKOFF.factor;
  return Math.min(max, Math.round(initial * factor ** attempt));
}
