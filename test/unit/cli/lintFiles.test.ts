import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { LintResult } from '../../../src/cli/lintResult';
import { readSource } from '../../../src/cli/lintFiles';
import { escapeControl } from '../../../src/cli/textEscape';
import { fixable } from './helpers';

const ROOT = path.resolve(__dirname, '../../../..');
const MAIN = path.join(ROOT, 'out/src/cli/main.js');

function kwi(args: string[], timeout = 30_000): { code: number | null; out: string; err: string; ms: number } {
  const started = Date.now();
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', cwd: ROOT, timeout });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: Date.now() - started };
}

function withDir(prefix: string, body: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a FIFO named on the command line is skipped with a message, not opened (no hang)', () => {
  withDir('kwi-fifo-', (dir) => {
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    writeFileSync(path.join(dir, 'ok.yaml'), fixable('ok'));
    const r = kwi(['lint', fifo, dir], 15_000);
    assert.ok(r.ms < 15_000, 'did not block');
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /pipe\.yaml: skipped: a FIFO is not a regular file\n/);
    assert.match(r.out, /ok\.yaml:9:38: error wi\/use-label-not-true/);
    assert.match(r.out, /2 problem\(s\) in 1 file\(s\)/, 'the FIFO inside the folder is not counted either');
  });
});

test('a 600 MB (sparse) file is reported by its size without being read; the run goes on', () => {
  withDir('kwi-big-', (dir) => {
    const big = path.join(dir, 'big.yaml');
    writeFileSync(big, '');
    truncateSync(big, 600 * 1024 * 1024);
    writeFileSync(path.join(dir, 'ok.yaml'), fixable('ok'));
    const r = kwi(['lint', '--format', 'json', dir]);
    assert.equal(r.code, 1, r.err);
    assert.match(
      r.err,
      /big\.yaml: Workload identity analysis skipped this file without reading it: its 629,145,600 bytes hold more than the 5,000,000 characters/,
    );
    assert.doesNotMatch(r.err, /Invalid string length/);
    assert.deepEqual(
      (JSON.parse(r.out) as LintResult[]).map((x) => path.basename(x.file)),
      ['ok.yaml', 'ok.yaml'],
    );
    assert.ok(r.ms < 20_000, `${r.ms} ms`);
  });
});

test('one unreadable path among good files: reported on stderr, the others are linted, exit 2', () => {
  withDir('kwi-bad-', (dir) => {
    const good1 = path.join(dir, 'a.yaml');
    const good2 = path.join(dir, 'c.yaml');
    const loop = path.join(dir, 'b.yaml');
    writeFileSync(good1, fixable('a'));
    writeFileSync(good2, fixable('c'));
    symlinkSync(loop, loop); // stat fails with ELOOP, as an unreadable file fails with EACCES
    const r = kwi(['lint', '--format', 'json', good1, loop, good2]);
    assert.equal(r.code, 2, 'an unreadable path makes the exit code 2, after the report');
    assert.match(r.err, /kwi lint: cannot read \S*b\.yaml: ELOOP\n/);
    assert.deepEqual(
      (JSON.parse(r.out) as LintResult[]).map((x) => path.basename(x.file)),
      ['a.yaml', 'a.yaml', 'c.yaml', 'c.yaml'],
    );
  });
});

test('readSource: a directory or a FIFO is "special", a missing file an error code, bytes over the limit "oversized"', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kwi-read-'));
  try {
    assert.deepEqual(await readSource(dir), { kind: 'special', what: 'a directory' });
    assert.deepEqual(await readSource(path.join(dir, 'nope')), { kind: 'error', code: 'ENOENT' });
    const f = path.join(dir, 'x.yaml');
    writeFileSync(f, 'a: 1\n');
    assert.deepEqual(await readSource(f, 4), { kind: 'oversized', bytes: 5 });
    assert.deepEqual(await readSource(f), { kind: 'text', text: 'a: 1\n', utf8: true });
    writeFileSync(f, Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0a]));
    assert.deepEqual(await readSource(f), { kind: 'text', text: '\ufeffa\n', utf8: true }, 'the BOM is kept');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that is not valid UTF-8 is linted but never fixed, and stderr says so', () => {
  withDir('kwi-latin1-', (dir) => {
    const file = path.join(dir, 'app.yaml');
    const bytes = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\n${fixable('app')}`)]);
    writeFileSync(file, bytes);
    const r = kwi(['lint', '--fix', file]);
    assert.equal(r.code, 1, 'the finding is still reported');
    assert.match(r.err, /app\.yaml: not valid UTF-8; not fixing it\n/);
    assert.match(r.err, /fixed 0 finding\(s\) in 0 file\(s\)/);
    assert.match(r.out, /app\.yaml:10:38: error wi\/use-label-not-true/);
    assert.ok(readFileSync(file).equals(bytes), 'byte-identical');
  });
});

test('text output escapes control characters in file names and values; JSON keeps them as data', () => {
  withDir('kwi-escape-', (dir) => {
    const sub = path.join(dir, 'evil\n::error file=x::name\u001b[31m');
    mkdirSync(sub);
    const value = '\\n::error file=x::pwned\\e[2J\\u2028';
    writeFileSync(
      path.join(sub, 'sa.yaml'),
      `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: s\n  annotations:\n    azure.workload.identity/client-id: "${value}"\n`,
    );
    const r = kwi(['lint', dir]);
    assert.equal(r.code, 1, r.err);
    assert.ok(!r.out.includes('\u001b') && !r.out.includes('\u2028'));
    const lines = r.out.split('\n').filter(Boolean);
    assert.equal(lines.length, 2, 'one finding line and the summary: nothing starts a new line');
    assert.ok(lines.every((l) => !l.startsWith('::')));
    assert.match(
      lines[0],
      /evil\\n::error file=x::name\\x1b\[31m\/sa\.yaml:6:40: error wi\/client-id-invalid: .*'\\n::error file=x::pwned\\x1b\[2J\\u2028'/,
    );
    const json = JSON.parse(kwi(['lint', '--format', 'json', dir]).out) as LintResult[];
    assert.ok(json[0].message.includes('\n::error file=x::pwned\u001b[2J\u2028'));
    assert.ok(json[0].file.includes('evil\n::error'));
  });
  assert.equal(escapeControl('a\tb\rc\u0085d\u202ee\u007f'), 'a\\tb\\rc\\x85d\\u202ee\\x7f');
  assert.equal(escapeControl('plain ascii / 한국어'), 'plain ascii / 한국어');
});
