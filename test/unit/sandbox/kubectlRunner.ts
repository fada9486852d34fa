// The real kubectl on PATH, run against a given kubeconfig: shared by the kubectl test files.
import { execFile } from 'node:child_process';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubectl(kubeconfig: string, args: string[], input?: string): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, ...args],
      { timeout: 60_000, env: { ...process.env, KUBECONFIG: kubeconfig } },
      (err, stdout, stderr) => {
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

export function kubectlPresent(): Promise<boolean> {
  return new Promise((done) => execFile('kubectl', ['version', '--client'], (err) => done(!err)));
}
