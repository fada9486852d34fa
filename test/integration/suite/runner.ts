// A tiny test runner for the extension host: mocha is not a dependency, and the harness only needs
// ordered tests, a per-test timeout, per-test cleanup and one summary line it can parse.

/**
 * Writes one line for the harness. The prefix lets scripts/integration.mjs tell the suite's lines
 * from the workbench's own console output, which reaches it through the same channel.
 */
export function log(text: string): void {
  for (const line of text.split('\n')) console.log(`[kwi-test] ${line}`);
}

export type TestFn = () => Promise<void> | void;

interface TestCase {
  readonly name: string;
  readonly fn: TestFn;
  readonly timeoutMs: number;
}

const tests: TestCase[] = [];
const afterEachHooks: TestFn[] = [];

export function test(name: string, fn: TestFn, timeoutMs = 20_000): void {
  tests.push({ name, fn, timeoutMs });
}

export function afterEach(fn: TestFn): void {
  afterEachHooks.push(fn);
}

function withTimeout(promise: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(err: unknown): string {
  if (err instanceof Error) return (err.stack ?? err.message).split('\n').slice(0, 40).join('\n    ');
  return String(err);
}

/** Runs every registered test in order; the last line is what scripts/integration.mjs parses. */
export async function runAll(
  include: (name: string) => boolean = () => true,
): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  for (const t of tests) {
    if (!include(t.name)) continue;
    const started = Date.now();
    try {
      await withTimeout(Promise.resolve().then(t.fn), t.timeoutMs, t.name);
      passed++;
      log(`  ✓ ${t.name} (${Date.now() - started} ms)`);
    } catch (err) {
      failed++;
      log(`  ✗ ${t.name} (${Date.now() - started} ms)\n    ${describe(err)}`);
    }
    for (const hook of afterEachHooks) {
      try {
        await withTimeout(Promise.resolve().then(hook), 10_000, `afterEach of ${t.name}`);
      } catch (err) {
        log(`  ! cleanup after "${t.name}" failed: ${describe(err)}`);
      }
    }
  }
  log(`integration: ${passed} passed, ${failed} failed`);
  return { passed, failed };
}
