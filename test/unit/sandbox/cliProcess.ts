import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** `out/src/cli/main.js`, compiled beside the tests. */
export const CLI_MAIN = join(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');

export interface CliSandbox {
  child: ChildProcess;
  origin: string;
  stdout(): string;
  stderr(): string;
  /** The exit code, or the signal's name when a signal ended it. */
  exited: Promise<number | string | null>;
}

/**
 * Starts `kwi sandbox` in a child process (through bash when `shellPrefix` is given, e.g.
 * `umask 000;`), and resolves once it prints its origin and is ready; rejects if it exits first.
 */
export function startCliSandbox(args: string[], shellPrefix?: string, timeoutMs = 60_000): Promise<CliSandbox> {
  const node = process.execPath;
  const child = shellPrefix
    ? spawn('bash', ['-c', `${shellPrefix} exec "$0" "$@"`, node, CLI_MAIN, 'sandbox', ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(node, [CLI_MAIN, 'sandbox', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kwi sandbox did not start: ${out}${err}`));
    }, timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const origin = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (origin && out.includes('Press Ctrl-C')) {
        clearTimeout(timer);
        resolve({ child, origin, stdout: () => out, stderr: () => err, exited });
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      err += c;
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kwi sandbox exited with ${String(code)}: ${out}${err}`));
    });
  });
}

/** Runs `kwi sandbox` to completion (for start-up failures); kills it after `timeoutMs`. */
export function runCliSandbox(
  args: string[],
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  const child = spawn(process.execPath, [CLI_MAIN, 'sandbox', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}
