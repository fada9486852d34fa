/**
 * A counting semaphore. The ARM clients share one through a pipeline policy, so the bound holds
 * per HTTP attempt across every client and page, whatever the loaders fire at once.
 */
export interface Limiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly concurrency: number;
  readonly active: number;
  readonly waiting: number;
  /** Highest number of tasks seen running at once (for tests and the benchmark). */
  readonly peak: number;
  setConcurrency(n: number): void;
}

export function createLimiter(concurrency = 8): Limiter {
  let limit = Math.max(1, Math.floor(concurrency));
  let active = 0;
  let peak = 0;
  const queue: Array<() => void> = [];
  const pump = (): void => {
    while (active < limit && queue.length) {
      active++;
      peak = Math.max(peak, active);
      queue.shift()!();
    }
  };
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push(() => {
          const done = (): void => {
            active--;
            pump();
          };
          // Release before settling, so a caller resuming after `await` sees the slot free.
          Promise.resolve()
            .then(fn)
            .then(
              (v) => {
                done();
                resolve(v);
              },
              (e: unknown) => {
                done();
                reject(e);
              },
            );
        });
        pump();
      });
    },
    get concurrency() {
      return limit;
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    get peak() {
      return peak;
    },
    setConcurrency(n: number) {
      limit = Math.max(1, Math.floor(n));
      pump();
    },
  };
}
