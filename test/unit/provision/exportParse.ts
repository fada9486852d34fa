// Real parsers for the exports: HCL via @cdktf/hcl2json (or, where it is not installed, the
// terraform binary's own parser through `terraform fmt`), shell via bash -n and shellcheck.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function run(
  cmd: string,
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) =>
      done({
        code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 127) : 0,
        stdout,
        stderr,
      }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Parses HCL; returns the JSON form when hcl2json is present, `{}` when only terraform's parser checked it. Throws on a syntax error. */
export async function parseHcl(text: string): Promise<Record<string, unknown> & { parser: string }> {
  let hcl: { parse(file: string, text: string): Promise<Record<string, unknown>> } | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    hcl = require('@cdktf/hcl2json') as typeof hcl;
  } catch {
    hcl = undefined;
  }
  if (hcl) return { ...(await hcl.parse('main.tf', text)), parser: 'hcl2json' };
  const dir = mkdtempSync(join(tmpdir(), 'kwi-tf-'));
  writeFileSync(join(dir, 'main.tf'), text);
  const r = await run('terraform', ['fmt', '-check', '-diff', '-no-color', join(dir, 'main.tf')]);
  // Exit 3 = would reformat (still parsed); anything else non-zero is a parse error.
  if (r.code !== 0 && r.code !== 3) throw new Error(`terraform fmt: ${r.stderr || r.stdout}`);
  return { parser: 'terraform fmt' };
}

export async function shellChecks(script: string): Promise<{ bash: string; shellcheck: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kwi-sh-'));
  const file = join(dir, 'setup.sh');
  writeFileSync(file, script);
  const b = await run('bash', ['-n', file]);
  const s = await run('shellcheck', ['-s', 'bash', file]);
  return { bash: b.code === 0 ? '' : b.stderr, shellcheck: s.code === 0 ? '' : s.stdout + s.stderr };
}
