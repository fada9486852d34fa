import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fixable } from './helpers';

const ROOT = path.resolve(__dirname, '../../../..');
const MAIN = path.join(ROOT, 'out/src/cli/main.js');

function kwi(
  args: string[],
  opts: { ulimitBlocks?: number; cwd?: string } = {},
): { code: number; out: string; err: string } {
  const quoted = [process.execPath, MAIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = opts.ulimitBlocks !== undefined ? `ulimit -f ${opts.ulimitBlocks}; exec ${quoted}` : `exec ${quoted}`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: opts.cwd ?? ROOT });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('--fix under `ulimit -f 8`: no file changes, no temporary file is left, the message names the file, exit 2', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kwi-fix-efbig-'));
  try {
    const small = path.join(dir, 'a-small.yaml');
    const big = path.join(dir, 'b-big.yaml');
    const smallText = fixable('small');
    const bigText = fixable('big', 20_000);
    assert.equal(Buffer.byteLength(bigText), 20_000);
    writeFileSync(small, smallText);
    writeFileSync(big, bigText);
    const r = kwi(['lint', '--fix', dir], { ulimitBlocks: 8 });
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /kwi lint: cannot write \S*b-big\.yaml: EFBIG\n/);
    assert.equal(readFileSync(small, 'utf8'), smallText, 'the earlier file is untouched too (all or nothing)');
    assert.equal(readFileSync(big, 'utf8'), bigText);
    assert.deepEqual(readdirSync(dir).sort(), ['a-small.yaml', 'b-big.yaml'], 'temporary files removed');
    // Without the limit the same run fixes both.
    const ok = kwi(['lint', '--fix', dir]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.err, /fixed 2 finding\(s\) in 2 file\(s\)/);
    assert.match(readFileSync(big, 'utf8'), /azure\.workload\.identity\/use: "true"\n/);
    assert.equal(Buffer.byteLength(readFileSync(big)), 20_002, 'true → "true": two bytes more, nothing else');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--fix keeps the file mode (0640 stays 0640) and replaces the file by rename', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kwi-fix-mode-'));
  try {
    const file = path.join(dir, 'app.yaml');
    writeFileSync(file, fixable('app'));
    chmodSync(file, 0o640);
    const inode = statSync(file).ino;
    const r = kwi(['lint', '--fix', file]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /fixed 1 finding\(s\) in 1 file\(s\)/);
    const st = statSync(file);
    assert.equal(st.mode & 0o7777, 0o640);
    assert.notEqual(st.ino, inode, 'a new inode: written beside and renamed, not rewritten in place');
    assert.match(readFileSync(file, 'utf8'), /use: "true"/);
    assert.deepEqual(readdirSync(dir), ['app.yaml']);
    // A second run converges: nothing left to fix, nothing claimed.
    const again = kwi(['lint', '--fix', file]);
    assert.match(again.err, /fixed 0 finding\(s\) in 0 file\(s\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--fix claims only fixes it applied; a second run fixes 0 and reports the same findings (aliases, tags)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kwi-fix-converge-'));
  try {
    const pod = '    spec:\n      serviceAccountName: web\n      containers: [{name: app, image: nginx}]\n';
    const head = (name: string): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n`;
    const text = [
      `${head('alias-selector')}spec:\n  selector:\n    matchLabels: &labels\n      app: web\n  template:\n    metadata:\n      labels: *labels\n${pod}`,
      `${head('alias-value')}  annotations:\n    note: &t true\nspec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: *t\n${pod}`,
      `${head('tagged')}spec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: !!bool true\n${pod}`,
      `${head('plain')}spec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: true\n${pod}`,
      `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  annotations:\n    azure.workload.identity/client-id: "6f1c2a4e-1234-4bcd-9ef0-0123456f9f01"\n`,
    ].join('---\n');
    const file = path.join(dir, 'app.yaml');
    writeFileSync(file, text);
    const first = kwi(['lint', '--fix', '--format', 'json', file]);
    assert.match(first.err, /fixed 1 finding\(s\) in 1 file\(s\)/, 'only the plain one');
    const afterFirst = readFileSync(file, 'utf8');
    assert.equal(afterFirst, text.replace('use: true\n', 'use: "true"\n'));
    const second = kwi(['lint', '--fix', '--format', 'json', file]);
    assert.match(second.err, /fixed 0 finding\(s\) in 0 file\(s\)/);
    assert.equal(readFileSync(file, 'utf8'), afterFirst);
    assert.deepEqual(JSON.parse(second.out), JSON.parse(first.out));
    const found = (JSON.parse(second.out) as Array<{ rule: string; message: string }>).map((r) => [
      r.rule,
      /No automatic fix/.test(r.message),
    ]);
    assert.deepEqual(found, [
      ['wi/use-label-missing', true],
      ['wi/use-label-not-true', true],
      ['wi/use-label-not-true', true],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
