// `kwi` on a Node older than the dependency tree needs says so in one line and exits 2, before
// any sub-command is loaded (a sub-command would fail later, deep in a request).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const CLI = path.resolve(__dirname, '../../../src/cli/main.js');

function runAs(version: string, args: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kwi-node-'));
  const preload = path.join(dir, 'pretend.js');
  writeFileSync(preload, `Object.defineProperty(process, 'version', { value: ${JSON.stringify(version)} });\n`);
  return spawnSync(process.execPath, ['--require', preload, CLI, ...args], { encoding: 'utf8' });
}

test('on Node 20 kwi prints one line naming the version it needs and exits 2', () => {
  const r = runAs('v20.20.2', ['lint', '.']);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'kwi: needs Node.js 22 or newer; this is Node.js v20.20.2\n');
});

test('on Node 22 the same command runs', () => {
  const r = runAs('v22.0.0', ['--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Usage:/);
});

test("the machine's own Node, when older than 22, is refused the same way", (t) => {
  const probe = spawnSync('/usr/bin/node', ['--version'], { encoding: 'utf8' });
  const major = Number(probe.stdout?.replace(/^v/, '').split('.')[0]);
  if (probe.status !== 0 || !(major < 22)) return t.skip('no Node older than 22 at /usr/bin/node');
  const r = spawnSync('/usr/bin/node', [CLI, 'lint', '.'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^kwi: needs Node\.js 22 or newer; this is Node\.js v\d+\.\d+\.\d+\n$/);
});
