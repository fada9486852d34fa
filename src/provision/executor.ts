/**
 * Runs a plan's steps as a dependency graph: every step starts as soon as its dependencies are
 * done or applied, so independent steps run at the same time (the identity is created while the
 * cluster's operation runs). A step whose dependency failed, was blocked or skipped is skipped;
 * cancellation (AbortSignal) skips every step not yet started and interrupts waits. Expected
 * failures become the step's `error` (the service's code and message), never a thrown error.
 */
import { pmsg } from '../core/provision/messages';
import type { Locale } from '../core/messages';
import type { PlanStep, ProgressState, StepId } from '../core/provision/plan';
import { toStepError } from '../azure/provision/stepErrors';

export interface Runnable {
  readonly step: PlanStep;
  /** Present for steps to apply; returns a secret-free detail for the progress and the result. */
  readonly apply?: () => Promise<string | void>;
}

export interface ExecuteOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (stepId: StepId, state: ProgressState, detail?: string) => void;
  readonly locale?: Locale;
}

export async function execute(runnables: readonly Runnable[], o: ExecuteOptions = {}): Promise<{ cancelled: boolean }> {
  const byId = new Map(runnables.map((r) => [r.step.id, r]));
  const memo = new Map<StepId, Promise<boolean>>();
  const ok = (s: PlanStep) => s.state === 'done' || s.state === 'applied';

  const run = (r: Runnable): Promise<boolean> => {
    let p = memo.get(r.step.id);
    if (!p) {
      p = (async () => {
        const s = r.step;
        const deps = s.dependsOn.map((d) => byId.get(d)).filter((d): d is Runnable => d !== undefined);
        const results = await Promise.all(deps.map(run));
        if (s.state !== 'todo') return ok(s);
        const failedDep = deps.find((_, i) => !results[i]);
        if (failedDep) {
          s.state = 'skipped';
          s.detail = pmsg(o.locale, 'error.dependency', failedDep.step.id);
          o.onProgress?.(s.id, 'skipped', s.detail);
          return false;
        }
        if (o.signal?.aborted || !r.apply) {
          s.state = 'skipped';
          s.detail = pmsg(o.locale, 'error.cancelled');
          o.onProgress?.(s.id, 'skipped', s.detail);
          return false;
        }
        o.onProgress?.(s.id, 'running');
        try {
          const detail = await r.apply();
          s.state = 'applied';
          if (detail) s.detail = detail;
          o.onProgress?.(s.id, 'applied', s.detail);
          return true;
        } catch (e) {
          s.state = 'failed';
          s.error = o.signal?.aborted
            ? { code: 'Cancelled', message: pmsg(o.locale, 'error.cancelled') }
            : toStepError(e);
          o.onProgress?.(s.id, 'failed', `${s.error.code}: ${s.error.message}`);
          return false;
        }
      })();
      memo.set(r.step.id, p);
    }
    return p;
  };
  await Promise.all(runnables.map(run));
  return { cancelled: o.signal?.aborted === true };
}

/** One-at-a-time sections per key: writes to the credentials of one identity (409 otherwise). */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const k = key.toLowerCase();
    const prev = this.tails.get(k) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.tails.set(
      k,
      next.catch(() => undefined),
    );
    return next;
  }
}
