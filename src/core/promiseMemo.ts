/**
 * Promises memoized by key: concurrent callers share one request, and a settled result (a failure
 * too, when it is a value) stays until its key is dropped, so what a view shows is stable until
 * the person refreshes exactly that part.
 */
export class PromiseMemo {
  private readonly memo = new Map<string, Promise<unknown>>();

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.memo.set(key, p);
    }
    return p;
  }

  delete(key: string): void {
    this.memo.delete(key);
  }

  /** Drops every key the test accepts (e.g. all keys under one prefix). */
  deleteWhere(test: (key: string) => boolean): void {
    for (const k of [...this.memo.keys()]) if (test(k)) this.memo.delete(k);
  }

  /** The keys held now, e.g. to count the distinct lookups of one kind. */
  keys(): string[] {
    return [...this.memo.keys()];
  }

  clear(): void {
    this.memo.clear();
  }
}
